import type { S3Client } from '@aws-sdk/client-s3';
import type { CommonConfig } from '../../lambdas/adapters/config';
import { loadUploadLimits } from '../../lambdas/adapters/config';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import type { LocalRoute } from './route-table';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The API's methods wired to the same route code the Lambda entries run, configured from the
 * same environment variable names (`lambdas/adapters/env-names.ts`).
 */
export function buildLambdaRoutes(env: Env, config: CommonConfig, s3: S3Client): LocalRoute[] {
  const logger = createLogger();
  const store = new S3ImageStore(s3, config.storage.bucketName);
  const upload = createUploadImageRoute({
    store,
    clientsByKeyId: config.clientsByKeyId,
    publicBaseUrl: config.storage.publicBaseUrl,
    limits: loadUploadLimits(env),
    logger,
  });
  return [
    { method: 'POST', resource: '/uploads', handler: upload },
    // Clients of the older proxy API post to the root.
    { method: 'POST', resource: '/', handler: upload },
  ];
}
