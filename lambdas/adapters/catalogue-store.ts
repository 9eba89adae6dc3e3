import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type ImageRecord, keysOfImage } from '../core/image-record';
import {
  type CataloguePage,
  entryOf,
  type FolderRef,
  imageItem,
  imagePk,
  linkPk,
  linkPuts,
  N,
  recordOf,
  S,
} from './catalogue-items';
import { type ImageQuery, imageListRead } from './catalogue-listing';
import {
  type FolderStats,
  folderCounterUpdate,
  folderCountersQuery,
  sumFolderCounters,
} from './catalogue-counters';
import {
  type FolderCounts,
  folderCounterCorrection,
  folderCountersRead,
  type StoredFolderCounters,
  storedFolderCountersOf,
} from './catalogue-counter-correction';
import { CATALOGUE_TABLE } from './catalogue-table';
import { StorageUnavailableError } from '../core/errors';
import { toStorageError } from './service-errors';

/** Another writer changed the record between our read and our write: read again and retry. */
export class CatalogueConflictError extends Error {
  override readonly name = 'CatalogueConflictError';
}

export type { FolderStats } from './catalogue-counters';
export type { FolderCounts, StoredFolderCounters } from './catalogue-counter-correction';
export type { CatalogueEntry, CataloguePage, FolderRef } from './catalogue-items';
export { folderSortKey } from './catalogue-items';
export type { ImageQuery } from './catalogue-listing';

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
  /** Every record and every folder's counter item, in table order, a page at a time (the reconciler's walk). */
  walkCatalogue(after?: Readonly<Record<string, string>>): Promise<CataloguePage>;
  stats(client: string, folder: string): Promise<FolderStats>;
  /** A folder's own counter item as stored now (not those under it); undefined when it has none. */
  folderCounters(folder: FolderRef): Promise<StoredFolderCounters | undefined>;
  /**
   * Sets a folder's counters to `counts` if no write changed the item since `stored` was read;
   * answers false (nothing written) when one did.
   */
  correctFolderCounters(
    folder: FolderRef,
    stored: StoredFolderCounters | undefined,
    counts: FolderCounts,
  ): Promise<boolean>;
  /** Writes the key links of the record that are missing (idempotent puts); answers how many. */
  restoreKeyLinks(record: ImageRecord): Promise<number>;
}

// BatchWriteItem takes at most 25 requests; what the service leaves unprocessed is sent again.
const BATCH_LIMIT = 25;
const BATCH_ROUNDS = 5;

/** The catalogue on DynamoDB. SDK errors become the project's storage errors (503 + Retry-After). */
export class DynamoDbCatalogue implements Catalogue {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
    /** When a counter item is written (its `updatedAt`). @default the system clock */
    private readonly now: () => string = () => new Date().toISOString(),
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

  /** One item by its partition key; strongly consistent unless said otherwise. */
  private getItem(pk: string, consistentRead = true) {
    const key = { [CATALOGUE_TABLE.partitionKey]: S(pk) };
    return this.call(() =>
      this.dynamo.send(
        new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistentRead }),
      ),
    );
  }

  async getImage(client: string, imageId: string): Promise<ImageRecord | undefined> {
    return recordOf((await this.getItem(imagePk(client, imageId))).Item);
  }

  async findByKey(key: string): Promise<ImageRecord | undefined> {
    const link = await this.getItem(linkPk(key));
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
    if (keys.some((key) => !known.has(key))) await this.writeBatch(linkPuts(after, keys));
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
    const update = folderCounterUpdate(this.tableName, client, folder, { before, after }, this.now());
    if (update) await this.call(() => this.dynamo.send(update));
  }

  async listImages(query: ImageQuery): Promise<ImagePage> {
    const records: ImageRecord[] = [];
    let start: Record<string, AttributeValue> | undefined = query.after
      ? Object.fromEntries(Object.entries(query.after).map(([name, value]) => [name, S(value)]))
      : undefined;
    // A filter applies after DynamoDB reads a page: read on until the page is full or the folder ends.
    for (let reads = 0; reads < 10 && records.length < query.limit; reads++) {
      const read = imageListRead(this.tableName, query, query.limit - records.length, start);
      const page = await this.call(() => this.dynamo.send(read));
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
    const page = await this.walkCatalogue(after);
    return {
      records: page.entries.flatMap((entry) => ('record' in entry ? [entry.record] : [])),
      ...(page.next !== undefined && { next: page.next }),
    };
  }

  // One Scan reads the whole table whatever its filter (and is charged for it), so records and
  // counter items come in one walk.
  async walkCatalogue(after?: Readonly<Record<string, string>>): Promise<CataloguePage> {
    const page = await this.call(() =>
      this.dynamo.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(pk, :image) OR begins_with(pk, :counters)',
          ExpressionAttributeValues: { ':image': S('I#'), ':counters': S('F#') },
          ConsistentRead: true,
          ...(after && { ExclusiveStartKey: { pk: S(after.pk ?? '') } }),
        }),
      ),
    );
    const next = page.LastEvaluatedKey?.pk?.S;
    return {
      entries: (page.Items ?? []).map((item) => entryOf(item)),
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

  async folderCounters({ client, folder }: FolderRef): Promise<StoredFolderCounters | undefined> {
    const answer = await this.call(() =>
      this.dynamo.send(folderCountersRead(this.tableName, client, folder)),
    );
    return storedFolderCountersOf(answer.Item);
  }

  async correctFolderCounters(
    { client, folder }: FolderRef,
    stored: StoredFolderCounters | undefined,
    counts: FolderCounts,
  ): Promise<boolean> {
    const correction = folderCounterCorrection(this.tableName, client, folder, stored, counts);
    try {
      await this.call(() => this.dynamo.send(correction));
      return true;
    } catch (err) {
      if (err instanceof CatalogueConflictError) return false;
      throw err;
    }
  }

  // Eventually consistent reads (half the cost): a link written a moment ago and not yet seen is
  // only written again, which changes nothing.
  async restoreKeyLinks(record: ImageRecord): Promise<number> {
    const keys = keysOfImage(record);
    const links = await Promise.all(keys.map((key) => this.getItem(linkPk(key), false)));
    const missing = keys.filter((_, i) => {
      const item = links[i]?.Item;
      return item?.client?.S !== record.client || item?.imageId?.S !== record.imageId;
    });
    if (missing.length > 0) await this.writeBatch(linkPuts(record, missing));
    return missing.length;
  }
}
