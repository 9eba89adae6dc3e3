import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { loadCommonConfig } from '../adapters/config';
import { withCors } from '../adapters/cors';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { createRenditionRoute } from '../routes/rendition';
import { createUploadImageRoute } from '../routes/upload-image';
import { loadCorsOrigins } from '../settings/cors';
import { loadFitDefaults } from '../settings/fits';
import { loadLargestUploadBytes, loadUploadLimits } from '../settings/upload-limits';
import { type ApiComposition, dispatchByRoute } from './manifest';
import type { UploadPlatform } from './platform';
import { uploadCapability } from './upload';

/** The upload function's handler: uploads and renditions, each on its manifest's routes. */
export const composeUpload: ApiComposition<UploadPlatform> = (env, platform) => {
  const config = loadCommonConfig(env);
  const deps = {
    store: new S3ImageStore(platform.s3, config.storage.bucketName),
    clientsByKeyId: config.clientsByKeyId,
    publicBaseUrl: config.storage.publicBaseUrl,
    limits: loadUploadLimits(env),
    fits: loadFitDefaults(env),
    logger: createLogger(),
    metrics: new FunctionMetrics(platform.metrics, 'upload'),
    catalogue: loadCatalogueDeps(env, platform.traced),
  };
  const upload = createUploadImageRoute({ ...deps, sourceFetcher: platform.sourceFetcher(env) });
  // A kept original is as large as the largest upload any route accepts (a URL's source may be).
  const rendition = createRenditionRoute({ ...deps, maxSourceBytes: loadLargestUploadBytes(env) });
  const api = dispatchByRoute(uploadCapability.routes, { upload, rendition }, 'upload');
  return { api: withCors(loadCorsOrigins(env), api) };
};
