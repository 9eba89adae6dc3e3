import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReconcileCursor } from '../catalogue/reconcile';
import { CATALOGUE_TABLE } from './catalogue-table';
import { toStorageError } from './service-errors';

/** Where the scheduled reconciler stopped, kept between its runs. */
export interface ReconcileCursorStore {
  /** The cursor the last run left; none: start a new pass. */
  read(): Promise<ReconcileCursor | undefined>;
  /** Keeps `cursor` for the next run (none: the pass was completed, the next one starts anew). */
  write(cursor: ReconcileCursor | undefined, at: string): Promise<void>;
}

// One item beside the records (see catalogue-table.ts): the deployment has one reconciler.
const KEY = { [CATALOGUE_TABLE.partitionKey]: { S: 'X#reconcile' } as AttributeValue };

/** The cursor as an item of the catalogue table. */
export class DynamoDbReconcileCursor implements ReconcileCursorStore {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async read(): Promise<ReconcileCursor | undefined> {
    try {
      const answer = await this.dynamo.send(
        new GetItemCommand({ TableName: this.tableName, Key: KEY, ConsistentRead: true }),
      );
      const cursor = answer.Item?.cursor?.S;
      return cursor === undefined ? undefined : (JSON.parse(cursor) as ReconcileCursor);
    } catch (err) {
      throw toStorageError(err);
    }
  }

  async write(cursor: ReconcileCursor | undefined, at: string): Promise<void> {
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.tableName,
          // The time says when a pass last moved (or completed, without a cursor): for whoever looks.
          Item: {
            ...KEY,
            updatedAt: { S: at },
            ...(cursor !== undefined && { cursor: { S: JSON.stringify(cursor) } }),
          },
        }),
      );
    } catch (err) {
      throw toStorageError(err);
    }
  }
}
