import { loadCommonConfig } from '../adapters/config';
import { withCors } from '../adapters/cors';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { S3UrlSigner } from '../adapters/url-signer';
import { createPresignRoute } from '../routes/presign';
import { loadCorsOrigins } from '../settings/cors';
import { loadFitDefaults } from '../settings/fits';
import { loadPresignLimit, loadPresignSettings } from '../settings/presign';
import type { ApiComposition } from './manifest';
import type { PresignPlatform } from './platform';

/** The presign function's handler: signs with the platform's credentials, counts PUTs in its quota. */
export const composePresign: ApiComposition<PresignPlatform> = (env, platform) => {
  const config = loadCommonConfig(env);
  const route = createPresignRoute({
    signer: new S3UrlSigner({
      credentials: platform.signerCredentials,
      region: config.storage.region,
      bucketName: config.storage.bucketName,
      endpoint: config.storage.s3Endpoint,
    }),
    clientsByKeyId: config.clientsByKeyId,
    publicBaseUrl: config.storage.publicBaseUrl,
    settings: loadPresignSettings(env),
    fits: loadFitDefaults(env),
    logger: createLogger(),
    metrics: new FunctionMetrics(platform.metrics, 'presign'),
    // The one AWS call of this function: one conditional counter update per request that asks for PUTs.
    quota: platform.presignQuota(env, loadPresignLimit(env)),
  });
  return { api: withCors(loadCorsOrigins(env), route) };
};
