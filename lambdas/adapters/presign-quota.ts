import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PresignLimitError } from '../core/errors';
import { countingWindowAt, type PresignLimit } from '../core/presign-window';
import { type Deferred, onFirstUse, resolveDeferred } from './on-first-use';
import { toStorageError } from './service-errors';

/**
 * Counts presigned uploads per client and window, and refuses those over the deployment's
 * ceiling: a cost bound the service enforces itself, whatever the usage plans say (AWS calls
 * usage-plan throttles and quotas best effort). A batch counts whole or not at all.
 */
export interface PresignQuota {
  /** Counts `count` more uploads for `client`; throws `PresignLimitError` (429) over the ceiling. */
  reserve(client: string, count: number): Promise<void>;
}

/**
 * The quota's DynamoDB client on AWS, made by the first request that asks for PUTs, not at cold
 * start; `wrap` is the platform's tracing of a client.
 */
export function quotaClientOnFirstUse(region: string, wrap: (client: DynamoDBClient) => DynamoDBClient) {
  return onFirstUse(async () => wrap((await import('./sdk/dynamodb-presign')).createDynamoDbClient(region)));
}

/**
 * The counter on AWS: one DynamoDB item per client and window, raised by an atomic conditional
 * update (`ADD`), so concurrent function instances can never hand out more than the ceiling.
 * Items expire by TTL two windows after theirs ends. The SDK is loaded by the first request
 * that asks for PUTs (`import()`), so a cold start and GET-only presigns do not pay for it.
 */
export class DynamoDbPresignQuota implements PresignQuota {
  constructor(
    private readonly dynamo: Deferred<DynamoDBClient>,
    private readonly tableName: string,
    private readonly limit: PresignLimit,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(client: string, count: number): Promise<void> {
    const window = countingWindowAt(this.now(), this.limit.windowSeconds);
    if (count > this.limit.uploads)
      throw new PresignLimitError(this.limit.uploads, this.limit.windowSeconds, window.secondsLeft);
    const { ConditionalCheckFailedException, UpdateItemCommand } = await import('./sdk/dynamodb-presign');
    try {
      const dynamo = await resolveDeferred(this.dynamo);
      await dynamo.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: `presign#${client}#${window.startSeconds}` } },
          UpdateExpression: 'ADD uploads :count SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(uploads) OR uploads <= :room',
          ExpressionAttributeValues: {
            ':count': { N: String(count) },
            ':room': { N: String(this.limit.uploads - count) },
            ':expiresAt': { N: String(window.startSeconds + 3 * this.limit.windowSeconds) },
          },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException)
        throw new PresignLimitError(this.limit.uploads, this.limit.windowSeconds, window.secondsLeft);
      throw toStorageError(err);
    }
  }
}

/**
 * The counter of local mode, one process: the same fixed windows and the same refusal, in memory.
 * Past windows are dropped as new ones open.
 */
export class InMemoryPresignQuota implements PresignQuota {
  private readonly counts = new Map<string, number>();
  private currentWindow = -1;

  constructor(
    private readonly limit: PresignLimit,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(client: string, count: number): Promise<void> {
    const window = countingWindowAt(this.now(), this.limit.windowSeconds);
    if (window.startSeconds !== this.currentWindow) {
      this.counts.clear();
      this.currentWindow = window.startSeconds;
    }
    const used = this.counts.get(client) ?? 0;
    if (used + count > this.limit.uploads)
      throw new PresignLimitError(this.limit.uploads, this.limit.windowSeconds, window.secondsLeft);
    this.counts.set(client, used + count);
  }
}
