import type { ImageListItem } from './catalogue-types.ts';
import { type CommandContext, json, UsageError } from './cli-context.ts';
import { EXIT } from './cli-exit.ts';
import { formatBytes } from './cli-progress.ts';

/** `s3ip stats [--folder F]`: counts and bytes of the images (under F), a row each, or JSON. */
export async function statsCommand({ options, io, client }: CommandContext, args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError('stats takes no arguments: name a folder with --folder');
  const stats = await client().stats({
    ...(options.folder !== undefined && { folder: options.folder }),
    ...(io.signal && { signal: io.signal }),
  });
  if (options.json) {
    io.stdout.write(json(stats));
    return EXIT.ok;
  }
  const counts = (byName: Readonly<Record<string, number>>) =>
    Object.entries(byName)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ') || '-';
  const rows: [string, unknown][] = [
    ['folder', options.folder ?? '(all)'],
    ['images', stats.images],
    ['served', `${formatBytes(stats.bytes.served)} (${stats.bytes.served} bytes)`],
    ['originals', `${formatBytes(stats.bytes.originals)} (${stats.bytes.originals} bytes)`],
    ['by type', counts(stats.byContentType)],
    ['by source', counts(stats.bySource)],
    ['newest', stats.newestCreatedAt ?? '-'],
  ];
  for (const [name, value] of rows) io.stdout.write(`${`${name}:`.padEnd(11)}${value}\n`);
  return EXIT.ok;
}

/**
 * `s3ip rm --folder F --yes`: erases every image under F. It asks nothing (scripts run it), so
 * the erase needs `--yes` on the command line; without it nothing is sent.
 */
export async function eraseFolderCommand(
  { options, io, client }: CommandContext,
  args: string[],
): Promise<number> {
  if (args.length > 0) throw new UsageError('rm takes keys or URLs, or --folder, not both');
  if (!options.folder) throw new UsageError('--folder needs a folder, e.g. users/alice@example.com');
  if (!options.yes)
    throw new UsageError(
      `rm --folder erases every image under "${options.folder}" for good: add --yes to do it`,
    );
  const { deleted } = await client().eraseFolder(options.folder, { ...(io.signal && { signal: io.signal }) });
  io.stdout.write(
    options.json
      ? json({ folder: options.folder, deleted })
      : `erased ${options.folder}: ${deleted} images\n`,
  );
  return EXIT.ok;
}

/** ` [folder] #tag #tag` after a listed key, when it has them. */
export function labelsText(item: ImageListItem): string {
  const folder = item.folder ? `  [${item.folder}]` : '';
  const tags = item.tags?.length ? `  ${item.tags.map((tag) => `#${tag}`).join(' ')}` : '';
  return folder + tags;
}
