import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { DynamoDbCatalogue } from './catalogue-store';
import { requiredString } from './config';
import { createDynamoDbClient } from './dynamodb-client';
import { ENV } from './env-names';
import { loadKeySecret } from './key-secret';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The catalogue of a function that records or reads images: `CATALOGUE_TABLE` (required),
 * `DYNAMODB_ENDPOINT` (local mode) and the key secret. `wrap` lets the entry trace the client.
 */
export function loadCatalogueDeps(
  env: Env,
  wrap: (client: DynamoDBClient) => DynamoDBClient = (client) => client,
): CatalogueDeps {
  const region = env[ENV.region]?.trim() || 'us-east-1';
  const endpoint = env[ENV.dynamodbEndpoint]?.trim() || undefined;
  return {
    catalogue: new DynamoDbCatalogue(
      wrap(createDynamoDbClient(region, endpoint)),
      requiredString(env, ENV.catalogueTable),
    ),
    keySecret: loadKeySecret(env, region),
  };
}
