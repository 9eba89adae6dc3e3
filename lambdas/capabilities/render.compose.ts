import { loadStorageLocation } from '../adapters/config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { createCdnRenditionRoute } from '../routes/cdn-rendition';
import { loadRenditionBounds } from '../settings/renditions';
import { loadMaxDirectUploadBytes, loadMaxImagePixels } from '../settings/upload-limits';
import type { Composition } from './manifest';
import type { StoragePlatform } from './platform';

/** The rendering function's handler: a CDN miss in, the rendition (rendered and stored) out. */
export const composeRender: Composition<
  StoragePlatform,
  { readonly render: ReturnType<typeof createCdnRenditionRoute> }
> = (env, platform) => {
  const storage = loadStorageLocation(env);
  const render = createCdnRenditionRoute({
    store: new S3ImageStore(platform.s3, storage.bucketName),
    bounds: loadRenditionBounds(env),
    maxPixels: loadMaxImagePixels(env),
    maxSourceBytes: loadMaxDirectUploadBytes(env),
    logger: createLogger(),
    metrics: new FunctionMetrics(platform.metrics, 'render'),
  });
  return { render };
};
