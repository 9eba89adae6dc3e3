import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CATALOGUE_TABLE, FINISHED_ERASURE_RETENTION_DAYS } from './catalogue-table';
import { toStorageError } from './service-errors';

/** A folder being erased in the background, and how far it got. */
export interface Erasure {
  readonly id: string;
  readonly client: string;
  readonly folder: string;
  readonly state: 'running' | 'done';
  /** Images erased so far (all of them once `done`). */
  readonly deleted: number;
  readonly startedAt: string;
}

/** Where background erasures record their progress, so a crashed one can be continued. */
export interface ErasureLog {
  /**
   * Records `erasure` as the folder's running one, unless one already runs there: answers the
   * erasure that runs (the new one, or the one found).
   */
  start(erasure: Erasure): Promise<Erasure>;
  find(client: string, id: string): Promise<Erasure | undefined>;
  /**
   * Makes this run the erasure's only one until `until` (ISO 8601), unless another run holds it
   * past `now`: answers whether this run may go on.
   */
  claim(erasure: Erasure, now: string, until: string): Promise<boolean>;
  /** Lets the next run claim the erasure at once. */
  release(erasure: Erasure): Promise<void>;
  /** Every erasure still running (of every client), oldest first: what the reconciler continues. */
  running(): Promise<Erasure[]>;
  /** Adds `count` images to what the erasure has erased. */
  count(erasure: Erasure, count: number): Promise<void>;
  /**
   * Marks the erasure done at `finishedAt` (ISO 8601), to expire `FINISHED_ERASURE_RETENTION_DAYS`
   * later, and frees its folder for the next one.
   */
  finish(erasure: Erasure, finishedAt: string): Promise<void>;
}

const S = (value: string): AttributeValue => ({ S: value });
const PK = CATALOGUE_TABLE.partitionKey;
// Items beside the image records, under prefixes of their own (see catalogue-table.ts).
const erasureKey = (client: string, id: string) => ({ [PK]: S(`E#${client}#${id}`) });
const runningKey = (client: string, folder: string) => ({ [PK]: S(`R#${client}#${folder}`) });
// A running erasure is in the folder index under one partition of its own (removed when done),
// so the reconciler finds every one with a Query, not a scan of the table.
const RUNNING_PARTITION = 'E#running';
const GPK = CATALOGUE_TABLE.folderIndexPartitionKey;
const GSK = CATALOGUE_TABLE.folderIndexSortKey;

function erasureOf(item: Record<string, AttributeValue> | undefined): Erasure | undefined {
  if (item?.doc?.S === undefined) return undefined;
  const doc = JSON.parse(item.doc.S) as Omit<Erasure, 'state' | 'deleted'>;
  const state = item.state?.S === 'done' ? 'done' : 'running';
  return { ...doc, state, deleted: Number(item.deleted?.N ?? 0) };
}

/** The erasure log in the catalogue table: `E#<client>#<id>` per erasure, `R#<client>#<folder>` while one runs. */
export class DynamoDbErasureLog implements ErasureLog {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw toStorageError(err);
    }
  }

  async start(erasure: Erasure): Promise<Erasure> {
    const { id, client, folder, startedAt } = erasure;
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...runningKey(client, folder), id: S(id) },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw toStorageError(err);
      const running = await this.runningIn(client, folder);
      if (running) return running;
      return this.start(erasure);
    }
    const doc = JSON.stringify({ id, client, folder, startedAt });
    await this.call(() =>
      this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...erasureKey(client, id),
            doc: S(doc),
            state: S('running'),
            deleted: { N: '0' },
            [GPK]: S(RUNNING_PARTITION),
            [GSK]: S(`${startedAt}#${client}#${id}`),
          },
        }),
      ),
    );
    return { ...erasure, state: 'running', deleted: 0 };
  }

  private async runningIn(client: string, folder: string): Promise<Erasure | undefined> {
    const pointer = await this.call(() =>
      this.dynamo.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: runningKey(client, folder),
          ConsistentRead: true,
        }),
      ),
    );
    const id = pointer.Item?.id?.S;
    const erasure = id === undefined ? undefined : await this.find(client, id);
    if (erasure?.state === 'running') return erasure;
    // A pointer without its running erasure (a crash between the two writes): drop it.
    await this.call(() =>
      this.dynamo.send(new DeleteItemCommand({ TableName: this.tableName, Key: runningKey(client, folder) })),
    );
    return undefined;
  }

  async find(client: string, id: string): Promise<Erasure | undefined> {
    const answer = await this.call(() =>
      this.dynamo.send(
        new GetItemCommand({ TableName: this.tableName, Key: erasureKey(client, id), ConsistentRead: true }),
      ),
    );
    return erasureOf(answer.Item);
  }

  async claim(erasure: Erasure, now: string, until: string): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: erasureKey(erasure.client, erasure.id),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':until': S(until), ':now': S(now) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw toStorageError(err);
    }
  }

  async release(erasure: Erasure): Promise<void> {
    await this.call(() =>
      this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: erasureKey(erasure.client, erasure.id),
          UpdateExpression: 'REMOVE leaseUntil',
        }),
      ),
    );
  }

  async running(): Promise<Erasure[]> {
    const found: Erasure[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.call(() =>
        this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: CATALOGUE_TABLE.folderIndex,
            KeyConditionExpression: '#gpk = :running',
            ExpressionAttributeNames: { '#gpk': GPK },
            ExpressionAttributeValues: { ':running': S(RUNNING_PARTITION) },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const erasure = erasureOf(item);
        if (erasure?.state === 'running') found.push(erasure);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  async count(erasure: Erasure, count: number): Promise<void> {
    await this.call(() =>
      this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: erasureKey(erasure.client, erasure.id),
          UpdateExpression: 'ADD deleted :n',
          ExpressionAttributeValues: { ':n': { N: String(count) } },
        }),
      ),
    );
  }

  async finish(erasure: Erasure, finishedAt: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(finishedAt) / 1000) + FINISHED_ERASURE_RETENTION_DAYS * 86_400;
    await this.call(() =>
      this.dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: erasureKey(erasure.client, erasure.id),
          UpdateExpression: 'SET #state = :done, #expires = :expires REMOVE leaseUntil, #gpk, #gsk',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#expires': CATALOGUE_TABLE.timeToLiveAttribute,
            '#gpk': GPK,
            '#gsk': GSK,
          },
          ExpressionAttributeValues: { ':done': S('done'), ':expires': { N: String(expiresAt) } },
        }),
      ),
    );
    await this.call(() =>
      this.dynamo.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: runningKey(erasure.client, erasure.folder) }),
      ),
    );
  }
}
