import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbPresignQuota, InMemoryPresignQuota } from '../../lambdas/adapters/presign-quota';
import { PresignLimitError, StorageUnavailableError } from '../../lambdas/core/errors';
import { countingWindowAt } from '../../lambdas/core/presign-window';

const dynamoMock = mockClient(DynamoDBClient);
const HOUR = 3600;
// 2026-11-21T10:15:00Z: a quarter past the hour.
const NOW = Date.parse('2026-11-21T10:15:00.000Z');

beforeEach(() => dynamoMock.reset());

describe('counting windows', () => {
  it.each([
    [NOW, HOUR, Date.parse('2026-11-21T10:00:00Z') / 1000, 2700],
    [Date.parse('2026-11-21T10:59:59.900Z'), HOUR, Date.parse('2026-11-21T10:00:00Z') / 1000, 1],
    [Date.parse('2026-11-21T11:00:00.000Z'), HOUR, Date.parse('2026-11-21T11:00:00Z') / 1000, 3600],
    [NOW, 60, NOW / 1000, 60],
  ])('at %d with windows of %d s: starts at %d, %d s left', (now, windowSeconds, start, left) => {
    expect(countingWindowAt(now, windowSeconds)).toEqual({ startSeconds: start, secondsLeft: left });
  });
});

describe('the presign ceiling on DynamoDB', () => {
  const quota = () =>
    new DynamoDbPresignQuota(
      new DynamoDBClient({ region: 'eu-west-1' }),
      'quota',
      { uploads: 10, windowSeconds: HOUR },
      () => NOW,
    );

  it('raises the client’s counter of this window atomically, on condition there is room for the whole batch', async () => {
    // Prepare
    dynamoMock.on(UpdateItemCommand).resolves({});

    // Act
    await quota().reserve('alice', 4);

    // Assess
    const start = Date.parse('2026-11-21T10:00:00Z') / 1000;
    expect(dynamoMock).toHaveReceivedCommandWith(UpdateItemCommand, {
      TableName: 'quota',
      Key: { pk: { S: `presign#alice#${start}` } },
      UpdateExpression: 'ADD uploads :count SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ConditionExpression: 'attribute_not_exists(uploads) OR uploads <= :room',
      ExpressionAttributeValues: {
        ':count': { N: '4' },
        ':room': { N: '6' },
        ':expiresAt': { N: String(start + 3 * HOUR) },
      },
    });
  });

  it('refuses with 429 and the seconds to the next window when the condition fails', async () => {
    // Prepare
    dynamoMock
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } }));

    // Act
    const reserving = quota().reserve('alice', 1);

    // Assess
    await expect(reserving).rejects.toBeInstanceOf(PresignLimitError);
    await expect(reserving).rejects.toMatchObject({ statusCode: 429, retryAfterSeconds: 2700 });
  });

  it('refuses a batch larger than the whole ceiling without asking the table', async () => {
    await expect(quota().reserve('alice', 11)).rejects.toBeInstanceOf(PresignLimitError);
    expect(dynamoMock).not.toHaveReceivedCommand(UpdateItemCommand);
  });

  it('turns a throttled table into a retryable 503', async () => {
    // Prepare
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    dynamoMock.on(UpdateItemCommand).rejects(throttled);

    // Act, Assess
    await expect(quota().reserve('alice', 1)).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});

describe('the presign ceiling in memory (local mode)', () => {
  it('counts per client, refuses what does not fit, and starts over in the next window', async () => {
    // Prepare
    let now = NOW;
    const quota = new InMemoryPresignQuota({ uploads: 3, windowSeconds: HOUR }, () => now);

    // Act, Assess
    await quota.reserve('alice', 2);
    await quota.reserve('bob', 3);
    await expect(quota.reserve('alice', 2)).rejects.toMatchObject({ retryAfterSeconds: 2700 });
    await quota.reserve('alice', 1);
    now += 2700 * 1000;
    await quota.reserve('alice', 3);
  });
});
