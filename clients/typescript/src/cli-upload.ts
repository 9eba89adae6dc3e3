import type { PromptBlocks, UploadAnswer } from './api-types.ts';
import type { ImageProxyClient } from './client.ts';
import { type CommandContext, json, UsageError } from './cli-context.ts';
import { describe, EXIT, errorJson, worstExit } from './cli-exit.ts';
import { expandFiles, type InputFile } from './cli-files.ts';
import { fitOf, type Options, wholeNumber } from './cli-options.ts';
import { formatBytes, ProgressBar } from './cli-progress.ts';
import { ForbiddenError } from './errors.ts';

/** `--prompt` names → the answer's prompt block. */
export const PROMPT_BLOCKS: Readonly<Record<string, keyof PromptBlocks>> = {
  openai: 'openaiChat',
  'openai-responses': 'openaiResponses',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

type Result = { file: InputFile; via?: string; answer?: UploadAnswer; error?: unknown };

/** `s3ip upload <files, globs or URLs…>`: uploads them a few at a time; prints a line each, JSON or prompt blocks. */
export async function uploadCommand(
  { options, io, client }: CommandContext,
  args: string[],
): Promise<number> {
  if (args.length === 0) throw new UsageError('upload needs files (or globs)');
  const blockName = promptBlockOf(options);
  const concurrency = wholeNumber(options.concurrency, 'concurrency', 1, 64) ?? 4;
  const files = await inputsOf(args, io.cwd);
  const results = await uploadAll(client(), files, options, io, concurrency, !options.json && !blockName);
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

function promptBlockOf(options: Options): keyof PromptBlocks | undefined {
  if (options.prompt === undefined) return undefined;
  const blockName = PROMPT_BLOCKS[options.prompt];
  if (!blockName)
    throw new UsageError(
      `--prompt must be one of ${Object.keys(PROMPT_BLOCKS).join(', ')}, got "${options.prompt}"`,
    );
  return blockName;
}

/** http(s) URLs are fetched by the service (an upload from a URL); everything else names files. */
async function inputsOf(args: readonly string[], cwd: string): Promise<InputFile[]> {
  const files: InputFile[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    if (/^https?:\/\//i.test(arg)) {
      files.push({ name: arg, path: arg, size: 0, url: true });
      continue;
    }
    const found = await expandFiles([arg], cwd);
    files.push(...found.files.filter((file) => !files.some((seen) => seen.path === file.path)));
    unmatched.push(...found.unmatched);
  }
  if (unmatched.length > 0) throw new UsageError(`no such file: ${unmatched.join(', ')}`);
  return files;
}

async function uploadAll(
  client: ImageProxyClient,
  files: readonly InputFile[],
  options: Options,
  io: CommandContext['io'],
  concurrency: number,
  human: boolean,
): Promise<Result[]> {
  const fit = fitOf(options);
  const showProgress = options['no-progress'] ? false : (options.progress ?? io.stderr.isTTY === true);
  const bar = new ProgressBar(io.stderr, {
    enabled: showProgress,
    totalBytes: files.reduce((sum, file) => sum + file.size, 0),
    files: files.length,
  });
  // A refused key refuses every file: stop at the first one.
  const stop = new AbortController();
  const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
  const results: Result[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length && !signal.aborted) {
      const index = next++;
      const file = files[index]!;
      let via = file.url ? 'url' : 'direct';
      try {
        const answer = file.url
          ? await client.uploadFromUrl(file.path, { ...(fit && { fit }), signal })
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
  return results;
}

function humanUploadLine(file: InputFile, answer: UploadAnswer, via: string): string {
  const size = answer.width && answer.height ? `${answer.width}×${answer.height} ` : '';
  const route = via === 'presigned' ? ', presigned PUT' : via === 'url' ? ', fetched by the service' : '';
  return `${file.name}  ${answer.url}  (${size}${answer.contentType}, ${formatBytes(answer.size)}${route})`;
}
