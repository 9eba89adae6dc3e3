import { type AttributeValue, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { type ImageRecord, statsDelta } from '../core/image-record';
import { CATALOGUE_TABLE } from './catalogue-table';

/** One folder's counters, as `GET /stats` answers them (the folder and everything under it). */
export interface FolderStats {
  readonly images: number;
  readonly bytes: { readonly served: number; readonly originals: number };
  readonly byContentType: Readonly<Record<string, number>>;
  readonly bySource: Readonly<Record<string, number>>;
  readonly newestCreatedAt?: string | undefined;
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

// Each folder's counters count only the images recorded in that very folder, so a write updates
// one item whatever the folder's depth; a recursive read sums the items under the folder. They
// sit in the folder index under a partition of their own, apart from the client's records.
export const counterKey = (client: string, folder: string) => ({
  [CATALOGUE_TABLE.partitionKey]: S(`F#${client}#${folder}`),
});
export const counterPartition = (client: string) => `T#${client}`;
/** `users/` sorts each folder's counters under its ancestors' prefixes (`users/a@x.io/`). */
export const counterSortKey = (folder: string) => `${folder}/`;

/**
 * The one update a record's write makes to its folder's counters: the change from `before` to
 * `after` `ADD`ed, and for a new image `newestCreatedAt` set to its creation (a delete does
 * not lower it). Undefined when nothing counted changed (a PATCH of tags). It also raises the
 * item's `version` and sets `updatedAt` (`writtenAt`): the reconciler's recount corrects the
 * item only while its version is the one it read, and leaves recently written folders alone.
 */
export function folderCounterUpdate(
  tableName: string,
  client: string,
  folder: string,
  change: { readonly before: ImageRecord | undefined; readonly after: ImageRecord | undefined },
  writtenAt: string,
): UpdateItemCommand | undefined {
  const { before, after } = change;
  const delta = statsDelta(before, after);
  const counters = [
    ['images', delta.images] as const,
    ['servedBytes', delta.servedBytes] as const,
    ['originalBytes', delta.originalBytes] as const,
    ...Object.entries(delta.contentTypes).map(([type, n]) => [`type:${type}`, n] as const),
    ...Object.entries(delta.sources).map(([source, n]) => [`source:${source}`, n] as const),
  ].filter(([, n]) => n !== 0);
  if (counters.length === 0) return undefined;
  const created = before === undefined ? after?.createdAt : undefined;
  const names = Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name]));
  const values = Object.fromEntries(counters.map(([, n], i) => [`:c${i}`, N(n)]));
  // Writes are timed by the same clock within milliseconds: the last new image is the newest.
  const newest = created === undefined ? '' : ', newestCreatedAt = :t';
  return new UpdateItemCommand({
    TableName: tableName,
    Key: counterKey(client, folder),
    UpdateExpression: `SET #gpk = :gpk, #gsk = :gsk, updatedAt = :w${newest} ADD version :one, ${counters.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
    ExpressionAttributeNames: {
      ...names,
      '#gpk': CATALOGUE_TABLE.folderIndexPartitionKey,
      '#gsk': CATALOGUE_TABLE.folderIndexSortKey,
    },
    ExpressionAttributeValues: {
      ...values,
      ':gpk': S(counterPartition(client)),
      ':gsk': S(counterSortKey(folder)),
      ':w': S(writtenAt),
      ':one': N(1),
      ...(created !== undefined && { ':t': S(created) }),
    },
  });
}

/** One page of the counter items of `folder` and every folder under it (all of them for the root). */
export function folderCountersQuery(
  tableName: string,
  client: string,
  folder: string,
  start?: Record<string, AttributeValue>,
): QueryCommand {
  const whole = folder === '';
  return new QueryCommand({
    TableName: tableName,
    IndexName: CATALOGUE_TABLE.folderIndex,
    KeyConditionExpression: whole ? '#gpk = :gpk' : '#gpk = :gpk AND begins_with(#gsk, :prefix)',
    ExpressionAttributeNames: {
      '#gpk': CATALOGUE_TABLE.folderIndexPartitionKey,
      ...(!whole && { '#gsk': CATALOGUE_TABLE.folderIndexSortKey }),
    },
    ExpressionAttributeValues: {
      ':gpk': S(counterPartition(client)),
      ...(!whole && { ':prefix': S(counterSortKey(folder)) }),
    },
    ExclusiveStartKey: start,
  });
}

/** The stats of a folder: the sum of its own counters and those of every folder under it. */
export function sumFolderCounters(items: readonly Record<string, AttributeValue>[]): FolderStats {
  let images = 0;
  let served = 0;
  let originals = 0;
  let newest: string | undefined;
  const byContentType: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      if (value.N === undefined) continue;
      const n = Number(value.N);
      if (name === 'images') images += n;
      else if (name === 'servedBytes') served += n;
      else if (name === 'originalBytes') originals += n;
      else if (name.startsWith('type:')) addTo(byContentType, name.slice('type:'.length), n);
      else if (name.startsWith('source:')) addTo(bySource, name.slice('source:'.length), n);
    }
    const created = item.newestCreatedAt?.S;
    if (created !== undefined && (newest === undefined || created > newest)) newest = created;
  }
  return {
    images,
    bytes: { served, originals },
    byContentType: positive(byContentType),
    bySource: positive(bySource),
    ...(newest !== undefined && { newestCreatedAt: newest }),
  };
}

function addTo(counts: Record<string, number>, name: string, n: number): void {
  counts[name] = (counts[name] ?? 0) + n;
}

/** Counts that fell to 0 (every image of that type deleted) are not shown. */
function positive(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
