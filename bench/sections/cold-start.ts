import { spawnSync } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  ESBUILD_OPTIONS,
  LAMBDA_ENTRIES,
  lambdaModuleAliases,
  REPO_ROOT,
  RENDERING_LAMBDAS,
  type LambdaName,
} from '../../infra/lambda-bundling';
import { RENDER_RUNTIME_MODULES } from '../../infra/render-runtime';
import { median } from '../support/measure';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * Cold start: each Lambda entry bundled exactly as the CDK stack bundles it, then `node <bundle>`
 * (which evaluates the module: config, SDK client, logger — the Lambda init phase) against bare
 * `node -e 0`, wall time from spawn to exit, runs interleaved, medians.
 *
 * The rendering functions (`RENDERING_LAMBDAS`) leave the render runtime (`RENDER_RUNTIME_MODULES`:
 * sharp, heic-decode — native and WebAssembly code) external, as `CapabilityFunction` does. On
 * Lambda they load from the asset's node_modules, installed for Lambda's platform; that copy
 * (infra/render-runtime/node_modules) may not run on this machine, so the bundles are written
 * under the project's node_modules and load the same versions built for this host. Their load
 * (libvips and its shared libraries, the WebAssembly compile) is counted.
 */
const RUNS = 15;
const REFERENCE_RUNS = 7;
const OVER_BARE_TARGET_MS = 40;
const PRESIGN_BUNDLE_TARGET_BYTES = 60 * 1024;

// Lambda's Node.js runtime defines the `awslambda` global before it loads a handler; the streaming
// entry (render) calls `awslambda.streamifyResponse` at load, so its run gets a stand-in first.
const AWSLAMBDA_STAND_IN =
  'data:text/javascript,globalThis.awslambda={streamifyResponse:(h)=>h,HttpResponseStream:{from:(s)=>s}}';
const STREAMING_LAMBDAS: ReadonlySet<LambdaName> = new Set<LambdaName>(['render']);

const externalsOf = (name: LambdaName): string[] =>
  RENDERING_LAMBDAS.has(name) ? [...RENDER_RUNTIME_MODULES] : [];

const outdir = mkdtempSync(join(REPO_ROOT, 'node_modules', '.bench-bundles-'));
const env = { ...process.env, NODE_OPTIONS: '' };

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    env,
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return elapsed;
}

/** Median wall ms of `node <args>` and of bare `node -e 0`, interleaved, after one warm run of each. */
function againstBare(args: string[], runs = RUNS): { ms: number; bareMs: number } {
  wallMs(['-e', '0']);
  wallMs(args); // page cache and code cache warm, as on a reused Lambda host
  const bare: number[] = [];
  const subject: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(wallMs(['-e', '0']));
    subject.push(wallMs(args));
  }
  return { ms: median(subject), bareMs: median(bare) };
}

const rows: BenchRow[] = [];
try {
  const externalsSeen = new Set<string>();
  for (const [name, entry] of Object.entries(LAMBDA_ENTRIES) as [LambdaName, string][]) {
    const outfile = join(outdir, name, 'index.mjs');
    // ESBUILD_OPTIONS is in NodejsFunction's shape: its banner is the JS banner.
    const built = await build({
      ...ESBUILD_OPTIONS,
      mainFields: [...ESBUILD_OPTIONS.mainFields],
      banner: { js: ESBUILD_OPTIONS.banner },
      // The default deployment: no tracing, so the tracer's stub (as CapabilityFunction bundles it).
      alias: { ...lambdaModuleAliases(false) },
      external: externalsOf(name),
      metafile: true,
      entryPoints: [join(REPO_ROOT, entry)],
      outfile,
      logLevel: 'silent',
    });
    const externals = [
      ...new Set(
        Object.values(built.metafile.outputs).flatMap((o) =>
          o.imports.filter((i) => i.external && !isBuiltin(i.path)).map((i) => i.path),
        ),
      ),
    ];
    for (const module of externals) externalsSeen.add(module);
    const bytes = readFileSync(outfile);
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    const { ms: bundleMs, bareMs } = againstBare(
      STREAMING_LAMBDAS.has(name) ? ['--import', AWSLAMBDA_STAND_IN, outfile] : [outfile],
    );
    rows.push({
      section: 'cold start',
      name: `${name} handler import${externals.length > 0 ? ` (renders: ${externals.join(' + ')})` : ''}`,
      value: format.millis(bundleMs),
      floor: format.millis(bareMs),
      ratio: bundleMs / bareMs,
      target: {
        op: '<=',
        limit: OVER_BARE_TARGET_MS,
        actual: bundleMs - bareMs,
        label: `≤ +${OVER_BARE_TARGET_MS} ms`,
      },
      note:
        `+${format.millis(bundleMs - bareMs)} over bare node, median of ${RUNS} runs each; bundle ${format.kib(bytes.length)} minified, ${format.kib(gzipped)} gzipped` +
        (externals.length > 0
          ? `; ${externals.join(', ')} external (not in the bundle size), loaded from node_modules`
          : ''),
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
  // What the external modules cost by themselves: the part of the rendering functions' cold
  // start that no bundling option removes, only loading them later (or not at all) would.
  for (const module of RENDER_RUNTIME_MODULES) {
    if (!externalsSeen.has(module)) continue;
    const { ms, bareMs } = againstBare(
      ['--input-type=module', '-e', `await import(${JSON.stringify(module)})`],
      REFERENCE_RUNS,
    );
    rows.push({
      section: 'cold start',
      name: `import of ${module} alone`,
      value: format.millis(ms),
      floor: format.millis(bareMs),
      ratio: ms / bareMs,
      note: `reference: +${format.millis(ms - bareMs)} over bare node, median of ${REFERENCE_RUNS} runs each; part of the rendering functions' rows`,
    });
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
reportRows(rows);
