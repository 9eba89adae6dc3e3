import { type AttributeValue, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { StatsContribution } from '../core/image-record';
import { counterKey, counterPartition, counterSortKey } from './catalogue-counters';
import { CATALOGUE_TABLE } from './catalogue-table';

/** What a folder's counter item should hold: the sum of its records, and its newest creation. */
export interface FolderCounts extends StatsContribution {
  readonly newestCreatedAt?: string | undefined;
}

/** A folder's counter item as stored, and what tells a later write to it apart. */
export interface StoredFolderCounters extends FolderCounts {
  /** Raised by every write; absent on an item no versioned write has touched. */
  readonly version?: number | undefined;
  /** When a write last changed the item (ISO 8601); absent likewise. */
  readonly updatedAt?: string | undefined;
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const TYPE = 'type:';
const SOURCE = 'source:';

/** A strongly consistent read of a folder's counter item: the recount compares against the latest write. */
export function folderCountersRead(tableName: string, client: string, folder: string): GetItemCommand {
  return new GetItemCommand({ TableName: tableName, Key: counterKey(client, folder), ConsistentRead: true });
}

/** The counter item read, or undefined when the folder has none. Counts of 0 are kept (their names are stored). */
export function storedFolderCountersOf(
  item: Record<string, AttributeValue> | undefined,
): StoredFolderCounters | undefined {
  if (item === undefined) return undefined;
  const number = (name: string) => Number(item[name]?.N ?? 0);
  const named = (prefix: string) =>
    Object.fromEntries(
      Object.entries(item)
        .filter(([name, value]) => name.startsWith(prefix) && value.N !== undefined)
        .map(([name, value]) => [name.slice(prefix.length), Number(value.N)]),
    );
  return {
    images: number('images'),
    servedBytes: number('servedBytes'),
    originalBytes: number('originalBytes'),
    contentTypes: named(TYPE),
    sources: named(SOURCE),
    newestCreatedAt: item.newestCreatedAt?.S,
    version: item.version?.N === undefined ? undefined : Number(item.version.N),
    updatedAt: item.updatedAt?.S,
  };
}

/** Only while the item is as it was read: no write has raised its version (or created it) since. */
function unchangedSince(stored: StoredFolderCounters | undefined) {
  if (stored === undefined) return { condition: `attribute_not_exists(${CATALOGUE_TABLE.partitionKey})` };
  if (stored.version === undefined) return { condition: 'attribute_not_exists(version)' };
  return { condition: 'version = :read', values: { ':read': N(stored.version) } };
}

/**
 * Sets a folder's counter item to `counts` (the stale `type:`/`source:` counts removed) and
 * raises its version, on condition that no write changed it since `stored` was read: a write
 * racing the recount fails this update (ConditionalCheckFailed) rather than being overwritten.
 */
export function folderCounterCorrection(
  tableName: string,
  client: string,
  folder: string,
  stored: StoredFolderCounters | undefined,
  counts: FolderCounts,
): UpdateItemCommand {
  const named = [
    ...Object.entries(counts.contentTypes).map(([type, n]) => [`${TYPE}${type}`, n] as const),
    ...Object.entries(counts.sources).map(([source, n]) => [`${SOURCE}${source}`, n] as const),
  ];
  const kept = new Set<string>(named.map(([name]) => name));
  const stale = [
    ...Object.keys(stored?.contentTypes ?? {}).map((type) => `${TYPE}${type}`),
    ...Object.keys(stored?.sources ?? {}).map((source) => `${SOURCE}${source}`),
  ].filter((name) => !kept.has(name));
  const guard = unchangedSince(stored);
  const sets = [
    '#gpk = :gpk',
    '#gsk = :gsk',
    'images = :images',
    'servedBytes = :served',
    'originalBytes = :originals',
    'version = :next',
    ...(counts.newestCreatedAt !== undefined ? ['newestCreatedAt = :newest'] : []),
    ...named.map((_, i) => `#n${i} = :n${i}`),
  ];
  return new UpdateItemCommand({
    TableName: tableName,
    Key: counterKey(client, folder),
    UpdateExpression: `SET ${sets.join(', ')}${stale.length > 0 ? ` REMOVE ${stale.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
    ConditionExpression: guard.condition,
    ExpressionAttributeNames: {
      '#gpk': CATALOGUE_TABLE.folderIndexPartitionKey,
      '#gsk': CATALOGUE_TABLE.folderIndexSortKey,
      ...Object.fromEntries(named.map(([name], i) => [`#n${i}`, name])),
      ...Object.fromEntries(stale.map((name, i) => [`#r${i}`, name])),
    },
    ExpressionAttributeValues: {
      ':gpk': S(counterPartition(client)),
      ':gsk': S(counterSortKey(folder)),
      ':images': N(counts.images),
      ':served': N(counts.servedBytes),
      ':originals': N(counts.originalBytes),
      ':next': N((stored?.version ?? 0) + 1),
      ...(counts.newestCreatedAt !== undefined && { ':newest': S(counts.newestCreatedAt) }),
      ...Object.fromEntries(named.map(([, n], i) => [`:n${i}`, N(n)])),
      ...guard.values,
    },
  });
}
