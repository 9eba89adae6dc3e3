import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ErasureDispatcher } from '../catalogue/erase-in-background';
import type { BackgroundErasure } from '../routes/folder-erasure';
import { loadEraseInBackgroundAbove } from '../settings/erasure';
import { requiredString } from './config';
import { createDynamoDbClient } from './dynamodb-client';
import { ENV } from './env-names';
import { DynamoDbErasureLog } from './erasure-log';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How the objects function erases large folders: the erasure log in `CATALOGUE_TABLE`, the
 * threshold `ERASE_IN_BACKGROUND_ABOVE` (0–100000) and the entry's way to the background.
 */
export function loadBackgroundErasure(
  env: Env,
  dispatch: ErasureDispatcher,
  wrap: (client: DynamoDBClient) => DynamoDBClient = (client) => client,
): BackgroundErasure {
  const region = env[ENV.region]?.trim() || 'us-east-1';
  const endpoint = env[ENV.dynamodbEndpoint]?.trim() || undefined;
  return {
    erasures: new DynamoDbErasureLog(
      wrap(createDynamoDbClient(region, endpoint)),
      requiredString(env, ENV.catalogueTable),
    ),
    dispatch,
    backgroundAbove: loadEraseInBackgroundAbove(env),
  };
}
