import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { loadCommonConfig } from '../adapters/config';
import { loadFitDefaults } from '../settings/fits';
import { loadMaxDirectUploadBytes, loadUploadLimits } from '../settings/upload-limits';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { QUARANTINE_PREFIX } from '../core/object-namespace';
import { createCheckUploadRoute } from '../routes/check-upload';
import type { CapabilityManifest } from './manifest';
import type { StoragePlatform } from './platform';

/** The function S3 invokes for each presigned upload landing in quarantine: checks it and publishes it. */
export const checkUploadCapability: CapabilityManifest<
  StoragePlatform,
  { readonly check: ReturnType<typeof createCheckUploadRoute> }
> = {
  name: 'checkUpload',
  description: `S3 ${QUARANTINE_PREFIX} uploads: checks presigned uploads and publishes the accepted ones`,
  routes: [],
  // Reads the quarantined upload and its upload record (GetObject covers HeadObject;
  // ListBucket makes a missing key 404, not 403), writes the rendition, the kept original and
  // the upload record, and deletes only quarantined copies.
  grants: [
    { to: 'objects', actions: ['s3:GetObject', 's3:PutObject'] },
    { to: 'objects', actions: ['s3:DeleteObject'], keyPrefix: QUARANTINE_PREFIX },
    { to: 'listObjects' },
    { to: 'catalogue', use: 'record', derivesKeys: true },
  ],
  settings: ['common', 'fit', 'maxDirectUploadBytes', 'maxImagePixels'],
  compose(env, platform) {
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
  },
};
