import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The npm packages of Node's official binaries (`node-<os>-<cpu>`, what the project's own Node 24
 * comes from) exist for these platforms only; elsewhere the tests that need another Node skip.
 */
const PLATFORMS_ON_NPM = new Set(['linux-x64', 'linux-arm64', 'darwin-x64']);

/** The npm package of Node for this machine, or undefined when npm has none. */
export function nodePackageForThisPlatform(): string | undefined {
  const platform = `${process.platform}-${process.arch}`;
  return PLATFORMS_ON_NPM.has(platform) ? `node-${platform}` : undefined;
}

/**
 * The path of a `node` binary of exactly `version`, installed from the npm registry into
 * `cacheDir/<version>` the first time and reused after (a half-done install is never reused: it
 * is made beside the cache and renamed into place). npm's own cache, used once, is removed after.
 */
export async function nodeRuntime(version: string, cacheDir: string): Promise<string> {
  const packageName = nodePackageForThisPlatform();
  if (!packageName) throw new Error(`npm has no Node package for ${process.platform}-${process.arch}`);
  const installed = join(cacheDir, version);
  const binary = join(installed, 'node_modules', packageName, 'bin', 'node');
  if (existsSync(binary)) return binary;
  const partial = `${installed}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await run(
    'npm',
    [
      'install',
      '--prefix',
      partial,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `${packageName}@${version}`,
    ],
    {
      env: {
        ...process.env,
        HOME: join(cacheDir, 'home'),
        npm_config_cache: `${partial}-npm-cache`,
        npm_config_update_notifier: 'false',
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  rmSync(`${partial}-npm-cache`, { recursive: true, force: true });
  rmSync(installed, { recursive: true, force: true });
  renameSync(partial, installed);
  return binary;
}
