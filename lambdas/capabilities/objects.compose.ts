import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { loadCommonConfig } from '../adapters/config';
import { withCors } from '../adapters/cors';
import { loadBackgroundErasure } from '../adapters/erasure-config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { type ErasureEvent, isErasureEvent } from '../catalogue/erase-in-background';
import { createErasureWorker, folderErasureDeps } from '../routes/folder-erasure';
import { createObjectsRoute, type ObjectsDeps } from '../routes/objects';
import { loadCorsOrigins } from '../settings/cors';
import type { Composition, ProxyRoute } from './manifest';
import { objectsCapability } from './objects';
import type { ObjectsPlatform } from './platform';

/** The objects function's two entries: API Gateway's requests, and its own background erasures. */
export interface ObjectsHandlers {
  readonly api: ProxyRoute;
  readonly erasures: (event: ErasureEvent, timeLeftMs?: () => number) => Promise<void>;
}

/** The objects function's handlers, over the platform's invalidator and erasure dispatcher. */
export const composeObjects: Composition<ObjectsPlatform, ObjectsHandlers> = (env, platform) => {
  const config = loadCommonConfig(env);
  const background = loadBackgroundErasure(
    env,
    platform.erasureDispatcher(() => erasures),
    platform.traced,
  );
  const deps: ObjectsDeps = {
    store: new S3ImageStore(platform.s3, config.storage.bucketName),
    invalidator: platform.invalidator(env),
    clientsByKeyId: config.clientsByKeyId,
    publicBaseUrl: config.storage.publicBaseUrl,
    logger: createLogger(),
    metrics: new FunctionMetrics(platform.metrics, 'objects'),
    catalogue: loadCatalogueDeps(env, platform.traced),
    background,
  };
  const erasures = createErasureWorker({ ...folderErasureDeps(deps, background), logger: deps.logger });
  const api = createObjectsRoute(deps, objectsCapability.routes);
  return { api: withCors(loadCorsOrigins(env), api), erasures };
};

/**
 * The Lambda entry over both, each wrapped by `wrap` (tracing): an erasure event (sent by the
 * function itself) continues that erasure within the invocation's time left; anything else is
 * API Gateway's request.
 */
export function objectsEntry(
  handlers: ObjectsHandlers,
  wrap: <A extends unknown[], R>(handler: (...args: A) => Promise<R>) => (...args: A) => Promise<R>,
) {
  const api = wrap(handlers.api);
  const erasures = wrap(handlers.erasures);
  function handler(event: ErasureEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void>;
  function handler(
    event: APIGatewayProxyEvent,
    context: Pick<Context, 'awsRequestId'>,
  ): Promise<APIGatewayProxyResult>;
  function handler(event: APIGatewayProxyEvent | ErasureEvent, context: Partial<Context>) {
    if (isErasureEvent(event)) return erasures(event, () => context.getRemainingTimeInMillis?.() ?? 0);
    return api(event, { awsRequestId: context.awsRequestId ?? 'none' });
  }
  return handler;
}
