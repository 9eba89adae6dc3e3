import type { ImageListQuery } from '../core/image-list-query';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type ImageRecord, keysOfImage, primaryContentType } from '../core/image-record';
import {
  type FolderStats,
  folderCounterUpdate,
  folderCountersQuery,
  sumFolderCounters,
} from './catalogue-counters';
import { CATALOGUE_TABLE } from './catalogue-table';
import { StorageUnavailableError } from '../core/errors';
import { toStorageError } from './service-errors';

/** Another writer changed the record between our read and our write: read again and retry. */
export class CatalogueConflictError extends Error {
  override readonly name = 'CatalogueConflictError';
}

export type { FolderStats } from './catalogue-counters';

/** A checked listing query: one folder (or everything under it), newest first, filtered. */
export interface ImageQuery extends ImageListQuery {
  readonly client: string;
  /** Where the previous page ended (the adapter's own, checked by the caller). */
  readonly after?: Readonly<Record<string, string>> | undefined;
}

/** One page of records and where the next one starts. */
export interface ImagePage {
  readonly records: readonly ImageRecord[];
  readonly next?: Readonly<Record<string, string>> | undefined;
}

/** The catalogue the use cases talk to; the DynamoDB adapter below is its only production form. */
export interface Catalogue {
  getImage(client: string, imageId: string): Promise<ImageRecord | undefined>;
  /** The image an object key belongs to (any profile, or its original), if recorded. */
  findByKey(key: string): Promise<ImageRecord | undefined>;
  /**
   * Writes `after` when the stored record is still `before` (absent: none yet), then the links
   * of its new keys and the change of its folders' stats; answers the record as saved (its new
   * version). Throws `CatalogueConflictError` on a race.
   */
  saveImage(before: ImageRecord | undefined, after: ImageRecord): Promise<ImageRecord>;
  /** Removes the record (still at its version), then its key links and its share of the stats. */
  deleteImage(record: ImageRecord): Promise<void>;
  listImages(query: ImageQuery): Promise<ImagePage>;
  /** Every record of every client, a page at a time (the reconciler's and backfill's walk). */
  scanImages(after?: Readonly<Record<string, string>>): Promise<ImagePage>;
  stats(client: string, folder: string): Promise<FolderStats>;
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const imagePk = (client: string, imageId: string) => `I#${client}#${imageId}`;
const linkPk = (key: string) => `K#${key}`;
// BatchWriteItem takes at most 25 requests; what the service leaves unprocessed is sent again.
const BATCH_LIMIT = 25;
const BATCH_ROUNDS = 5;

/** Where a record sorts in its client's folder index: by folder, then by creation. */
export function folderSortKey(folder: string, createdAt: string, imageId: string): string {
  return `${folder}/#${createdAt}#${imageId}`;
}

function imageItem(record: ImageRecord): Record<string, AttributeValue> {
  const { version, ...doc } = record;
  return {
    [CATALOGUE_TABLE.partitionKey]: S(imagePk(record.client, record.imageId)),
    [CATALOGUE_TABLE.folderIndexPartitionKey]: S(`C#${record.client}`),
    [CATALOGUE_TABLE.folderIndexSortKey]: S(folderSortKey(record.folder, record.createdAt, record.imageId)),
    createdAt: S(record.createdAt),
    contentType: S(primaryContentType(record)),
    source: S(record.source),
    ...(record.tags.length > 0 && { tags: { SS: [...record.tags] } }),
    ...(record.filename !== undefined && { filenameLower: S(record.filename.toLowerCase()) }),
    version: N(version),
    doc: S(JSON.stringify(doc)),
  };
}

function recordOf(item: Record<string, AttributeValue> | undefined): ImageRecord | undefined {
  if (item?.doc?.S === undefined) return undefined;
  return {
    ...(JSON.parse(item.doc.S) as Omit<ImageRecord, 'version'>),
    version: Number(item.version?.N ?? 0),
  };
}

/** The catalogue on DynamoDB. SDK errors become the project's storage errors (503 + Retry-After). */
export class DynamoDbCatalogue implements Catalogue {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        throw new CatalogueConflictError('record changed', { cause: err });
      throw toStorageError(err);
    }
  }

  async getImage(client: string, imageId: string): Promise<ImageRecord | undefined> {
    const answer = await this.call(() =>
      this.dynamo.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [CATALOGUE_TABLE.partitionKey]: S(imagePk(client, imageId)) },
          ConsistentRead: true,
        }),
      ),
    );
    return recordOf(answer.Item);
  }

  async findByKey(key: string): Promise<ImageRecord | undefined> {
    const link = await this.call(() =>
      this.dynamo.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [CATALOGUE_TABLE.partitionKey]: S(linkPk(key)) },
          ConsistentRead: true,
        }),
      ),
    );
    const client = link.Item?.client?.S;
    const imageId = link.Item?.imageId?.S;
    if (client === undefined || imageId === undefined) return undefined;
    const record = await this.getImage(client, imageId);
    // A link left by a delete that crashed before removing it names no record (or another key set).
    return record && keysOfImage(record).includes(key) ? record : undefined;
  }

  async saveImage(before: ImageRecord | undefined, after: ImageRecord): Promise<ImageRecord> {
    const next = { ...after, version: (before?.version ?? 0) + 1 };
    await this.call(() =>
      this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: imageItem(next),
          ...(before === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': N(before.version) },
              }),
        }),
      ),
    );
    // When a key is new, every key's link goes in the same batch: one lost by a crash is restored.
    const known = new Set(before ? keysOfImage(before) : []);
    const keys = keysOfImage(after);
    const link = { client: S(after.client), imageId: S(after.imageId) };
    if (keys.some((key) => !known.has(key)))
      await this.writeBatch(keys.map((key) => ({ PutRequest: { Item: { pk: S(linkPk(key)), ...link } } })));
    await this.addStats(after.folder, before, after);
    return next;
  }

  async deleteImage(record: ImageRecord): Promise<void> {
    await this.call(() =>
      this.dynamo.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { pk: S(imagePk(record.client, record.imageId)) },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': N(record.version) },
        }),
      ),
    );
    await this.writeBatch(
      keysOfImage(record).map((key) => ({ DeleteRequest: { Key: { pk: S(linkPk(key)) } } })),
    );
    await this.addStats(record.folder, record, undefined);
  }

  /** Key links in as few calls as BatchWriteItem allows (one for any image of up to 25 keys). */
  private async writeBatch(requests: readonly WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_LIMIT) {
      let pending: WriteRequest[] = requests.slice(i, i + BATCH_LIMIT);
      for (let round = 1; pending.length > 0; round++) {
        if (round > BATCH_ROUNDS) throw new StorageUnavailableError(503, 2);
        if (round > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
        const answer = await this.call(() =>
          this.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } })),
        );
        pending = answer.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  /** Adds the change from `before` to `after` to the counters of the image's own folder: one update. */
  private async addStats(folder: string, before: ImageRecord | undefined, after: ImageRecord | undefined) {
    const client = (after ?? before)!.client;
    const update = folderCounterUpdate(this.tableName, client, folder, before, after);
    if (update) await this.call(() => this.dynamo.send(update));
  }

  async listImages(query: ImageQuery): Promise<ImagePage> {
    const filters: string[] = [];
    const values: Record<string, AttributeValue> = {
      ':gpk': S(`C#${query.client}`),
      ':prefix': S(query.recursive ? (query.folder === '' ? '' : `${query.folder}/`) : `${query.folder}/#`),
    };
    (query.tags ?? []).forEach((tag, i) => {
      filters.push(`contains(tags, :tag${i})`);
      values[`:tag${i}`] = S(tag);
    });
    const optional: [string | undefined, string][] = [
      [query.contentType, 'contentType = :type'],
      [query.source, '#source = :source'],
      [query.createdAfter, 'createdAt > :after'],
      [query.createdBefore, 'createdAt < :before'],
      [query.filenameContains, 'contains(filenameLower, :q)'],
    ];
    const placeholders = [':type', ':source', ':after', ':before', ':q'];
    optional.forEach(([value, expression], i) => {
      if (value === undefined) return;
      filters.push(expression);
      values[placeholders[i]!] = S(value);
    });
    const records: ImageRecord[] = [];
    let start: Record<string, AttributeValue> | undefined = query.after
      ? Object.fromEntries(Object.entries(query.after).map(([name, value]) => [name, S(value)]))
      : undefined;
    // A filter applies after DynamoDB reads a page: read on until the page is full or the folder ends.
    for (let reads = 0; reads < 10 && records.length < query.limit; reads++) {
      const page = await this.call(() =>
        this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: CATALOGUE_TABLE.folderIndex,
            KeyConditionExpression:
              query.recursive && query.folder === ''
                ? 'gpk = :gpk'
                : 'gpk = :gpk AND begins_with(gsk, :prefix)',
            ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
            ...(query.source !== undefined && { ExpressionAttributeNames: { '#source': 'source' } }),
            ExpressionAttributeValues:
              query.recursive && query.folder === ''
                ? Object.fromEntries(Object.entries(values).filter(([name]) => name !== ':prefix'))
                : values,
            ScanIndexForward: false,
            Limit: query.limit - records.length,
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) records.push(recordOf(item)!);
      start = page.LastEvaluatedKey;
      if (start === undefined) break;
    }
    const next = start
      ? Object.fromEntries(Object.entries(start).map(([name, value]) => [name, value.S ?? '']))
      : undefined;
    return { records, next };
  }

  async scanImages(after?: Readonly<Record<string, string>>): Promise<ImagePage> {
    const page = await this.call(() =>
      this.dynamo.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :image)',
          ExpressionAttributeValues: { ':image': S('I#') },
          ConsistentRead: true,
          ...(after && { ExclusiveStartKey: { pk: S(after.pk ?? '') } }),
        }),
      ),
    );
    const next = page.LastEvaluatedKey?.pk?.S;
    return {
      records: (page.Items ?? []).map((item) => recordOf(item)!),
      ...(next !== undefined && { next: { pk: next } }),
    };
  }

  /** Sums the counters of the folder and every folder under it: one Query page per 1 MB of counters. */
  async stats(client: string, folder: string): Promise<FolderStats> {
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.call(() =>
        this.dynamo.send(folderCountersQuery(this.tableName, client, folder, start)),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return sumFolderCounters(items);
  }
}
