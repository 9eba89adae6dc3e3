import { loadCatalogueDeps } from '../lambdas/adapters/catalogue-config';
import { ConfigError, integerSetting, loadStorageLocation } from '../lambdas/adapters/config';
import { S3ImageStore } from '../lambdas/adapters/image-store';
import { ENV } from '../lambdas/adapters/env-names';
import { createS3Client } from '../lambdas/adapters/s3-client';
import { reconcileCatalogue } from '../lambdas/catalogue/reconcile';

/**
 * `npm run catalogue:reconcile`: the backfill and the repair of a deployment, run with the
 * operator's AWS credentials. Records every object stored before the catalogue, drops record
 * entries whose objects are gone, deletes catalogue-made objects nothing records. Idempotent.
 * Reads BUCKET_NAME, CATALOGUE_TABLE and AWS_REGION (the stack's outputs), and
 * RECONCILE_GRACE_SECONDS (default 600: younger writes may be in flight and are left alone).
 */
async function main(): Promise<void> {
  const env = process.env;
  const storage = loadStorageLocation(env);
  const s3 = createS3Client(storage);
  try {
    const report = await reconcileCatalogue({
      store: new S3ImageStore(s3, storage.bucketName),
      catalogue: loadCatalogueDeps(env).catalogue,
      now: Date.now,
      graceMs: integerSetting(env, ENV.reconcileGraceSeconds, 600, 0, 86_400) * 1000,
    });
    console.log(JSON.stringify(report));
  } finally {
    s3.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err);
  process.exit(1);
});
