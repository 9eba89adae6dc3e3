import { loadCommonConfig } from '../adapters/config';
import { loadFitDefaults } from '../settings/fits';
import { loadPresignLimit, loadPresignSettings } from '../settings/presign';
import { withCors } from '../adapters/cors';
import { loadCorsOrigins } from '../settings/cors';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { S3UrlSigner } from '../adapters/url-signer';
import { QUARANTINE_PREFIX } from '../core/object-namespace';
import { createPresignRoute } from '../routes/presign';
import type { ApiCapability } from './manifest';
import type { PresignPlatform } from './platform';

/**
 * The function that signs: pure computation (SigV4 with the role's credentials), no S3 call. A
 * presigned URL carries only the signer's rights, so the role holds exactly what its URLs may do.
 */
export const presignCapability: ApiCapability<PresignPlatform> = {
  name: 'presign',
  description: 'POST /presign: signs direct uploads into quarantine and short-lived private reads',
  routes: [
    {
      method: 'POST',
      resource: '/presign',
      metricRoute: 'presign',
      action: 'presign',
      jsonBodyModel: 'PresignRequest',
    },
  ],
  // Each presigned upload may become a 1 GiB+ check run: counted per client and window, a
  // ceiling that holds whatever the usage plans say.
  grants: [
    { to: 'presignQuota' },
    { to: 'objects', actions: ['s3:PutObject'], keyPrefix: QUARANTINE_PREFIX },
    { to: 'objects', actions: ['s3:GetObject'] },
  ],
  settings: ['common', 'cors', 'fit', 'presign', 'maxDirectUploadBytes'],
  compose(env, platform) {
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
  },
};
