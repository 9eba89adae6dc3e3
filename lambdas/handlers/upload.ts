import { loadCommonConfig } from '../adapters/config';
import { loadFitDefaults } from '../settings/fits';
import { loadMaxDirectUploadBytes, loadUploadLimits } from '../settings/upload-limits';
import { loadS3ClientSettings } from '../settings/s3-client';
import { loadSourceFetchSettings } from '../settings/source-fetch';
import { S3ImageStore } from '../adapters/image-store';
import { withCors } from '../adapters/cors';
import { loadCorsOrigins } from '../settings/cors';
import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { createLogger } from '../adapters/logger';
import { createMetrics, FunctionMetrics } from '../adapters/metrics';
import { createS3Client } from '../adapters/s3-client';
import { createSourceFetcher } from '../adapters/source-fetcher';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import { API_RESOURCES } from '../core/api-resources';
import { createRenditionRoute } from '../routes/rendition';
import { createUploadImageRoute } from '../routes/upload-image';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);
const tracer = createTracer();
const deps = {
  store: new S3ImageStore(
    traceClient(tracer, createS3Client(config.storage, loadS3ClientSettings(process.env))),
    config.storage.bucketName,
  ),
  clientsByKeyId: config.clientsByKeyId,
  publicBaseUrl: config.storage.publicBaseUrl,
  limits: loadUploadLimits(process.env),
  fits: loadFitDefaults(process.env),
  logger: createLogger(),
  metrics: new FunctionMetrics(createMetrics(), 'upload'),
  catalogue: loadCatalogueDeps(process.env, (client) => traceClient(tracer, client)),
};
// Uploads from a URL: the system resolver and Node's http(s), pinned to the checked addresses.
const upload = createUploadImageRoute({
  ...deps,
  sourceFetcher: createSourceFetcher(loadSourceFetchSettings(process.env)),
});
const rendition = createRenditionRoute({ ...deps, maxSourceBytes: loadMaxDirectUploadBytes(process.env) });

/** `POST /uploads`, `POST /` and `POST /renditions`: the routes that render images. */
export const handler: typeof upload = withTracing(
  tracer,
  withCors(loadCorsOrigins(process.env), (event, context: Parameters<typeof upload>[1]) =>
    (event.resource === API_RESOURCES.renditions ? rendition : upload)(event, context),
  ),
);
