import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PromptBlocks, Profile, UploadAnswer } from './api-types.ts';
import { ImageProxyClient } from './client.ts';
import { expandFiles, type InputFile } from './cli-files.ts';
import { formatBytes, ProgressBar } from './cli-progress.ts';
import { ApiError, ForbiddenError, ImageProxyError, NetworkError, TimeoutError } from './errors.ts';

/** Exit codes scripts can rely on. */
export const EXIT = {
  /** Everything asked was done. */
  ok: 0,
  /** Some files or objects failed (refused type, not found…); the others were done. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing API URL or key, no such file. */
  usage: 2,
  /** The API key was refused (403 FORBIDDEN): nothing more was tried. */
  auth: 3,
  /** The service could not be reached or stayed unavailable (network, timeout, 429 or 5xx after retries). */
  unavailable: 4,
} as const;

/** Where the CLI reads and writes: the process's, or a test's. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborts the run (Ctrl-C). */
  readonly signal?: AbortSignal;
}

export const ENV_API_URL = 'S3IP_API_URL';
export const ENV_API_KEY = 'S3IP_API_KEY';

/** `--prompt` names → the answer's prompt block. */
const PROMPT_BLOCKS: Readonly<Record<string, keyof PromptBlocks>> = {
  openai: 'openaiChat',
  'openai-responses': 'openaiResponses',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

const PROFILES: readonly Profile[] = [
  'universal',
  'anthropic',
  'anthropic-hires',
  'openai',
  'gemini',
  'original',
];

const HELP = `s3ip: turn images into URLs that AI models can fetch (s3-image-proxy)

Usage:
  s3ip upload <files, globs or http(s) URLs…> [--fit PROFILE] [--json | --prompt PROVIDER] [--concurrency N]
  s3ip ls [PREFIX] [--limit N] [--json]
  s3ip info <key|url> [--json]
  s3ip rm <key|url>… [--json]
  s3ip presign get <key|url> [--expires SECONDS] [--json]
  s3ip presign put <file> [--fit PROFILE] [--expires SECONDS] [--json]
  s3ip mcp [--allow-dir DIR]…    an MCP server over stdio for agents (s3ip mcp --help)

Options:
  --api-url URL         API base URL (default: $${ENV_API_URL})
  --api-key KEY         API key (default: $${ENV_API_KEY}; prefer the variable: arguments show in ps)
  --json                print JSON: an array of results (upload, ls, rm), one object (info, presign)
  --prompt PROVIDER     upload: print the prompt blocks, a JSON array: openai, openai-responses, anthropic, gemini
  --fit PROFILE         ${PROFILES.join(', ')}
  --concurrency N       files uploaded at once (default 4)
  --progress, --no-progress   force the progress bar on or off (default: on when stderr is a terminal)
  --timeout SECONDS     per request attempt (default 30)
  --retries N           retries of 429/502/503/504, lost connections and timeouts (default 3)
  -h, --help            this text
  -V, --version         the version

Images up to 4,400,000 bytes go to POST /uploads; larger ones through a presigned PUT, then
the service's check; an http(s) URL is fetched by the service itself. The key is never printed.

Exit codes: 0 done; 1 some files or objects failed; 2 usage (bad arguments, missing URL or key,
no such file); 3 the API key was refused; 4 the service was unreachable or unavailable.
`;

class UsageError extends Error {}

/** Runs the CLI; resolves to its exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // The MCP server has its own options, and its SDK loads only for it.
  if (argv[0] === 'mcp') return (await import('./mcp/command.ts')).runMcpCommand(argv.slice(1), io);
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    io.stderr.write(`s3ip: ${(err as Error).message}\nRun s3ip --help for usage.\n`);
    return EXIT.usage;
  }
  const { values: options, positionals } = parsed;
  if (options.version) {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (options.help || positionals.length === 0) {
    (options.help ? io.stdout : io.stderr).write(HELP);
    return options.help ? EXIT.ok : EXIT.usage;
  }
  try {
    const [command, ...args] = positionals as [string, ...string[]];
    const client = clientFrom(options, io);
    switch (command) {
      case 'upload':
        return await upload(client, args, options, io);
      case 'ls':
        return await list(client, args, options, io);
      case 'info':
        return await info(client, args, options, io);
      case 'rm':
        return await remove(client, args, options, io);
      case 'presign':
        return await presign(client, args, options, io);
      default:
        throw new UsageError(`unknown command "${command}": upload, ls, info, rm or presign`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`s3ip: ${err.message}\nRun s3ip --help for usage.\n`);
      return EXIT.usage;
    }
    if (io.signal?.aborted) {
      io.stderr.write('s3ip: interrupted\n');
      return 130;
    }
    io.stderr.write(`s3ip: ${describe(err)}\n`);
    return exitCodeOf(err);
  }
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'api-url': { type: 'string' },
      'api-key': { type: 'string' },
      json: { type: 'boolean' },
      prompt: { type: 'string' },
      fit: { type: 'string' },
      concurrency: { type: 'string' },
      limit: { type: 'string' },
      expires: { type: 'string' },
      progress: { type: 'boolean' },
      'no-progress': { type: 'boolean' },
      timeout: { type: 'string' },
      retries: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
    },
  });
}

type Options = ReturnType<typeof parseCommandLine>['values'];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function wholeNumber(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

function clientFrom(options: Options, io: CliIo): ImageProxyClient {
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

function fitOf(options: Options): Profile | undefined {
  if (options.fit === undefined) return undefined;
  if (!PROFILES.includes(options.fit as Profile))
    throw new UsageError(`--fit must be one of ${PROFILES.join(', ')}, got "${options.fit}"`);
  return options.fit as Profile;
}

/** The one-line description of an error: its code, the HTTP status, the message; never the key. */
function describe(err: unknown): string {
  if (err instanceof ApiError) return `${err.code} (HTTP ${err.status}): ${err.message}`;
  if (err instanceof ImageProxyError) return `${err.code}: ${err.message}`;
  return `ERROR: ${(err as Error)?.message ?? String(err)}`;
}

function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof ApiError)
    return {
      code: err.code,
      status: err.status,
      message: err.message,
      ...(err.requestId && { requestId: err.requestId }),
    };
  if (err instanceof ImageProxyError) return { code: err.code, message: err.message };
  return { code: 'ERROR', message: (err as Error)?.message ?? String(err) };
}

function exitCodeOf(err: unknown): number {
  if (err instanceof ForbiddenError) return EXIT.auth;
  if (err instanceof NetworkError || err instanceof TimeoutError) return EXIT.unavailable;
  if (err instanceof ApiError && (err.status === 429 || err.status >= 500)) return EXIT.unavailable;
  return EXIT.failed;
}

/** The exit code of a run whose items failed with `errors`: auth, then unavailable, then failed. */
function worstExit(errors: readonly unknown[]): number {
  const codes = errors.map(exitCodeOf);
  for (const code of [EXIT.auth, EXIT.unavailable, EXIT.failed]) if (codes.includes(code)) return code;
  return EXIT.ok;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function upload(
  client: ImageProxyClient,
  args: string[],
  options: Options,
  io: CliIo,
): Promise<number> {
  if (args.length === 0) throw new UsageError('upload needs files (or globs)');
  const fit = fitOf(options);
  const blockName = options.prompt === undefined ? undefined : PROMPT_BLOCKS[options.prompt];
  if (options.prompt !== undefined && !blockName)
    throw new UsageError(
      `--prompt must be one of ${Object.keys(PROMPT_BLOCKS).join(', ')}, got "${options.prompt}"`,
    );
  const concurrency = wholeNumber(options.concurrency, 'concurrency', 1, 64) ?? 4;
  // http(s) URLs are fetched by the service (an upload from a URL); everything else names files.
  const files: InputFile[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    if (/^https?:\/\//i.test(arg)) {
      files.push({ name: arg, path: arg, size: 0, url: true });
      continue;
    }
    const found = await expandFiles([arg], io.cwd);
    files.push(...found.files.filter((file) => !files.some((seen) => seen.path === file.path)));
    unmatched.push(...found.unmatched);
  }
  if (unmatched.length > 0) throw new UsageError(`no such file: ${unmatched.join(', ')}`);

  const showProgress = options['no-progress'] ? false : (options.progress ?? io.stderr.isTTY === true);
  const bar = new ProgressBar(io.stderr, {
    enabled: showProgress,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    files: files.length,
  });
  // A refused key refuses every file: stop at the first one.
  const stop = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
  type Result = { file: InputFile; via?: string; answer?: UploadAnswer; error?: unknown };
  const results: Result[] = new Array(files.length);
  const human = !options.json && !blockName;
  let next = 0;
  const worker = async () => {
    while (next < files.length && !signal.aborted) {
      const index = next++;
      const file = files[index]!;
      let via = 'direct';
      try {
        const answer = file.url
          ? await client.uploadFromUrl(file.path, { ...(fit && { fit }), signal }).then((a) => {
              via = 'url';
              return a;
            })
          : await client.uploadFile(file.path, {
              ...(fit && { fit }),
              signal,
              onProgress: (p) => {
                via = p.via;
                bar.update(file.name, p.sentBytes);
              },
            });
        results[index] = { file, via, answer };
        if (human) bar.log(humanUploadLine(file, answer, via), io.stdout);
      } catch (err) {
        if (signal.aborted && !(err instanceof ForbiddenError)) {
          results[index] = { file, error: err };
          break;
        }
        results[index] = { file, via, error: err };
        if (err instanceof ForbiddenError) stop.abort(err);
        else bar.log(`s3ip: ${file.name}: ${describe(err)}`, io.stderr);
      } finally {
        bar.finish(file.name, file.size);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  bar.end();
  if (io.signal?.aborted) throw io.signal.reason ?? new Error('interrupted');

  const done = results.filter(Boolean);
  const forbidden = done.find((r) => r.error instanceof ForbiddenError)?.error;
  if (blockName) {
    io.stdout.write(json(done.filter((r) => r.answer).map((r) => r.answer!.prompt[blockName] ?? null)));
  } else if (options.json) {
    io.stdout.write(
      json(
        files.map((file, i) => {
          const r = results[i];
          if (r?.answer) return { file: file.name, via: r.via, ...r.answer };
          return { file: file.name, error: errorJson(r?.error ?? forbidden ?? new Error('not attempted')) };
        }),
      ),
    );
  }
  if (forbidden) {
    io.stderr.write(`s3ip: ${describe(forbidden)}\n`);
    return EXIT.auth;
  }
  return worstExit(done.filter((r) => r.error).map((r) => r.error));
}

function humanUploadLine(file: InputFile, answer: UploadAnswer, via: string): string {
  const size = answer.width && answer.height ? `${answer.width}×${answer.height} ` : '';
  const route = via === 'presigned' ? ', presigned PUT' : via === 'url' ? ', fetched by the service' : '';
  return `${file.name}  ${answer.url}  (${size}${answer.contentType}, ${formatBytes(answer.size)}${route})`;
}

async function list(client: ImageProxyClient, args: string[], options: Options, io: CliIo): Promise<number> {
  if (args.length > 1) throw new UsageError('ls takes at most one prefix');
  const limit = wholeNumber(options.limit, 'limit', 1, 1_000_000);
  const items = [];
  for await (const item of client.list({
    ...(args[0] !== undefined && { prefix: args[0] }),
    ...(limit !== undefined && { pageSize: Math.min(limit, 1000) }),
    ...(io.signal && { signal: io.signal }),
  })) {
    items.push(item);
    if (limit !== undefined && items.length >= limit) break;
  }
  if (options.json) io.stdout.write(json(items));
  else
    for (const item of items)
      io.stdout.write(
        `${item.lastModified ?? '-'}  ${formatBytes(item.size).padStart(9)}  ${(item.contentType ?? '-').padEnd(10)}  ${item.key}\n`,
      );
  return EXIT.ok;
}

async function info(client: ImageProxyClient, args: string[], options: Options, io: CliIo): Promise<number> {
  if (args.length !== 1) throw new UsageError('info takes one key or URL');
  const answer = await client.info(args[0]!, { ...(io.signal && { signal: io.signal }) });
  if (options.json) io.stdout.write(json(answer));
  else {
    const rows: [string, unknown][] = [
      ['key', answer.key],
      ['url', answer.url],
      ['size', `${formatBytes(answer.size)} (${answer.size} bytes)`],
      ['type', answer.contentType],
      ['pixels', answer.width && answer.height ? `${answer.width}×${answer.height}` : undefined],
      ['profile', answer.profile],
      ['sha256', answer.sha256],
      ['modified', answer.lastModified],
      ['filename', answer.filename],
      [
        'original',
        answer.original &&
          `${answer.original.contentType}${answer.original.size === undefined ? '' : `, ${formatBytes(answer.original.size)}`}${
            answer.original.width ? `, ${answer.original.width}×${answer.original.height}` : ''
          }`,
      ],
    ];
    for (const [name, value] of rows)
      if (value !== undefined) io.stdout.write(`${`${name}:`.padEnd(10)}${value}\n`);
  }
  return EXIT.ok;
}

async function remove(
  client: ImageProxyClient,
  args: string[],
  options: Options,
  io: CliIo,
): Promise<number> {
  if (args.length === 0) throw new UsageError('rm needs keys or URLs');
  const results: { target: string; deleted?: true; error?: unknown }[] = [];
  for (const target of args) {
    try {
      await client.delete(target, { ...(io.signal && { signal: io.signal }) });
      results.push({ target, deleted: true });
      if (!options.json) io.stdout.write(`deleted ${target}\n`);
    } catch (err) {
      if (err instanceof ForbiddenError) throw err;
      results.push({ target, error: err });
      io.stderr.write(`s3ip: ${target}: ${describe(err)}\n`);
    }
  }
  if (options.json)
    io.stdout.write(
      json(results.map((r) => (r.error ? { target: r.target, error: errorJson(r.error) } : r))),
    );
  return worstExit(results.filter((r) => r.error).map((r) => r.error));
}

async function presign(
  client: ImageProxyClient,
  args: string[],
  options: Options,
  io: CliIo,
): Promise<number> {
  const [method, target, ...rest] = args;
  if ((method !== 'get' && method !== 'put') || target === undefined || rest.length > 0)
    throw new UsageError('presign get <key|url>, or presign put <file>');
  const expiresIn = wholeNumber(options.expires, 'expires', 1, 604_800);
  const signal = io.signal;
  if (method === 'get') {
    const answer = await client.presignGet(target, {
      ...(expiresIn !== undefined && { expiresIn }),
      ...(signal && { signal }),
    });
    io.stdout.write(options.json ? json(answer) : `${answer.url}\n`);
    return EXIT.ok;
  }
  const { files, unmatched } = await expandFiles([target], io.cwd);
  if (unmatched.length > 0 || files.length !== 1)
    throw new UsageError(`presign put needs one file, got "${target}"`);
  const file = files[0]!;
  const { openAsBlob } = await import('node:fs');
  const head = new Uint8Array(await (await openAsBlob(file.path)).slice(0, 64).arrayBuffer());
  const { sniffContentType } = await import('./body-source.ts');
  const contentType = sniffContentType(head);
  if (!contentType)
    throw new UsageError(
      `${file.name} is not of an accepted type (PNG, JPEG, GIF, WebP, AVIF, HEIC/HEIF, MP4)`,
    );
  const fit = fitOf(options);
  const answer = await client.presignPut({
    contentType,
    contentLength: file.size,
    filename: file.name.split(/[\\/]/).pop()!,
    ...(fit && { fit }),
    ...(expiresIn !== undefined && { expiresIn }),
    ...(signal && { signal }),
  });
  if (options.json) io.stdout.write(json(answer));
  else {
    io.stdout.write(`PUT ${answer.url}\n`);
    for (const [name, value] of Object.entries(answer.headers)) io.stdout.write(`  ${name}: ${value}\n`);
    io.stdout.write(`then GET ${answer.statusPath} until it is published (expires ${answer.expiresAt})\n`);
  }
  return EXIT.ok;
}
