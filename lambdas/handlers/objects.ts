import { loadCommonConfig, loadInvalidationConfig, loadS3ClientSettings } from '../adapters/config';
import { createCdnInvalidator } from '../adapters/cdn-invalidator';
import { S3ImageStore } from '../adapters/image-store';
import { loadCorsOrigins, withCors } from '../adapters/cors';
import { createLogger } from '../adapters/logger';
import { createMetrics, FunctionMetrics } from '../adapters/metrics';
import { createS3Client } from '../adapters/s3-client';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import { createObjectsRoute } from '../routes/objects';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);
const tracer = createTracer();

export const handler = withTracing(
  tracer,
  withCors(
    loadCorsOrigins(process.env),
    createObjectsRoute({
      store: new S3ImageStore(
        traceClient(tracer, createS3Client(config.storage, loadS3ClientSettings(process.env))),
        config.storage.bucketName,
      ),
      invalidator: createCdnInvalidator(loadInvalidationConfig(process.env), (client) =>
        traceClient(tracer, client),
      ),
      clientsByKeyId: config.clientsByKeyId,
      publicBaseUrl: config.storage.publicBaseUrl,
      logger: createLogger(),
      metrics: new FunctionMetrics(createMetrics(), 'objects'),
    }),
  ),
);
