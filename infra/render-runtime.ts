import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { shellQuoted } from './bundling-shell';
import { LAMBDA_ARCHITECTURE, REPO_ROOT, type LambdaArchitecture } from './lambda-bundling';

// The render runtime: sharp (with its prebuilt libvips) and libheif-js (libheif in WebAssembly),
// shipped in the rendering functions' own node_modules, built for Lambda's platform.
//
// Why not let esbuild or `npm install` on the deploying machine handle it: sharp's native code
// comes from per-platform packages (@img/sharp-<os>-<cpu>), and npm installs the ones of the
// machine it runs on. A function deployed from a Mac or an x86_64 laptop then carries darwin or
// x64 binaries and fails on its first image with "Could not load the "sharp" module using the
// linux-arm64 runtime": the most reported failure of image Lambdas. esbuild cannot bundle the
// `.node` files at all. So a committed lockfile (infra/render-runtime/package-lock.json) is
// installed at `npm ci` time with npm's --os/--cpu/--libc set to Lambda's platform, whatever the
// host, into infra/render-runtime/node_modules (git-ignored); synthesis copies that folder, as it
// is, next to the bundle: offline, and the same bytes on every laptop.

/** The committed package (package.json + package-lock.json) whose install the functions carry. */
export const RENDER_RUNTIME_DIR = join(REPO_ROOT, 'infra', 'render-runtime');

/** Where `npm ci` (its postinstall) or `npm run render-runtime` installs it. */
export const RENDER_RUNTIME_NODE_MODULES = join(RENDER_RUNTIME_DIR, 'node_modules');

/** Written last by the install: which platform and which lockfile the folder was installed from. */
export const RENDER_RUNTIME_INSTALL_RECORD = '.render-runtime.json';

/** The command that (re)installs the render runtime; error messages name it. */
export const RENDER_RUNTIME_INSTALL_COMMAND = 'npm run render-runtime';

/** A platform as npm's `--os`, `--cpu` and `--libc` name it. */
export interface NpmPlatform {
  readonly os: 'linux';
  readonly cpu: 'arm64' | 'x64';
  /** Lambda's Node.js runtimes run on Amazon Linux (glibc), never musl. */
  readonly libc: 'glibc';
}

/** The platform a Lambda function of `architecture` runs on, in npm's names. */
export function lambdaPlatform(architecture: LambdaArchitecture = LAMBDA_ARCHITECTURE): NpmPlatform {
  return { os: 'linux', cpu: architecture === 'arm64' ? 'arm64' : 'x64', libc: 'glibc' };
}

/**
 * The render runtime's direct dependencies (sharp, libheif-js): esbuild leaves their imports
 * to be resolved at run time from the asset's node_modules (`externalModules`).
 */
export const RENDER_RUNTIME_MODULES: readonly string[] = Object.keys(
  (
    JSON.parse(readFileSync(join(RENDER_RUNTIME_DIR, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    }
  ).dependencies,
);

/** The packages the functions load on `platform`; an install without one of them is unusable. */
export function requiredPackages(platform: NpmPlatform = lambdaPlatform()): string[] {
  const target = `${platform.os}-${platform.cpu}`;
  return ['sharp', `@img/sharp-${target}`, `@img/sharp-libvips-${target}`, 'libheif-js'];
}

/**
 * Files the functions never load, removed after the install to keep the asset (and its cold
 * start) small: sharp's C++ sources, build-from-source script and type declarations; libheif-js's
 * asm.js build and its separate-file WebAssembly build (the decoder loads `libheif-js/wasm-bundle`,
 * the WebAssembly module embedded in one file). Paths are relative to node_modules.
 */
export const RENDER_RUNTIME_PRUNED_PATHS: readonly string[] = [
  'sharp/src',
  'sharp/install',
  'sharp/lib',
  'libheif-js/libheif',
  'libheif-js/libheif-wasm/libheif.js',
  'libheif-js/libheif-wasm/libheif.wasm',
  'libheif-js/libheif-wasm/libheif-bundle.mjs',
  'libheif-js/libheif-wasm/libheif.d.ts',
];

/** The arguments of the `npm` run that installs the render runtime for `platform`. */
export function npmInstallArguments(platform: NpmPlatform): string[] {
  return [
    'ci',
    `--prefix=${RENDER_RUNTIME_DIR}`,
    `--os=${platform.os}`,
    `--cpu=${platform.cpu}`,
    `--libc=${platform.libc}`,
    // The platform binaries are optional dependencies of sharp: never let an inherited
    // `--omit=optional` drop them. sharp and libheif-js need no install scripts.
    '--include=optional',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  ];
}

function lockfileSha256(): string {
  return createHash('sha256')
    .update(readFileSync(join(RENDER_RUNTIME_DIR, 'package-lock.json')))
    .digest('hex');
}

interface InstallRecord {
  readonly platform: NpmPlatform;
  readonly lockfileSha256: string;
}

/** The render runtime cannot be used as installed; the message says why and how to fix it. */
export class RenderRuntimeError extends Error {
  override readonly name = 'RenderRuntimeError';
}

/**
 * Installs the render runtime for the functions' platform into `RENDER_RUNTIME_NODE_MODULES`:
 * `npm ci` from the committed lockfile with `--os/--cpu/--libc`, then prunes
 * `RENDER_RUNTIME_PRUNED_PATHS` and records the platform and lockfile it installed. Needs the
 * npm registry or npm's cache; runs as the root project's `postinstall`.
 */
export function installRenderRuntime(platform: NpmPlatform = lambdaPlatform()): void {
  // Run from an npm script, npm hands its own project (the repository root) to children as
  // npm_config_local_prefix; the explicit --prefix wins, but drop it so nothing can reinstall the root.
  const env = { ...process.env };
  delete env.npm_config_local_prefix;
  const args = npmInstallArguments(platform);
  // Under npm, reuse the npm that runs us; otherwise the one on PATH (npm.cmd on Windows).
  const npmCli = process.env.npm_execpath;
  const result = npmCli?.endsWith('.js')
    ? spawnSync(process.execPath, [npmCli, ...args], { env, stdio: 'inherit' })
    : spawnSync('npm', args, { env, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error || result.status !== 0) {
    throw new RenderRuntimeError(
      `npm ${args.join(' ')} failed (${result.error?.message ?? `exit status ${result.status}`})`,
    );
  }
  for (const path of RENDER_RUNTIME_PRUNED_PATHS)
    rmSync(join(RENDER_RUNTIME_NODE_MODULES, path), { recursive: true, force: true });
  recordInstall(RENDER_RUNTIME_NODE_MODULES, platform);
  checkRenderRuntime(RENDER_RUNTIME_NODE_MODULES, platform);
}

/** Records in `nodeModulesDir` that it holds an install of the current lockfile for `platform`. */
export function recordInstall(nodeModulesDir: string, platform: NpmPlatform): void {
  const record: InstallRecord = { platform, lockfileSha256: lockfileSha256() };
  writeFileSync(join(nodeModulesDir, RENDER_RUNTIME_INSTALL_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Throws `RenderRuntimeError` unless `nodeModulesDir` holds an install of the current lockfile
 * for `platform` with every required package. The rendering functions call it when their stack
 * is bundled, so a missing, stale or wrong-platform install fails the synth, not the deployed
 * function.
 */
export function checkRenderRuntime(
  nodeModulesDir: string = RENDER_RUNTIME_NODE_MODULES,
  platform: NpmPlatform = lambdaPlatform(),
): void {
  const target = `${platform.os}-${platform.cpu} (${platform.libc})`;
  const shown = relative(REPO_ROOT, nodeModulesDir).startsWith('..')
    ? nodeModulesDir
    : relative(REPO_ROOT, nodeModulesDir);
  const fail = (problem: string): never => {
    throw new RenderRuntimeError(
      `The rendering Lambda functions need sharp/libvips and libheif built for ${target} in ${shown}, ` +
        `which \`npm ci\` installs there, but ${problem}. Run \`${RENDER_RUNTIME_INSTALL_COMMAND}\` (or \`npm ci\`) and synthesize again.`,
    );
  };
  const recordPath = join(nodeModulesDir, RENDER_RUNTIME_INSTALL_RECORD);
  if (!existsSync(recordPath))
    fail(
      `nothing is installed there (no ${RENDER_RUNTIME_INSTALL_RECORD}: was \`npm ci\` run with --ignore-scripts?)`,
    );
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as InstallRecord;
  const installed = `${record.platform.os}-${record.platform.cpu} (${record.platform.libc})`;
  if (installed !== target) fail(`the binaries installed there are for ${installed}`);
  if (record.lockfileSha256 !== lockfileSha256())
    fail('infra/render-runtime/package-lock.json has changed since they were installed');
  const missing = requiredPackages(platform).filter(
    (name) => !existsSync(join(nodeModulesDir, name, 'package.json')),
  );
  if (missing.length > 0) fail(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing there`);
}

/**
 * What a rendering function's bundling adds to ship the render runtime: its modules stay
 * external to the esbuild bundle, and after bundling the prepared node_modules is copied into
 * the asset (`copy-into-asset.mjs`, plain Node so it runs on any OS) and the HEIC tile worker
 * bundled next to the handler (`bundle-tile-worker.mjs`). Call `checkRenderRuntime` first: the
 * copy does not look at what it copies.
 */
export const renderRuntimeBundling = {
  externalModules: RENDER_RUNTIME_MODULES,
  /** The afterBundling commands; `root` is the project root as the bundler sees it. */
  afterBundling(root: string, outputDir: string): string[] {
    const inRepo = (path: string) => `${root}/infra/render-runtime/${path}`;
    return [
      `node ${shellQuoted(inRepo('copy-into-asset.mjs'), inRepo('node_modules'), outputDir)}`,
      // The HEIC tile workers run from their own file (worker_threads), next to index.js.
      `node ${shellQuoted(inRepo('bundle-tile-worker.mjs'), root, outputDir)}`,
    ];
  },
};
