import { shellQuoted } from './bundling-shell';
import { ON_FIRST_USE_IMPORTS, ON_FIRST_USE_SOURCES, onFirstUseBuildOptions } from './lambda-bundling';

/**
 * What every function's bundling adds for the modules it loads on first use
 * (`lambdas/adapters/sdk/*`): the main bundle leaves them out, and after bundling
 * `bundle-on-first-use.mjs` builds the ones index.js requires into `sdk/<name>.js` beside it,
 * with the same esbuild options and aliases (handed over as base64 JSON: no shell quoting).
 */
export const onFirstUseBundling = {
  externalModules: [ON_FIRST_USE_IMPORTS],
  /** The afterBundling command; `root` is the project root as the bundler sees it. */
  afterBundling(root: string, outputDir: string, tracing: boolean): string {
    const plan = { sources: ON_FIRST_USE_SOURCES, options: onFirstUseBuildOptions(tracing) };
    const encoded = Buffer.from(JSON.stringify(plan), 'utf8').toString('base64');
    return `node ${shellQuoted(`${root}/infra/bundle-on-first-use.mjs`, root, outputDir, encoded)}`;
  },
};
