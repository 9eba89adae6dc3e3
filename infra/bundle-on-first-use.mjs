#!/usr/bin/env node
// Usage: node bundle-on-first-use.mjs <repository root> <asset directory> <plan: base64 JSON { sources, options }>
// Run by every function's bundling (afterBundling hook, see infra/on-first-use-bundling.ts): the
// main bundle leaves each `import('./sdk/<name>')` as `require("./sdk/<name>")` (lambda-bundling.ts,
// ON_FIRST_USE_IMPORTS); this bundles exactly those modules, <sources>/<name>.ts, into
// sdk/<name>.js beside index.js, where that require finds them on first use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const [root, assetDir, encodedOptions] = process.argv.slice(2);
if (!root || !assetDir || !encodedOptions) {
  console.error(
    'usage: node bundle-on-first-use.mjs <repository root> <asset directory> <plan: base64 JSON { sources, options }>',
  );
  process.exit(2);
}
// sources: the modules' folder in the repository; options: esbuild's, as the main bundle's.
const { sources, options } = JSON.parse(Buffer.from(encodedOptions, 'base64').toString('utf8'));
const bundle = readFileSync(join(assetDir, 'index.js'), 'utf8');
const names = new Set([...bundle.matchAll(/require\("\.\/sdk\/([\w-]+)"\)/g)].map(([, name]) => name));
for (const name of names) {
  const source = join(root, sources, `${name}.ts`);
  if (!existsSync(source)) {
    console.error(`index.js loads ./sdk/${name} on first use, but ${source} does not exist`);
    process.exit(1);
  }
  buildSync({
    ...options,
    entryPoints: [source],
    outfile: join(assetDir, 'sdk', `${name}.js`),
    logLevel: 'warning',
  });
}
