import type { Context } from 'aws-lambda';
import { DynamoDbReconcileCursor } from '../adapters/catalogue-reconcile-cursor';
import { DynamoDbCatalogue } from '../adapters/catalogue-store';
import { loadStorageLocation, requiredString } from '../adapters/config';
import { createDynamoDbClient } from '../adapters/dynamodb-client';
import { ENV } from '../adapters/env-names';
import type { Erasure } from '../adapters/erasure-log';
import { loadBackgroundErasure } from '../adapters/erasure-config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { continueFolderErasure, isErasureEvent } from '../catalogue/erase-in-background';
import { runScheduledReconcile, type ScheduledReconcileOutcome } from '../catalogue/scheduled-reconcile';
import { loadReconcileGraceMs } from '../settings/reconcile';
import type { Composition } from './manifest';
import type { ObjectsPlatform } from './platform';

type Env = Readonly<Record<string, string | undefined>>;

/** The reconciler's one entry: its schedule's event, or an erasure it handed over to itself. */
export type ReconcileHandler = (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<ScheduledReconcileOutcome | Erasure>;

/**
 * The reconciler's handler: one run of its schedule, or the continuation of an erasure it
 * handed over to itself.
 */
export const composeReconcile: Composition<ObjectsPlatform, { readonly reconcile: ReconcileHandler }> = (
  env,
  platform,
) => {
  const storage = loadStorageLocation(env);
  const table = requiredString(env, ENV.catalogueTable);
  const dynamo = platform.traced(
    createDynamoDbClient(storage.region, env[ENV.dynamodbEndpoint]?.trim() || undefined),
  );
  const store = new S3ImageStore(platform.s3, storage.bucketName);
  const catalogue = new DynamoDbCatalogue(dynamo, table);
  const logger = createLogger();
  // An erasure this run cannot finish in time goes on in a new invocation of this function.
  const background = loadBackgroundErasure(
    env,
    // Where a handover runs in this process (local mode), it continues the erasure here.
    platform.erasureDispatcher(() => async (event) => {
      await continueFolderErasure(erasing, event);
    }),
  );
  const erasing = {
    ...background,
    store,
    catalogue,
    invalidator: platform.invalidator(env),
    publicBaseUrl: requiredString(env, ENV.publicBaseUrl).replace(/\/+$/, ''),
    now: () => new Date().toISOString(),
  };
  const reconciling = { store, catalogue, now: Date.now, graceMs: loadReconcileGraceMs(env as Env) };
  const cursors = new DynamoDbReconcileCursor(dynamo, table);
  const reconcile: ReconcileHandler = async (event, context) => {
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
  };
  return { reconcile };
};
