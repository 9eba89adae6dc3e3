import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { loadCommonConfig } from '../adapters/config';
import { loadFitDefaults } from '../settings/fits';
import { loadMaxDirectUploadBytes, loadUploadLimits } from '../settings/upload-limits';
import { withCors } from '../adapters/cors';
import { loadCorsOrigins } from '../settings/cors';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { createRenditionRoute } from '../routes/rendition';
import { createUploadImageRoute } from '../routes/upload-image';
import { type ApiCapability, type ApiRoute, dispatchByRoute } from './manifest';
import type { UploadPlatform } from './platform';

const UPLOAD_ROUTES: readonly ApiRoute<'upload' | 'rendition'>[] = [
  {
    method: 'POST',
    resource: '/uploads',
    metricRoute: 'upload',
    action: 'upload',
    jsonBodyModel: 'UploadRequest',
  },
  // Clients of the older proxy API post to the root.
  { method: 'POST', resource: '/', metricRoute: 'upload', action: 'upload', jsonBodyModel: 'UploadRequest' },
  {
    method: 'POST',
    resource: '/renditions',
    metricRoute: 'rendition',
    action: 'rendition',
    jsonBodyModel: 'RenditionRequest',
  },
];

/** The function that renders: uploads (bytes, base64, from a URL) and renditions of stored images. */
export const uploadCapability: ApiCapability<UploadPlatform> = {
  name: 'upload',
  description:
    'POST /uploads and /renditions: makes model-ready renditions (of uploaded or fetched images) and stores them under their content address',
  routes: UPLOAD_ROUTES,
  // Writes renditions and kept originals (_originals/); reads a stored object or its original
  // back to make another profile of it (ListBucket: a missing key is 404, not 403).
  grants: [
    { to: 'objects', actions: ['s3:GetObject', 's3:PutObject'] },
    { to: 'listObjects' },
    { to: 'catalogue', use: 'record', derivesKeys: true },
  ],
  settings: [
    'common',
    'cors',
    'fit',
    'maxImageBytes',
    'maxImagePixels',
    'maxDirectUploadBytes',
    'sourceFetch',
  ],
  compose(env, platform) {
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
    const rendition = createRenditionRoute({ ...deps, maxSourceBytes: loadMaxDirectUploadBytes(env) });
    const api = dispatchByRoute(UPLOAD_ROUTES, { upload, rendition }, 'upload');
    return { api: withCors(loadCorsOrigins(env), api) };
  },
};
