import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { DynamoDbCatalogue } from '../adapters/catalogue-store';
import { DynamoDbReconcileCursor } from '../adapters/catalogue-reconcile-cursor';
import { createCdnInvalidator } from '../adapters/cdn-invalidator';
import { loadStorageLocation, requiredString } from '../adapters/config';
import { loadInvalidationConfig } from '../settings/invalidation';
import { loadS3ClientSettings } from '../settings/s3-client';
import { createDynamoDbClient } from '../adapters/dynamodb-client';
import { ENV } from '../adapters/env-names';
import { loadBackgroundErasure } from '../adapters/erasure-config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { createS3Client } from '../adapters/s3-client';
import { selfInvokingDispatcher } from '../adapters/self-invocation';
import { continueFolderErasure, isErasureEvent } from '../catalogue/erase-in-background';
import { runScheduledReconcile } from '../catalogue/scheduled-reconcile';
import { loadReconcileGraceMs } from '../settings/reconcile';

// Built once per cold start; a bad setting fails here, naming its variable.
const env = process.env;
const storage = loadStorageLocation(env);
const table = requiredString(env, ENV.catalogueTable);
const dynamo = createDynamoDbClient(storage.region, env[ENV.dynamodbEndpoint]?.trim() || undefined);
const store = new S3ImageStore(
  createS3Client(storage, loadS3ClientSettings(process.env)),
  storage.bucketName,
);
const catalogue = new DynamoDbCatalogue(dynamo, table);
// An erasure this run cannot finish in time goes on in a new invocation of this function.
const background = loadBackgroundErasure(
  env,
  selfInvokingDispatcher(new LambdaClient({ region: storage.region }), requiredString(env, ENV.functionName)),
);
const erasing = {
  ...background,
  store,
  catalogue,
  invalidator: createCdnInvalidator(loadInvalidationConfig(env)),
  publicBaseUrl: requiredString(env, ENV.publicBaseUrl).replace(/\/+$/, ''),
  now: () => new Date().toISOString(),
};
const reconciling = {
  store,
  catalogue,
  now: Date.now,
  graceMs: loadReconcileGraceMs(env),
};
const cursors = new DynamoDbReconcileCursor(dynamo, table);
const logger = createLogger();

/**
 * The scheduled reconciler (an EventBridge rule, `lambdas/catalogue/scheduled-reconcile.ts`),
 * and its own handover of an erasure it could not finish (`{"erasure": …}`).
 */
export async function handler(event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const timeLeftMs = () => context.getRemainingTimeInMillis();
  if (isErasureEvent(event)) {
    const erasure = await continueFolderErasure(erasing, event, timeLeftMs);
    logger.info('folder erasure ran', {
      client: erasure.client,
      erasureId: erasure.id,
      state: erasure.state,
    });
    return erasure;
  }
  const outcome = await runScheduledReconcile({ erasing, reconciling, cursors }, timeLeftMs);
  logger.info('catalogue reconciled', { ...outcome });
  return outcome;
}
