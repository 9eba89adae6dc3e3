import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, buildSync, type BuildOptions } from 'esbuild';
import { LAMBDA_PAYLOAD_LIMIT_BYTES } from '../lambdas/core/limits';
import { REPO_ROOT } from './lambda-bundling';

/** The path the console is served under, by local mode and by CloudFront. */
export const CONSOLE_PATH = '/console';

/** The console's files as served, by name (`index.html`, `console.js`, `console.css`). */
export type ConsoleFiles = ReadonlyMap<string, { readonly contentType: string; readonly body: Buffer }>;

/** What the console reads from `config.json` next to it: where the API and the CDN are. No secrets. */
export interface ConsoleConfig {
  readonly apiUrl: string;
  readonly cdnBaseUrl: string;
  readonly directUploadMaxBytes: number;
}

/** Origins the console's CSP allows beyond itself. */
export interface ConsoleOrigins {
  /** The API's origin (`connect-src`). */
  readonly api: string;
  /** The CDN's origin (`img-src`, `media-src`). */
  readonly cdn: string;
  /** Where presigned PUTs go: the bucket's endpoint (`connect-src`). */
  readonly uploads: string;
}

/**
 * Largest file the console sends as base64 in one JSON request: 4/3 of it, plus the JSON around
 * it, must stay under Lambda's 6 MiB request limit; larger files go through a presigned PUT.
 */
export function directUploadMaxBytes(maxImageBytes: number): number {
  return Math.min(maxImageBytes, Math.floor(((LAMBDA_PAYLOAD_LIMIT_BYTES - 64 * 1024) * 3) / 4));
}

/**
 * The console's Content-Security-Policy: nothing by default; its own script and style only; images
 * from the CDN and `blob:`; requests to the API and the upload endpoint only; never framed.
 */
export function consoleContentSecurityPolicy(origins: ConsoleOrigins): string {
  const unique = (...sources: string[]) => [...new Set(sources)].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${unique("'self'", origins.cdn, 'blob:')}`,
    `media-src ${unique(origins.cdn, 'blob:')}`,
    `connect-src ${unique("'self'", origins.api, origins.uploads)}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every console file is served with besides its CSP (the same locally and on CloudFront). */
export const CONSOLE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

const CONSOLE_DIR = join(REPO_ROOT, 'console');

const BUNDLE_OPTIONS: BuildOptions = {
  entryPoints: [join(CONSOLE_DIR, 'main.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
};

const CSS_OPTIONS: BuildOptions = {
  entryPoints: [join(CONSOLE_DIR, 'console.css')],
  bundle: true,
  minify: true,
};

/** Builds the console with the project's esbuild: one HTML, one script, one stylesheet. */
export async function buildConsole(): Promise<ConsoleFiles> {
  const [script, style] = await Promise.all([
    build({ ...BUNDLE_OPTIONS, write: false }),
    build({ ...CSS_OPTIONS, write: false }),
  ]);
  return filesOf(script.outputFiles![0]!.contents, style.outputFiles![0]!.contents);
}

/** The same, synchronously: CDK asks for its assets while it synthesizes. */
export function buildConsoleSync(): ConsoleFiles {
  const script = buildSync({ ...BUNDLE_OPTIONS, write: false });
  const style = buildSync({ ...CSS_OPTIONS, write: false });
  return filesOf(script.outputFiles![0]!.contents, style.outputFiles![0]!.contents);
}

function filesOf(script: Uint8Array, style: Uint8Array): ConsoleFiles {
  return new Map([
    [
      'index.html',
      { contentType: 'text/html; charset=utf-8', body: readFileSync(join(CONSOLE_DIR, 'index.html')) },
    ],
    ['console.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(script) }],
    ['console.css', { contentType: 'text/css; charset=utf-8', body: Buffer.from(style) }],
  ]);
}
