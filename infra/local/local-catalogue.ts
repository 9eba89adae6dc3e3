import { join } from 'node:path';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { ENV } from '../../lambdas/adapters/env-names';
import { ensureCatalogueTable, startEmbeddedDynamoDb } from './embedded-dynamodb';
import { localKeySecretHex } from './local-key-secret';

/** The catalogue table's name in local mode. */
export const LOCAL_CATALOGUE_TABLE = 'local-catalogue';

/** Local mode's catalogue: the embedded DynamoDB, its table, and the settings that point at them. */
export interface LocalCatalogue {
  /** The embedded server itself (never an override): what tests read to see what is recorded. */
  readonly endpoint: string;
  /** `CATALOGUE_TABLE`, `DYNAMODB_ENDPOINT` and `LOCAL_KEY_SECRET`, as the routes read them. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * Starts the embedded DynamoDB over `<dataDir>/_catalogue/db` (LevelDB: the catalogue survives
 * restarts, as the objects do) and creates the table; the key secret lives beside it.
 * `endpointOverride` puts a fault-injecting proxy between the routes and the server (tests).
 */
export async function startLocalCatalogue(
  dataDir: string,
  endpointOverride?: (embedded: string) => string | Promise<string>,
): Promise<LocalCatalogue> {
  const server = await startEmbeddedDynamoDb(join(dataDir, '_catalogue', 'db'));
  const setup = createDynamoDbClient('us-east-1', server.endpoint);
  try {
    await ensureCatalogueTable(setup, LOCAL_CATALOGUE_TABLE);
  } finally {
    setup.destroy();
  }
  return {
    endpoint: server.endpoint,
    env: {
      [ENV.catalogueTable]: LOCAL_CATALOGUE_TABLE,
      [ENV.dynamodbEndpoint]: endpointOverride ? await endpointOverride(server.endpoint) : server.endpoint,
      [ENV.localKeySecret]: localKeySecretHex(join(dataDir, '_catalogue', 'key-secret.hex')),
    },
    close: () => server.close(),
  };
}
