#!/usr/bin/env node
// Usage: node copy-into-asset.mjs <render runtime node_modules> <asset directory>
// Run by the rendering functions' bundling (afterBundling hook, see infra/render-runtime.ts):
// copies the node_modules prepared for Lambda's platform into the function's asset, next to
// index.js, so the bundle's `require('sharp')` resolves there. npm's own files (.bin,
// .package-lock.json) and the install record (.render-runtime.json) stay behind.
import { cpSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const [from, assetDir] = process.argv.slice(2);
if (!from || !assetDir) {
  console.error('usage: node copy-into-asset.mjs <node_modules> <asset directory>');
  process.exit(2);
}
const source = resolve(from);
cpSync(source, join(assetDir, 'node_modules'), {
  recursive: true,
  dereference: true,
  filter: (path) =>
    resolve(path) === source || resolve(path, '..') !== source || !basename(path).startsWith('.'),
});
