import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { loadCommonConfig } from '../adapters/config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { createCheckUploadRoute } from '../routes/check-upload';
import { loadFitDefaults } from '../settings/fits';
import { loadMaxDirectUploadBytes, loadUploadLimits } from '../settings/upload-limits';
import type { Composition } from './manifest';
import type { StoragePlatform } from './platform';

/** The check function's handler, run for each S3 notification of an upload in quarantine. */
export const composeCheckUpload: Composition<
  StoragePlatform,
  { readonly check: ReturnType<typeof createCheckUploadRoute> }
> = (env, platform) => {
  const config = loadCommonConfig(env);
  const check = createCheckUploadRoute({
    store: new S3ImageStore(platform.s3, config.storage.bucketName),
    limits: loadUploadLimits(env),
    maxDirectUploadBytes: loadMaxDirectUploadBytes(env),
    publicBaseUrl: config.storage.publicBaseUrl,
    fits: loadFitDefaults(env),
    logger: createLogger(),
    metrics: new FunctionMetrics(platform.metrics, 'checkUpload'),
    catalogue: loadCatalogueDeps(env, platform.traced),
  });
  return { check };
};
