import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A DynamoDB client with tight budgets (1 s to connect, 2 s per attempt, 3 attempts), so a slow
 * table stays well inside API Gateway's 29 s and surfaces as 503 with Retry-After. `endpoint`
 * points local mode at the embedded server, which takes any credentials.
 */
export function createDynamoDbClient(region: string, endpoint?: string): DynamoDBClient {
  return new DynamoDBClient({
    region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    ...(endpoint !== undefined && {
      endpoint,
      // The embedded DynamoDB checks no signature; these never leave loopback.
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  });
}
