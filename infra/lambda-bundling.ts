import { fileURLToPath } from 'node:url';

/** Root of the repository, for entry paths that do not depend on the working directory. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The Lambda entries, one per capability. The CDK stack bundles each into its own function;
 * the benchmarks bundle the same files with the same options to measure cold starts.
 */
export const LAMBDA_ENTRIES = {
  upload: 'lambdas/handlers/upload.ts',
  presign: 'lambdas/handlers/presign.ts',
  objects: 'lambdas/handlers/objects.ts',
  checkUpload: 'lambdas/handlers/check-upload.ts',
  render: 'lambdas/handlers/render.ts',
  reconcile: 'lambdas/handlers/reconcile.ts',
} as const;

export type LambdaName = keyof typeof LAMBDA_ENTRIES;

/**
 * The Node.js major the functions run on (Lambda's `nodejs24.x`, supported until about
 * 2028-04-30). Tests, benchmarks, local mode and `cdk synth` run on the same major: `npm ci`
 * installs it from the npm registry (the optional `node-<os>-<cpu>` packages in package.json),
 * and npm scripts put its `node_modules/.bin/node` first on PATH. Changing it is one change of
 * this number, the runtime in `CapabilityFunction` and those packages; test/infra/node-runtime
 * fails until all agree.
 */
export const LAMBDA_NODE_MAJOR = 24;

/** The Lambda runtime identifier of `LAMBDA_NODE_MAJOR`, as CloudFormation states it. */
export const LAMBDA_RUNTIME_NAME = `nodejs${LAMBDA_NODE_MAJOR}.x`;

/** The functions' Node.js version as an esbuild target. */
export const LAMBDA_NODE_TARGET = `node${LAMBDA_NODE_MAJOR}`;

/**
 * The functions that render images (sharp/libvips, and libheif for HEVC photos). Only these carry
 * the render runtime (`infra/render-runtime.ts`) in their asset; the others never import sharp,
 * so their cold start does not pay for loading it.
 */
export const RENDERING_LAMBDAS: ReadonlySet<LambdaName> = new Set<LambdaName>([
  'upload',
  'checkUpload',
  'render',
]);

/** Lambda's names of the CPU architectures it runs functions on. */
export type LambdaArchitecture = 'arm64' | 'x86_64';

/**
 * CPU architecture of every function. The one place it is set: the functions' `architecture`
 * and the platform the render runtime's native binaries are installed for both derive from it,
 * so the two cannot disagree. arm64 (Graviton) costs about 20% less per GB-second and sharp
 * ships prebuilt libvips for it. Changing it means `npm run render-runtime` (or `npm ci`) before
 * the next synth, which otherwise fails and says so.
 */
export const LAMBDA_ARCHITECTURE: LambdaArchitecture = 'arm64';

/** Module swaps applied when bundling for Lambda (esbuild `alias`), absolute paths. */
export const LAMBDA_MODULE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': `${REPO_ROOT}lambdas/adapters/lambda-credentials.ts`,
};

/**
 * Module swaps for a deployment without tracing (the default): the Powertools Tracer and the
 * X-Ray SDK it loads stay out of the bundles, where every call of theirs would be a no-op.
 */
export const TRACING_OFF_ALIASES: Readonly<Record<string, string>> = {
  '@aws-lambda-powertools/tracer': `${REPO_ROOT}lambdas/adapters/tracer-off.ts`,
};

/** The aliases of a function's bundle: always `LAMBDA_MODULE_ALIASES`, and the tracer's stub when not tracing. */
export function lambdaModuleAliases(tracing: boolean): Readonly<Record<string, string>> {
  return { ...LAMBDA_MODULE_ALIASES, ...(tracing ? {} : TRACING_OFF_ALIASES) };
}

/**
 * esbuild options shared by `NodejsFunction` and the benchmarks: minified CommonJS with source
 * maps. The AWS SDK is bundled (not taken from the runtime) so the code that runs is the
 * version the tests ran. CommonJS, not ESM: Node evaluates it ≈19 ms sooner, and its `require`
 * of `node:http`/`node:https` (the SDK's and the URL fetcher's) does not load undici, which an
 * ESM `import` of them does (docs/benchmarks.md, "cold start"). The HEIC tile worker is the one
 * ESM file (`hevc-tile-worker.mjs`, top-level await), bundled on its own.
 */
export const ESBUILD_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'cjs',
  platform: 'node',
  target: LAMBDA_NODE_TARGET,
  mainFields: ['module', 'main'],
  legalComments: 'none',
  // `import()` of a module left outside the bundle becomes `require`: the on-first-use modules
  // load as CommonJS files beside index.js, libheif-js from node_modules, without Node's ESM loader.
  supported: { 'dynamic-import': false },
} as const;

/**
 * The modules a function loads on first use (`lambdas/adapters/sdk/*`, see on-first-use.ts),
 * as their `import()` names them. The bundle leaves them out (an esbuild `external`), so a cold
 * start neither reads nor compiles them; each is bundled into a file of its own beside index.js,
 * `sdk/<name>.js`, by `infra/bundle-on-first-use.mjs` after the main bundle (docs/benchmarks.md).
 */
export const ON_FIRST_USE_IMPORTS = './sdk/*';

/** Where the on-first-use modules' sources are, relative to the repository root. */
export const ON_FIRST_USE_SOURCES = 'lambdas/adapters/sdk';

/** The esbuild options of an on-first-use module: those of the bundles, with the function's aliases. */
export function onFirstUseBuildOptions(tracing: boolean) {
  return { ...ESBUILD_OPTIONS, alias: { ...lambdaModuleAliases(tracing) } };
}

/** The file name of a function's bundle in its asset. */
export const BUNDLE_FILE = 'index.js';
