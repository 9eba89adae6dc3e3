#!/usr/bin/env node
// Compares two synthesized CloudFormation templates, ignoring asset hashes: the 64-hex-digit
// names CDK gives bundled code (`<hash>.zip`, `asset.<hash>` in metadata) change with every
// byte of a bundle, while a refactor must leave everything else identical.
// Usage: node scripts/template-diff.mjs A.template.json B.template.json
// Prints each differing path with both values; exit 0 when equal, 1 on a difference, 2 on misuse.
import { readFileSync } from 'node:fs';

const ASSET_HASH = /[0-9a-f]{64}/g;

/** The template with every asset hash replaced by one placeholder. */
function withoutAssetHashes(value) {
  if (typeof value === 'string') return value.replace(ASSET_HASH, '<asset-hash>');
  if (Array.isArray(value)) return value.map(withoutAssetHashes);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutAssetHashes(item)]));
  return value;
}

/** Every path at which `a` and `b` differ, with both values (undefined: absent). */
function differences(a, b, path, found) {
  const isObject = (value) => value !== null && typeof value === 'object';
  if (isObject(a) && isObject(b) && Array.isArray(a) === Array.isArray(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      differences(a[key], b[key], `${path}/${key}`, found);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    found.push({ path: path || '/', a, b });
  }
  return found;
}

const [fileA, fileB] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: node scripts/template-diff.mjs A.template.json B.template.json');
  process.exit(2);
}
const read = (file) => withoutAssetHashes(JSON.parse(readFileSync(file, 'utf8')));
const found = differences(read(fileA), read(fileB), '', []);
for (const { path, a, b } of found) {
  console.log(`${path}\n  - ${JSON.stringify(a)}\n  + ${JSON.stringify(b)}`);
}
console.log(
  found.length === 0
    ? 'templates identical (asset hashes ignored)'
    : `${found.length} difference(s) (asset hashes ignored)`,
);
process.exit(found.length === 0 ? 0 : 1);
