import { loadCommonConfig } from '../adapters/config';
import { loadFitDefaults } from '../settings/fits';
import { loadMaxDirectUploadBytes, loadUploadLimits } from '../settings/upload-limits';
import { loadS3ClientSettings } from '../settings/s3-client';
import { S3ImageStore } from '../adapters/image-store';
import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { createLogger } from '../adapters/logger';
import { createMetrics, FunctionMetrics } from '../adapters/metrics';
import { createS3Client } from '../adapters/s3-client';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import { createCheckUploadRoute } from '../routes/check-upload';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);
const tracer = createTracer();

/** Invoked by S3 `ObjectCreated:*` notifications on the `_incoming/` prefix. */
export const handler = withTracing(
  tracer,
  createCheckUploadRoute({
    store: new S3ImageStore(
      traceClient(tracer, createS3Client(config.storage, loadS3ClientSettings(process.env))),
      config.storage.bucketName,
    ),
    limits: loadUploadLimits(process.env),
    maxDirectUploadBytes: loadMaxDirectUploadBytes(process.env),
    publicBaseUrl: config.storage.publicBaseUrl,
    fits: loadFitDefaults(process.env),
    logger: createLogger(),
    metrics: new FunctionMetrics(createMetrics(), 'checkUpload'),
    catalogue: loadCatalogueDeps(process.env, (client) => traceClient(tracer, client)),
  }),
);
