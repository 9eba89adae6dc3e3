import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { loadCatalogueDeps } from '../adapters/catalogue-config';
import { loadCommonConfig } from '../adapters/config';
import { withCors } from '../adapters/cors';
import { loadCorsOrigins } from '../settings/cors';
import { loadBackgroundErasure } from '../adapters/erasure-config';
import { S3ImageStore } from '../adapters/image-store';
import { createLogger } from '../adapters/logger';
import { FunctionMetrics } from '../adapters/metrics';
import { type ErasureEvent, isErasureEvent } from '../catalogue/erase-in-background';
import { createErasureWorker, folderErasureDeps } from '../routes/folder-erasure';
import { createObjectsRoute, type ObjectsAction, type ObjectsDeps } from '../routes/objects';
import type { ApiRoute, CapabilityManifest, ProxyRoute } from './manifest';
import type { ObjectsPlatform } from './platform';

/** Its routes, in the order the stack adds them (the API deployment's id hashes that order). */
const OBJECTS_ROUTES: readonly ApiRoute<ObjectsAction>[] = [
  { method: 'GET', resource: '/objects', metricRoute: 'list', action: 'objects' },
  { method: 'DELETE', resource: '/objects', metricRoute: 'delete', action: 'objects' },
  { method: 'GET', resource: '/objects/{key+}', metricRoute: 'info', action: 'objects' },
  { method: 'DELETE', resource: '/objects/{key+}', metricRoute: 'delete', action: 'objects' },
  { method: 'PATCH', resource: '/objects/{key+}', metricRoute: 'patch', action: 'objects' },
  { method: 'GET', resource: '/stats', metricRoute: 'stats', action: 'stats' },
  { method: 'GET', resource: '/erasures/{id}', metricRoute: 'erasure-status', action: 'erasure-status' },
  // The outcome of a presigned upload: a read of _uploads/, which this function can make.
  { method: 'GET', resource: '/uploads/{id}', metricRoute: 'upload-status', action: 'upload-status' },
  // The API's description (openapi/openapi.json, bundled): public, like GET /health. A mock
  // integration would need the document as a VTL template, where `$ref` and `#` are syntax.
  {
    method: 'GET',
    resource: '/openapi.json',
    metricRoute: 'openapi',
    action: 'openapi',
    apiKeyRequired: false,
  },
];

/** The objects function's two entries: API Gateway's requests, and its own background erasures. */
export interface ObjectsHandlers {
  readonly api: ProxyRoute;
  readonly erasures: (event: ErasureEvent, timeLeftMs?: () => number) => Promise<void>;
}

/** The function that reads, changes and deletes a client's images, erasing large folders in the background. */
export const objectsCapability: CapabilityManifest<ObjectsPlatform, ObjectsHandlers, ObjectsAction> = {
  name: 'objects',
  description:
    'GET/DELETE /objects: lists, describes and deletes a client’s objects, invalidating the CDN on delete',
  routes: OBJECTS_ROUTES,
  // Deleting an object deletes its renditions (_renditions/<key>/…) too: listed and deleted here.
  // A large folder is erased in the background: the function invokes itself with the erasure.
  grants: [
    { to: 'listObjects' },
    { to: 'objects', actions: ['s3:GetObject', 's3:DeleteObject'] },
    { to: 'cdnInvalidation' },
    { to: 'catalogue', use: 'manage', derivesKeys: false },
    { to: 'invokeItself' },
  ],
  settings: ['common', 'cors', 'cdnInvalidation', 'backgroundErasure'],
  compose(env, platform) {
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
    return { api: withCors(loadCorsOrigins(env), createObjectsRoute(deps, OBJECTS_ROUTES)), erasures };
  },
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
