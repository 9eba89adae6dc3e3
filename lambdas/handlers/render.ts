import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { loadStorageLocation } from '../adapters/config';
import { loadMaxDirectUploadBytes, loadMaxImagePixels } from '../settings/upload-limits';
import { loadS3ClientSettings } from '../settings/s3-client';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { createMetrics, FunctionMetrics } from '../adapters/metrics';
import { loadRenditionBounds } from '../settings/renditions';
import { createS3Client } from '../adapters/s3-client';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import { createCdnRenditionRoute } from '../routes/cdn-rendition';

// Built once per cold start; a bad setting fails here, naming its variable. No API keys or public
// URL: this function is reached only by CloudFront (function URL, AWS_IAM auth, OAC).
const storage = loadStorageLocation(process.env);
const tracer = createTracer();
const render = createCdnRenditionRoute({
  store: new S3ImageStore(
    traceClient(tracer, createS3Client(storage, loadS3ClientSettings(process.env))),
    storage.bucketName,
  ),
  bounds: loadRenditionBounds(process.env),
  maxPixels: loadMaxImagePixels(process.env),
  maxSourceBytes: loadMaxDirectUploadBytes(process.env),
  logger: createLogger(),
  metrics: new FunctionMetrics(createMetrics(), 'render'),
});

/**
 * The rendering function: CloudFront's second origin after storage misses a rendition. Its
 * function URL streams (`InvokeMode: RESPONSE_STREAM`), so a rendition is not held to the 6 MB
 * cap of a buffered Lambda response. `awslambda` is the Lambda Node.js runtime's global.
 */
export const handler = awslambda.streamifyResponse(
  withTracing(tracer, async (event: LambdaFunctionURLEvent, responseStream: awslambda.HttpResponseStream) => {
    const answer = await render({
      method: event.requestContext.http.method,
      path: event.rawPath,
      requestId: event.requestContext.requestId,
    });
    const { status: statusCode, headers } = answer;
    const body = awslambda.HttpResponseStream.from(responseStream, { statusCode, headers });
    await pipeline(Readable.from(answer.body.length > 0 ? [answer.body] : []), body);
  }),
);
