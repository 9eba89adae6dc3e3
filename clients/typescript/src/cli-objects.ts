import { type CommandContext, json, UsageError } from './cli-context.ts';
import { describe, EXIT, errorJson, worstExit } from './cli-exit.ts';
import { wholeNumber } from './cli-options.ts';
import { formatBytes } from './cli-progress.ts';
import { ForbiddenError } from './errors.ts';

/** `s3ip ls [PREFIX]`: one line per object, or a JSON array. */
export async function listCommand({ options, io, client }: CommandContext, args: string[]): Promise<number> {
  if (args.length > 1) throw new UsageError('ls takes at most one prefix');
  const limit = wholeNumber(options.limit, 'limit', 1, 1_000_000);
  const items = [];
  for await (const item of client().list({
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

/** `s3ip info <key|url>`: one object's facts, a row each, or JSON. */
export async function infoCommand({ options, io, client }: CommandContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError('info takes one key or URL');
  const answer = await client().info(args[0]!, { ...(io.signal && { signal: io.signal }) });
  if (options.json) {
    io.stdout.write(json(answer));
    return EXIT.ok;
  }
  const original = answer.original;
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
      original &&
        `${original.contentType}${original.size === undefined ? '' : `, ${formatBytes(original.size)}`}${
          original.width ? `, ${original.width}×${original.height}` : ''
        }`,
    ],
  ];
  for (const [name, value] of rows)
    if (value !== undefined) io.stdout.write(`${`${name}:`.padEnd(10)}${value}\n`);
  return EXIT.ok;
}

/** `s3ip rm <key|url>…`: deletes each; a refused key stops at once. */
export async function removeCommand(
  { options, io, client }: CommandContext,
  args: string[],
): Promise<number> {
  if (args.length === 0) throw new UsageError('rm needs keys or URLs');
  const proxy = client();
  const results: { target: string; deleted?: true; error?: unknown }[] = [];
  for (const target of args) {
    try {
      await proxy.delete(target, { ...(io.signal && { signal: io.signal }) });
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
