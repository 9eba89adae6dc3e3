import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddedDynamoDb,
  ensureCatalogueTable,
  startEmbeddedDynamoDb,
} from '../../infra/local/embedded-dynamodb';
import { CATALOGUE_TABLE, FINISHED_ERASURE_RETENTION_DAYS } from '../../lambdas/adapters/catalogue-table';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { DynamoDbErasureLog, type Erasure } from '../../lambdas/adapters/erasure-log';

const TABLE = 'erasure-expiry';
let server: EmbeddedDynamoDb;
let dynamo: DynamoDBClient;
let log: DynamoDbErasureLog;

beforeAll(async () => {
  server = await startEmbeddedDynamoDb();
  dynamo = createDynamoDbClient('us-east-1', server.endpoint);
  await ensureCatalogueTable(dynamo, TABLE);
  log = new DynamoDbErasureLog(dynamo, TABLE);
});
afterAll(async () => {
  dynamo.destroy();
  await server.close();
});

const erasure = (id: string): Erasure => ({
  id,
  client: 'alice',
  folder: `users/${id}@example.com`,
  state: 'running',
  deleted: 0,
  startedAt: '2026-12-01T10:00:00.000Z',
});

/** The erasure's item as stored (dynalite keeps expired items: DynamoDB's TTL sweep deletes them). */
async function storedItem(id: string) {
  const answer = await dynamo.send(
    new GetItemCommand({ TableName: TABLE, Key: { [CATALOGUE_TABLE.partitionKey]: { S: `E#alice#${id}` } } }),
  );
  return answer.Item;
}

describe('erasure records expire once finished (issue 19)', () => {
  it('sets the TTL attribute to 30 days after the erasure finished, in epoch seconds', async () => {
    // Prepare
    const running = await log.start(erasure('done-one'));

    // Act
    await log.finish(running, '2026-12-07T08:00:00.000Z');

    // Assess
    const item = await storedItem('done-one');
    expect(item?.state?.S).toBe('done');
    expect(FINISHED_ERASURE_RETENTION_DAYS).toBe(30);
    expect(Number(item?.[CATALOGUE_TABLE.timeToLiveAttribute]?.N)).toBe(
      Date.parse('2027-01-06T08:00:00.000Z') / 1000,
    );
  });

  it('leaves a running erasure without the attribute, so it never expires before it is done', async () => {
    // Act
    await log.start(erasure('still-running'));

    // Assess
    const item = await storedItem('still-running');
    expect(item?.state?.S).toBe('running');
    expect(item?.[CATALOGUE_TABLE.timeToLiveAttribute]).toBeUndefined();
  });
});
