import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../core/errors';
import { encodeListCursor, parseListRequest } from '../core/list-request';
import {
  describeListedKey,
  keyFromPublicUrl,
  resolveOwnKey,
  resolveOwnUploadStatusKey,
} from '../core/object-namespace';
import { recordAnswer } from '../core/image-record';
import { isCatalogueListing } from '../core/image-list-query';
import { deleteImageByKey } from '../catalogue/delete-image';
import { eraseFolder as eraseFolderHere } from '../catalogue/erase-folder';
import { eraseFolderAnswer, erasureStatus, folderErasureDeps } from './folder-erasure';
import { parseFolder } from '../core/image-labels';
import type { ObjectsDeps } from './objects-deps';
import { catalogueOf, folderStats, listRecords, patchRecord } from './catalogue-answers';
import { describeStoredObject } from '../core/stored-object-info';
import { PENDING_STATUS, parseUploadStatus } from '../core/upload-status';
import { publicUrlOf } from '../core/object-keys';
import { clientOf, emptyResponse, jsonResponse, withErrorResponses } from '../adapters/http';
import openApiDocument from '../../openapi/openapi.json';
import type { InvocationMetrics } from '../adapters/metrics';
import type { MetricRoute } from '../core/metric-catalogue';
import { type ApiRoute, declaredRouteOf } from '../capabilities/manifest';

// Serialized once per cold start; the document changes only with a deploy.
const OPENAPI_BODY = JSON.stringify(openApiDocument);

// A status record is a small JSON answer; anything bigger is not one of ours.
const MAX_STATUS_BYTES = 64 * 1024;

/**
 * What each route of the objects function does, as its manifest (lambdas/capabilities/objects.ts)
 * names it: `objects` is the `/objects` family, told apart by method and key.
 */
export type ObjectsAction = 'openapi' | 'upload-status' | 'stats' | 'erasure-status' | 'objects';

/** The name in metrics of a request on no declared route (a direct invocation): by method and key. */
function objectsRouteNameOf(event: APIGatewayProxyEvent): MetricRoute {
  if (event.httpMethod === 'DELETE') return 'delete';
  if (event.httpMethod === 'PATCH') return 'patch';
  return event.pathParameters?.key === undefined ? 'list' : 'info';
}

export type { ObjectsDeps } from './objects-deps';

/**
 * `GET /objects` (list), `GET /objects/{key+}` (info), `DELETE /objects/{key+}` and
 * `DELETE /objects?url=` (idempotent delete + CDN invalidation), and `GET /uploads/{id}` (the
 * outcome of a presigned upload), all inside the caller's namespace; and `GET /openapi.json`
 * (no key: the API's description, `openapi/openapi.json`). `routes` are the function's declared
 * routes: the one a request arrived on says what it does and its name in metrics.
 */
export function createObjectsRoute(deps: ObjectsDeps, routes: readonly ApiRoute<ObjectsAction>[]) {
  const options = { logger: deps.logger, metrics: deps.metrics, route: 'list' } as const;
  return withErrorResponses(options, (event, requestId, measure) =>
    answer(deps, routes, event, requestId, measure),
  );
}

/** Routes one request to its answer by resource and method, naming its metric route on the way. */
async function answer(
  deps: ObjectsDeps,
  routes: readonly ApiRoute<ObjectsAction>[],
  event: APIGatewayProxyEvent,
  requestId: string,
  measure: InvocationMetrics,
): Promise<APIGatewayProxyResult> {
  const declared = declaredRouteOf(routes, event);
  const action = declared?.action ?? 'objects';
  measure.route = declared?.metricRoute ?? objectsRouteNameOf(event);
  if (action === 'openapi')
    return { ...jsonResponse(200, null, { 'cache-control': 'public, max-age=300' }), body: OPENAPI_BODY };
  const key = event.pathParameters?.key;
  const client = clientOf(event, deps.clientsByKeyId);
  measure.client = client;
  if (action === 'upload-status') return await uploadStatus(deps, client, event.pathParameters?.id);
  if (action === 'stats') return await folderStats(catalogueRoutes(deps), client, event);
  if (action === 'erasure-status' && deps.background)
    return await erasureStatus(deps.background.erasures, client, event.pathParameters?.id);
  if (event.httpMethod === 'GET')
    return key === undefined ? await list(deps, client, event) : await info(deps, client, key);
  if (event.httpMethod === 'PATCH' && key !== undefined)
    return await patchRecord(catalogueRoutes(deps), client, resolveOwnKey(client, key), event);
  const folder = event.queryStringParameters?.folder;
  if (event.httpMethod === 'DELETE' && key === undefined && folder !== undefined) {
    const erased = await eraseFolder(deps, client, parseFolder(folder));
    deps.logger.info('folder erasure', {
      requestId,
      client,
      deleted: erased.deleted,
      erasureId: erased.erasureId,
    });
    if (erased.deleted !== undefined) measure.add('Deletes', erased.deleted);
    return erased.answer;
  }
  if (event.httpMethod === 'DELETE') {
    const answer = await remove(deps, client, requestId, key, event.queryStringParameters?.url);
    measure.add('Deletes');
    return answer;
  }
  throw new MethodNotAllowedError(`${event.httpMethod} is not a method of /objects`);
}

const catalogueRoutes = (deps: ObjectsDeps) => ({ ...catalogueOf(deps), publicBaseUrl: deps.publicBaseUrl });
const deleteDepsOf = (deps: ObjectsDeps) => ({ ...deps, catalogue: deps.catalogue?.catalogue });

async function list(
  deps: ObjectsDeps,
  client: string,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  if (isCatalogueListing(event.queryStringParameters))
    return listRecords(catalogueRoutes(deps), client, event);
  const request = parseListRequest(client, event.queryStringParameters);
  const page = await deps.store.listObjects(request);
  const items = page.objects.map((object) => ({
    key: object.key,
    size: object.size,
    ...describeListedKey(object.key),
    lastModified: object.lastModified?.toISOString(),
    url: publicUrlOf(deps.publicBaseUrl, object.key),
  }));
  const last = page.objects.at(-1);
  return jsonResponse(200, {
    items,
    ...(page.truncated && last && { cursor: encodeListCursor(last.key) }),
  });
}

async function info(deps: ObjectsDeps, client: string, rawKey: string): Promise<APIGatewayProxyResult> {
  const key = resolveOwnKey(client, rawKey);
  const object = await deps.store.headObject(key);
  if (!object) throw new NotFoundError('no such object in your namespace');
  const record = await deps.catalogue?.catalogue.findByKey(key);
  return jsonResponse(200, {
    ...describeStoredObject(object),
    url: publicUrlOf(deps.publicBaseUrl, key),
    ...(record && record.client === client && recordAnswer(record, deps.publicBaseUrl, key)),
  });
}

async function remove(
  deps: ObjectsDeps,
  client: string,
  requestId: string,
  rawKey: string | undefined,
  url: string | undefined,
) {
  if (rawKey === undefined && url === undefined) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      'name the object: DELETE /objects/{key} or DELETE /objects?url=<public url>',
    );
  }
  const key = resolveOwnKey(client, rawKey ?? keyFromPublicUrl(deps.publicBaseUrl, url));
  const deleted = await deleteImageByKey(deleteDepsOf(deps), client, key);
  deps.logger.info('image deleted', { requestId, client, key, ...deleted });
  return emptyResponse(204);
}

/** `DELETE /objects?folder=`: in the background when large and the function can, else here. */
async function eraseFolder(deps: ObjectsDeps, client: string, folder: string) {
  if (deps.background === undefined) {
    const deleted = await eraseFolderHere(
      { ...deleteDepsOf(deps), catalogue: catalogueOf(deps).catalogue },
      client,
      folder,
    );
    return { answer: jsonResponse(200, { deleted }), deleted };
  }
  return eraseFolderAnswer(folderErasureDeps(deps, deps.background), client, folder);
}

async function uploadStatus(
  deps: ObjectsDeps,
  client: string,
  id: string | undefined,
): Promise<APIGatewayProxyResult> {
  const object = await deps.store.getObject(resolveOwnUploadStatusKey(client, id), MAX_STATUS_BYTES);
  return jsonResponse(200, object ? parseUploadStatus(object.bytes) : PENDING_STATUS);
}
