import type { LocalServer } from '../../infra/local/local-server';
import { DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { keysOfImage } from '../../lambdas/core/image-record';
import { listStoredKeys } from '../../test/support/stored-keys';

/** How the bucket and the catalogue compare after a load run. */
export interface CatalogueAgreement {
  readonly storedObjects: number;
  readonly records: number;
  /** Stored objects (served or kept originals) no record names. */
  readonly unrecorded: number;
  /** Objects records name that are not stored. */
  readonly missing: number;
  /** Clients whose `images` counter differs from their records. */
  readonly statsMismatches: number;
}

/** Reads both sides straight from the embedded servers and compares them. */
export async function compareBucketWithCatalogue(
  server: LocalServer,
  clients: readonly string[],
): Promise<CatalogueAgreement> {
  const dynamo = createDynamoDbClient('us-east-1', server.dynamoEndpoint);
  try {
    const catalogue = new DynamoDbCatalogue(dynamo, server.catalogueTable);
    const stored = new Set(await listStoredKeys(server.s3Endpoint, server.bucketName));
    const recordedKeys = new Set<string>();
    const recordsByClient = new Map<string, number>();
    let records = 0;
    let missing = 0;
    let after: Readonly<Record<string, string>> | undefined;
    do {
      const page = await catalogue.scanImages(after);
      for (const record of page.records) {
        records += 1;
        recordsByClient.set(record.client, (recordsByClient.get(record.client) ?? 0) + 1);
        for (const key of keysOfImage(record)) {
          recordedKeys.add(key);
          if (!stored.has(key)) missing += 1;
        }
      }
      after = page.next;
    } while (after !== undefined);
    // Upload status records (_uploads/) and quarantine (_incoming/) are not images.
    const images = [...stored].filter((key) => !key.startsWith('_') || key.startsWith('_originals/'));
    let statsMismatches = 0;
    for (const client of clients)
      if ((await catalogue.stats(client, '')).images !== (recordsByClient.get(client) ?? 0))
        statsMismatches += 1;
    return {
      storedObjects: stored.size,
      records,
      unrecorded: images.filter((key) => !recordedKeys.has(key)).length,
      missing,
      statsMismatches,
    };
  } finally {
    dynamo.destroy();
  }
}
