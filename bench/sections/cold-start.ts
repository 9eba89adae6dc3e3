import { ENV } from '../../lambdas/adapters/env-names';
import { spawnSync } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  BUNDLE_FILE,
  ESBUILD_OPTIONS,
  LAMBDA_ENTRIES,
  lambdaModuleAliases,
  ON_FIRST_USE_IMPORTS,
  REPO_ROOT,
  RENDERING_LAMBDAS,
  type LambdaName,
} from '../../infra/lambda-bundling';
import { RENDER_RUNTIME_MODULES } from '../../infra/render-runtime';
import { median } from '../support/measure';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * Cold start: each Lambda entry bundled exactly as the CDK stack bundles it (CommonJS), and as
 * it was bundled before (ESM) for comparison, then `node <bundle>` (which evaluates the module:
 * config, SDK client, logger — the Lambda init phase) against bare `node -e 0`, CPU time from
 * spawn to exit (see `initCpuMs`), runs interleaved, medians.
 *
 * The rendering functions (`RENDERING_LAMBDAS`) leave the render runtime (`RENDER_RUNTIME_MODULES`:
 * sharp, libheif-js — native and WebAssembly code) external, as `CapabilityFunction` does. On
 * Lambda they load from the asset's node_modules, installed for Lambda's platform; that copy
 * (infra/render-runtime/node_modules) may not run on this machine, so the bundles are written
 * under the project's node_modules and load the same versions built for this host. Their load
 * (libvips and its shared libraries, the WebAssembly compile) is counted.
 */
// BENCH_COLD_START_RUNS lowers it on a crowded host, where 15 runs of every bundle take over 15 minutes.
const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 15);
const REFERENCE_RUNS = Math.min(7, RUNS);
// Rendering functions load sharp (and their bundles the SDK); the targets (#23).
const OVER_BARE_TARGET_MS: Record<LambdaName, number> = {
  upload: 90,
  checkUpload: 80,
  render: 80,
  presign: 40,
  objects: 40,
  reconcile: 40,
};
const PRESIGN_BUNDLE_TARGET_BYTES = 60 * 1024;

// Lambda's Node.js runtime defines the `awslambda` global before it loads a handler; the streaming
// entry (render) calls `awslambda.streamifyResponse` at load, so its run gets a stand-in first.
const AWSLAMBDA_STAND_IN =
  'data:text/javascript,globalThis.awslambda={streamifyResponse:(h)=>h,HttpResponseStream:{from:(s)=>s}}';
const STREAMING_LAMBDAS: ReadonlySet<LambdaName> = new Set<LambdaName>(['render']);

// As CapabilityFunction bundles: the on-first-use modules in files of their own (not loaded at
// import, so not built here), the render runtime from node_modules.
const externalsOf = (name: LambdaName): string[] => [
  ON_FIRST_USE_IMPORTS,
  ...(RENDERING_LAMBDAS.has(name) ? RENDER_RUNTIME_MODULES : []),
];
const isOnFirstUse = (path: string) => path.startsWith(ON_FIRST_USE_IMPORTS.replace('*', ''));

const outdir = mkdtempSync(join(REPO_ROOT, 'node_modules', '.bench-bundles-'));
// What a handler reads at load (as the stack sets it): a required variable left unset fails the import.
const env = {
  ...process.env,
  NODE_OPTIONS: '',
  [ENV.bucketName]: 'bench-bucket',
  [ENV.publicBaseUrl]: 'https://cdn.example.org',
  [ENV.clientKeyIds]: 'bench=key-id',
  [ENV.catalogueTable]: 'bench-catalogue',
  [ENV.presignQuotaTable]: 'bench-quota',
  [ENV.functionName]: 'bench-function',
};

/**
 * CPU time (user + system) of `node <args>` from spawn to exit, in ms, as bash's `times` reports
 * the children it waited for (1 ms resolution). CPU, not wall: on 2 cores shared by 8 engineers
 * bare `node -e 0` took 400–600 ms of wall (40 ms on a quiet host), so wall measured the host's
 * queue; an init phase reading from the page cache is CPU-bound, so on a quiet host the two agree.
 */
function initCpuMs(args: string[]): number {
  const result = spawnSync('bash', ['-c', '"$@" > /dev/null && times', 'bash', process.execPath, ...args], {
    env,
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // Node quotes the failing minified line (megabytes) before the error: room for all of it.
    maxBuffer: 256 * 1024 * 1024,
  });
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, s]) => Number(m) * 60 + Number(s));
  if (result.status !== 0 || seconds.length !== 2) {
    // The error's own lines, not the minified bundle line Node quotes above it.
    const said = result.stderr.split('\n').filter((line) => line.length < 400);
    throw new Error(`node ${args.join(' ')} failed: ${said.join('\n')}`);
  }
  return (seconds[0]! + seconds[1]!) * 1000;
}

/** Median CPU ms of `node <args>` and of bare `node -e 0`, interleaved, after one warm run of each. */
function againstBare(args: string[], runs = RUNS): { ms: number; bareMs: number } {
  initCpuMs(['-e', '0']);
  initCpuMs(args); // page cache and code cache warm, as on a reused Lambda host
  const bare: number[] = [];
  const subject: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(initCpuMs(['-e', '0']));
    subject.push(initCpuMs(args));
  }
  return { ms: median(subject), bareMs: median(bare) };
}

/** `entry` bundled as the stack bundles it (CommonJS), or as it did before (ESM, `require` banner). */
async function bundle(name: LambdaName, entry: string, formatName: 'cjs' | 'esm') {
  const outfile = join(outdir, name, formatName === 'cjs' ? BUNDLE_FILE : 'index.mjs');
  const built = await build({
    ...ESBUILD_OPTIONS,
    format: formatName,
    ...(formatName === 'esm' && { banner: { js: ESM_REQUIRE_BANNER } }),
    mainFields: [...ESBUILD_OPTIONS.mainFields],
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
        o.imports.filter((i) => i.external && !isBuiltin(i.path) && !isOnFirstUse(i.path)).map((i) => i.path),
      ),
    ),
  ];
  return { outfile, externals, bytes: readFileSync(outfile) };
}

/**
 * What a function cannot start without, bundled the same way: the floor under its row. Every
 * function that reads or writes images holds an S3 client (and loads `node:https`, whose TLS
 * setup alone is ≈45 ms of CPU here), the catalogue functions a DynamoDB client too, and all of
 * them the Powertools logger and metrics.
 */
const FLOORS: ReadonlyArray<{ name: string; contents: string }> = [
  {
    name: 'S3 client + Powertools logger and metrics (render’s floor, with sharp)',
    contents: `import { createS3Client } from './lambdas/adapters/s3-client';
import { createLogger } from './lambdas/adapters/logger';
import { createMetrics } from './lambdas/adapters/metrics';
globalThis.keep = [createS3Client({ bucketName: 'b', region: 'us-east-1' }), createLogger(), createMetrics()];`,
  },
  {
    name: 'S3 + DynamoDB clients + Powertools logger and metrics (objects’ floor; upload’s and check’s with sharp)',
    contents: `import { createS3Client } from './lambdas/adapters/s3-client';
import { createDynamoDbClient } from './lambdas/adapters/dynamodb-client';
import { createLogger } from './lambdas/adapters/logger';
import { createMetrics } from './lambdas/adapters/metrics';
globalThis.keep = [createS3Client({ bucketName: 'b', region: 'us-east-1' }), createDynamoDbClient('us-east-1'), createLogger(), createMetrics()];`,
  },
];

/** `contents` (TypeScript, imports relative to the repository) bundled as the entries are. */
async function bundleFloor(index: number, contents: string): Promise<string> {
  const outfile = join(outdir, `floor-${index}`, BUNDLE_FILE);
  await build({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    alias: { ...lambdaModuleAliases(false) },
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: `floor-${index}.ts` },
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

const ESM_REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

const rows: BenchRow[] = [];
try {
  const externalsSeen = new Set<string>();
  for (const [name, entry] of Object.entries(LAMBDA_ENTRIES) as [LambdaName, string][]) {
    const { outfile, externals, bytes } = await bundle(name, entry, 'cjs');
    for (const module of externals) externalsSeen.add(module);
    const esm = await bundle(name, entry, 'esm');
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    const args = (file: string) =>
      STREAMING_LAMBDAS.has(name) ? ['--import', AWSLAMBDA_STAND_IN, file] : [file];
    const { ms: bundleMs, bareMs } = againstBare(args(outfile));
    const before = againstBare(args(esm.outfile));
    const target = OVER_BARE_TARGET_MS[name];
    rows.push({
      section: 'cold start',
      name: `${name} handler import${externals.length > 0 ? ' (renders: sharp at import, libheif-js at the first HEIC)' : ''}`,
      value: format.millis(bundleMs),
      floor: format.millis(bareMs),
      ratio: bundleMs / bareMs,
      target: { op: '<=', limit: target, actual: bundleMs - bareMs, label: `≤ +${target} ms` },
      note:
        `+${format.millis(bundleMs - bareMs)} over bare node, median of ${RUNS} runs each; CommonJS bundle ${format.kib(bytes.length)} minified, ${format.kib(gzipped)} gzipped` +
        ` (ESM: +${format.millis(before.ms - before.bareMs)}, ${format.kib(esm.bytes.length)})` +
        (externals.length > 0
          ? `; ${externals.join(', ')} external (not in the bundle size), loaded from node_modules`
          : ''),
    });
    if (name === 'upload') {
      const maps = againstBare(['--enable-source-maps', ...args(outfile)]);
      rows.push({
        section: 'cold start',
        name: 'upload handler import with --enable-source-maps',
        value: format.millis(maps.ms),
        floor: format.millis(maps.bareMs),
        ratio: maps.ms / maps.bareMs,
        note: `reference: +${format.millis(maps.ms - maps.bareMs)} over bare node (without: +${format.millis(bundleMs - bareMs)}); on only with -c sourceMapStackTraces=true`,
      });
    }
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
  for (const [index, floor] of FLOORS.entries()) {
    const { ms, bareMs } = againstBare([await bundleFloor(index, floor.contents)], REFERENCE_RUNS);
    rows.push({
      section: 'cold start',
      name: `floor: ${floor.name}`,
      value: format.millis(ms),
      floor: format.millis(bareMs),
      ratio: ms / bareMs,
      note: `reference: +${format.millis(ms - bareMs)} over bare node, median of ${REFERENCE_RUNS} runs each; made at load, as the handlers make them`,
    });
  }
  // What the external modules cost by themselves: the part of the rendering functions' cold
  // start that no bundling option removes, only loading them later (or not at all) would. Loaded
  // by `require`, as the CommonJS bundles load them. Then two parts under every floor: TLS, which
  // any HTTPS call to AWS loads, and sharp's native addon without sharp's JavaScript around it.
  const references: ReadonlyArray<{ name: string; code: string }> = [
    ...[...externalsSeen].map((module) => ({
      name: `require of ${module} alone`,
      code: `require(${JSON.stringify(module)})`,
    })),
    { name: 'require of node:tls alone', code: "require('node:tls')" },
    {
      name: "sharp's native addon alone (libvips, no JavaScript of sharp's)",
      code: `require('@img/sharp-${process.platform}-${process.arch}/sharp.node')`,
    },
  ];
  for (const reference of references) {
    const { ms, bareMs } = againstBare(['-e', reference.code], REFERENCE_RUNS);
    rows.push({
      section: 'cold start',
      name: reference.name,
      value: format.millis(ms),
      floor: format.millis(bareMs),
      ratio: ms / bareMs,
      note: `reference: +${format.millis(ms - bareMs)} over bare node, median of ${REFERENCE_RUNS} runs each; part of the rows above`,
    });
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
reportRows(rows);
