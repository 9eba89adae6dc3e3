import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { CATALOGUE_TABLE } from '../../lambdas/adapters/catalogue-table';

/** A running embedded DynamoDB-compatible server on loopback. */
export interface EmbeddedDynamoDb {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 with an OS-chosen port, over LevelDB in `directory` (so the
 * catalogue survives restarts), or in memory when none is given.
 */
export async function startEmbeddedDynamoDb(directory?: string): Promise<EmbeddedDynamoDb> {
  if (directory !== undefined) mkdirSync(directory, { recursive: true });
  const server = dynalite({ ...(directory !== undefined && { path: directory }), createTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The SDK keeps connections alive; without this, close() waits for them to time out.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    },
  };
}

/** Creates the catalogue table as the stack does (same keys and index), unless it exists. */
export async function ensureCatalogueTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const { partitionKey, folderIndex, folderIndexPartitionKey, folderIndexSortKey } = CATALOGUE_TABLE;
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: partitionKey, AttributeType: 'S' },
        { AttributeName: folderIndexPartitionKey, AttributeType: 'S' },
        { AttributeName: folderIndexSortKey, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: folderIndex,
          KeySchema: [
            { AttributeName: folderIndexPartitionKey, KeyType: 'HASH' },
            { AttributeName: folderIndexSortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
}
