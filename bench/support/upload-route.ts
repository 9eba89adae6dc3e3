import { loadCommonConfig } from '../../lambdas/adapters/config';
import { loadFitDefaults } from '../../lambdas/settings/fits';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { createMetrics, FunctionMetrics } from '../../lambdas/adapters/metrics';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import { createMemoryS3Client } from './memory-s3';

/**
 * The upload route exactly as `lambdas/handlers/upload.ts` builds it from the environment,
 * except that S3 is the in-memory handler.
 */
export function createBenchUploadRoute(env: NodeJS.ProcessEnv = process.env) {
  const config = loadCommonConfig(env);
  const { s3, handler } = createMemoryS3Client(config.storage);
  const route = createUploadImageRoute({
    store: new S3ImageStore(s3, config.storage.bucketName),
    clientsByKeyId: config.clientsByKeyId,
    publicBaseUrl: config.storage.publicBaseUrl,
    limits: loadUploadLimits(env),
    fits: loadFitDefaults(env),
    logger: createLogger(),
    metrics: new FunctionMetrics(createMetrics(env), 'upload'),
  });
  return { route, s3Handler: handler };
}
