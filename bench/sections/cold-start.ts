import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS, LAMBDA_ENTRIES, LAMBDA_MODULE_ALIASES, REPO_ROOT } from '../../infra/lambda-bundling';
import { median } from '../support/measure';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * Cold start: each Lambda entry bundled exactly as the CDK stack bundles it, then `node <bundle>`
 * (which evaluates the module: config, SDK client, logger — the Lambda init phase) against bare
 * `node -e 0`, wall time from spawn to exit, runs interleaved, medians.
 */
const RUNS = 15;
const OVER_BARE_TARGET_MS = 40;
const PRESIGN_BUNDLE_TARGET_BYTES = 60 * 1024;

const outdir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
const env = { ...process.env, NODE_OPTIONS: '' };

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return elapsed;
}

const rows: BenchRow[] = [];
try {
  for (const [name, entry] of Object.entries(LAMBDA_ENTRIES)) {
    const outfile = join(outdir, name, 'index.mjs');
    // ESBUILD_OPTIONS is in NodejsFunction's shape: its banner is the JS banner.
    await build({
      ...ESBUILD_OPTIONS,
      mainFields: [...ESBUILD_OPTIONS.mainFields],
      banner: { js: ESBUILD_OPTIONS.banner },
      alias: { ...LAMBDA_MODULE_ALIASES },
      entryPoints: [join(REPO_ROOT, entry)],
      outfile,
      logLevel: 'silent',
    });
    const bytes = readFileSync(outfile);
    const gzipped = gzipSync(bytes, { level: 9 }).length;

    wallMs(['-e', '0']);
    wallMs([outfile]); // page cache and code cache warm, as on a reused Lambda host
    const bare: number[] = [];
    const bundle: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push(wallMs(['-e', '0']));
      bundle.push(wallMs([outfile]));
    }
    const bareMs = median(bare);
    const bundleMs = median(bundle);
    rows.push({
      section: 'cold start',
      name: `${name} handler import`,
      value: format.millis(bundleMs),
      floor: format.millis(bareMs),
      ratio: bundleMs / bareMs,
      target: { op: '<=', limit: OVER_BARE_TARGET_MS, actual: bundleMs - bareMs, label: `≤ +${OVER_BARE_TARGET_MS} ms` },
      note: `+${format.millis(bundleMs - bareMs)} over bare node, median of ${RUNS} runs each; bundle ${format.kib(bytes.length)} minified, ${format.kib(gzipped)} gzipped`,
    });
    if (name === 'presign') {
      rows.push({
        section: 'bundle size',
        name: 'presign (minified)',
        value: format.kib(bytes.length),
        floor: format.kib(PRESIGN_BUNDLE_TARGET_BYTES),
        ratio: bytes.length / PRESIGN_BUNDLE_TARGET_BYTES,
        target: { op: '<=', limit: 1 },
        note: `gzipped ${format.kib(gzipped)}; the "floor" is the 60 KiB budget`,
      });
    }
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
reportRows(rows);
