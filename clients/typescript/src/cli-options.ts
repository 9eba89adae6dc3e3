import { parseArgs } from 'node:util';
import type { Profile } from './api-types.ts';
import type { ImageLabels } from './catalogue-requests.ts';
import { ImageProxyClient } from './client.ts';
import type { CliIo } from './cli-context.ts';
import { UsageError } from './cli-usage-error.ts';

export const ENV_API_URL = 'S3IP_API_URL';
export const ENV_API_KEY = 'S3IP_API_KEY';

export const PROFILES: readonly Profile[] = [
  'universal',
  'anthropic',
  'anthropic-hires',
  'openai',
  'gemini',
  'original',
];

/** Every option of every command (parseArgs is strict: an unknown one is a usage error). */
const OPTIONS = {
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  prompt: { type: 'string' },
  fit: { type: 'string' },
  concurrency: { type: 'string' },
  limit: { type: 'string' },
  expires: { type: 'string' },
  folder: { type: 'string' },
  tag: { type: 'string', multiple: true },
  meta: { type: 'string', multiple: true },
  recursive: { type: 'boolean' },
  yes: { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export function parseCommandLine(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
}

export type Options = ReturnType<typeof parseCommandLine>['values'];

/** `--name value` as a whole number in [min, max], or undefined when not given. */
export function wholeNumber(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

export function fitOf(options: Options): Profile | undefined {
  if (options.fit === undefined) return undefined;
  if (!PROFILES.includes(options.fit as Profile))
    throw new UsageError(`--fit must be one of ${PROFILES.join(', ')}, got "${options.fit}"`);
  return options.fit as Profile;
}

/** `--folder`, `--tag` (repeated) and `--meta name=value` (repeated), as the client takes them. */
export function labelsOf(options: Options): ImageLabels {
  const metadata: Record<string, string> = {};
  for (const pair of options.meta ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--meta must be name=value, got "${pair}"`);
    metadata[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return {
    ...(options.folder !== undefined && { folder: options.folder }),
    ...(options.tag !== undefined && { tags: options.tag }),
    ...(options.meta !== undefined && { metadata }),
  };
}

/** The API client the options and environment describe. */
export function clientFrom(options: Options, io: CliIo): ImageProxyClient {
  const apiUrl = options['api-url'] ?? io.env[ENV_API_URL];
  const apiKey = options['api-key'] ?? io.env[ENV_API_KEY];
  if (!apiUrl) throw new UsageError(`no API URL: pass --api-url or set ${ENV_API_URL}`);
  if (!apiKey) throw new UsageError(`no API key: set ${ENV_API_KEY} (or pass --api-key)`);
  if (!/^https?:\/\/[^/]/i.test(apiUrl))
    throw new UsageError(`the API URL must be http(s)://…, got "${apiUrl}"`);
  const timeout = wholeNumber(options.timeout, 'timeout', 1, 3600);
  const retries = wholeNumber(options.retries, 'retries', 0, 10);
  return new ImageProxyClient({
    apiUrl,
    apiKey,
    ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
    ...(retries !== undefined && { retry: { maxAttempts: retries + 1 } }),
  });
}
