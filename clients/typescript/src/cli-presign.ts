import { openAsBlob } from 'node:fs';
import { sniffContentType } from './body-source.ts';
import { type CommandContext, json, UsageError } from './cli-context.ts';
import { EXIT } from './cli-exit.ts';
import { expandFiles } from './cli-files.ts';
import { fitOf, wholeNumber } from './cli-options.ts';

/** `s3ip presign get <key|url>` (a private read) or `s3ip presign put <file>` (a direct upload's URL and headers). */
export async function presignCommand(
  { options, io, client }: CommandContext,
  args: string[],
): Promise<number> {
  const [method, target, ...rest] = args;
  if ((method !== 'get' && method !== 'put') || target === undefined || rest.length > 0)
    throw new UsageError('presign get <key|url>, or presign put <file>');
  const expiresIn = wholeNumber(options.expires, 'expires', 1, 604_800);
  const signal = io.signal;
  if (method === 'get') {
    const answer = await client().presignGet(target, {
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
  const head = new Uint8Array(await (await openAsBlob(file.path)).slice(0, 64).arrayBuffer());
  const contentType = sniffContentType(head);
  if (!contentType)
    throw new UsageError(
      `${file.name} is not of an accepted type (PNG, JPEG, GIF, WebP, AVIF, HEIC/HEIF, MP4)`,
    );
  const fit = fitOf(options);
  const answer = await client().presignPut({
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
