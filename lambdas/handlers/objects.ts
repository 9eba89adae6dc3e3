import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import {
  loadCommonConfig,
  loadInvalidationConfig,
  loadS3ClientSettings,
  requiredString,
} from '../adapters/config';
import { createCdnInvalidator } from '../adapters/cdn-invalidator';
import { S3ImageStore } from '../adapters/image-store';
import { loadCorsOrigins, withCors } from '../adapters/cors';
import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { ENV } from '../adapters/env-names';
import { loadBackgroundErasure } from '../adapters/erasure-config';
import { createLogger } from '../adapters/logger';
import { createMetrics, FunctionMetrics } from '../adapters/metrics';
import { createS3Client } from '../adapters/s3-client';
import { lambdaClientOnFirstUse, selfInvokingDispatcher } from '../adapters/self-invocation';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import { type ErasureEvent, isErasureEvent } from '../catalogue/erase-in-background';
import { createErasureWorker, folderErasureDeps } from '../routes/folder-erasure';
import { createObjectsRoute, type ObjectsDeps } from '../routes/objects';

// Built once per cold start; a bad setting fails here, naming its variable.
const config = loadCommonConfig(process.env);
const tracer = createTracer();
const region = process.env[ENV.region]?.trim() || 'us-east-1';
const lambda = lambdaClientOnFirstUse(region, (client) => traceClient(tracer, client));

// A large folder is erased by this function again, invoked asynchronously by itself.
const background = loadBackgroundErasure(
  process.env,
  selfInvokingDispatcher(lambda, requiredString(process.env, ENV.functionName)),
  (client) => traceClient(tracer, client),
);
const deps: ObjectsDeps = {
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
  catalogue: loadCatalogueDeps(process.env, (client) => traceClient(tracer, client)),
  background,
};
const api = withTracing(tracer, withCors(loadCorsOrigins(process.env), createObjectsRoute(deps)));
const erasures = withTracing(
  tracer,
  createErasureWorker({ ...folderErasureDeps(deps, background), logger: deps.logger }),
);

/** This function's own background erasures (sent by itself), and API Gateway's requests. */
export function handler(
  event: ErasureEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<void>;
export function handler(
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
): Promise<APIGatewayProxyResult>;
export function handler(event: APIGatewayProxyEvent | ErasureEvent, context: Partial<Context>) {
  if (isErasureEvent(event)) return erasures(event, () => context.getRemainingTimeInMillis?.() ?? 0);
  return api(event, { awsRequestId: context.awsRequestId ?? 'none' });
}
