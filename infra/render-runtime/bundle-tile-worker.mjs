#!/usr/bin/env node
// Usage: node bundle-tile-worker.mjs <repository root> <asset directory>
// Run by the rendering functions' bundling (afterBundling hook, see infra/render-runtime.ts):
// bundles the HEIC tile worker (lambdas/imaging/hevc-tile-worker.ts) into the asset as
// hevc-tile-worker.mjs, next to index.js, where lambdas/imaging/hevc-tile-pool.ts looks for
// it. libheif-js stays external: the worker loads it from the asset's node_modules.
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const [root, assetDir] = process.argv.slice(2);
if (!root || !assetDir) {
  console.error('usage: node bundle-tile-worker.mjs <repository root> <asset directory>');
  process.exit(2);
}
buildSync({
  entryPoints: [join(root, 'lambdas', 'imaging', 'hevc-tile-worker.ts')],
  outfile: join(assetDir, 'hevc-tile-worker.mjs'),
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  external: ['libheif-js'],
  legalComments: 'none',
  logLevel: 'warning',
});
