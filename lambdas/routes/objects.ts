import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { API_RESOURCES } from '../core/api-resources';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from '../core/errors';
import { encodeListCursor, parseListRequest } from '../core/list-request';
import {
  describeListedKey,
  isOwnOriginalKey,
  keyFromPublicUrl,
  resolveOwnKey,
  resolveOwnUploadStatusKey,
} from '../core/object-namespace';
import { cdnRenditionsPrefixOf } from '../core/cdn-rendition';
import { describeStoredObject } from '../core/stored-object-info';
import { PENDING_STATUS, parseUploadStatus } from '../core/upload-status';
import { publicUrlOf } from '../core/object-keys';
import type { CdnInvalidator } from '../adapters/cdn-invalidator';
import { clientOf, emptyResponse, jsonResponse, withErrorResponses } from '../adapters/http';
import type { ImageStore } from '../adapters/image-store';
import openApiDocument from '../../openapi/openapi.json';
import type { FunctionMetrics } from '../adapters/metrics';

// Serialized once per cold start; the document changes only with a deploy.
const OPENAPI_BODY = JSON.stringify(openApiDocument);

// A status record is a small JSON answer; anything bigger is not one of ours.
const MAX_STATUS_BYTES = 64 * 1024;

// Deletes in flight at once when sweeping renditions: well under the S3 client's sockets.
const DELETE_CONCURRENCY = 16;

/** Deletes every object under `prefix`, a page at a time; answers how many there were. */
async function deleteUnderPrefix(store: ImageStore, prefix: string): Promise<number> {
  let deleted = 0;
  let startAfter: string | undefined;
  for (;;) {
    const page = await store.listObjects({ prefix, startAfter, limit: 1000 });
    for (let i = 0; i < page.objects.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        page.objects.slice(i, i + DELETE_CONCURRENCY).map((object) => store.deleteObject(object.key)),
      );
    }
    deleted += page.objects.length;
    if (!page.truncated || page.objects.length === 0) return deleted;
    startAfter = page.objects.at(-1)!.key;
  }
}

/** What the objects route needs; the Lambda entry and local mode each supply their own. */
export interface ObjectsDeps {
  readonly store: ImageStore;
  readonly invalidator: CdnInvalidator;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
}

/**
 * `GET /objects` (list), `GET /objects/{key+}` (info), `DELETE /objects/{key+}` and
 * `DELETE /objects?url=` (idempotent delete + CDN invalidation), and `GET /uploads/{id}` (the
 * outcome of a presigned upload), all inside the caller's namespace; and `GET /openapi.json`
 * (no key: the API's description, `openapi/openapi.json`).
 */
export function createObjectsRoute(deps: ObjectsDeps) {
  const urlOf = (key: string) => publicUrlOf(deps.publicBaseUrl, key);

  async function list(client: string, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const request = parseListRequest(client, event.queryStringParameters);
    const page = await deps.store.listObjects(request);
    const items = page.objects.map((object) => ({
      key: object.key,
      size: object.size,
      ...describeListedKey(object.key),
      lastModified: object.lastModified?.toISOString(),
      url: urlOf(object.key),
    }));
    const last = page.objects.at(-1);
    return jsonResponse(200, {
      items,
      ...(page.truncated && last && { cursor: encodeListCursor(last.key) }),
    });
  }

  async function info(client: string, rawKey: string): Promise<APIGatewayProxyResult> {
    const key = resolveOwnKey(client, rawKey);
    const object = await deps.store.headObject(key);
    if (!object) throw new NotFoundError('no such object in your namespace');
    return jsonResponse(200, { ...describeStoredObject(object), url: urlOf(key) });
  }

  async function remove(
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
    // The upload a rendition was made from goes too: deleted means gone, not only unserved.
    const source = (await deps.store.headObject(key))?.metadata.source;
    if (source !== undefined && isOwnOriginalKey(client, source)) await deps.store.deleteObject(source);
    await deps.store.deleteObject(key);
    // Its renditions made at the CDN go after it: with the source gone no new one can be made.
    // A delete repeated after a failure here still finds and removes them.
    const renditions = await deleteUnderPrefix(deps.store, cdnRenditionsPrefixOf(key));
    // CloudFront caches a rendition under the URI its function rewrote to, so both are invalidated.
    const path = new URL(urlOf(key)).pathname;
    const basePath = path.slice(0, path.length - key.length);
    await deps.invalidator.invalidate([path, `${basePath}${cdnRenditionsPrefixOf(key)}*`]);
    deps.logger.info('object deleted', { requestId, client, key, renditions });
    return emptyResponse(204);
  }

  async function uploadStatus(client: string, id: string | undefined): Promise<APIGatewayProxyResult> {
    const object = await deps.store.getObject(resolveOwnUploadStatusKey(client, id), MAX_STATUS_BYTES);
    return jsonResponse(200, object ? parseUploadStatus(object.bytes) : PENDING_STATUS);
  }

  const options = { logger: deps.logger, metrics: deps.metrics, route: 'list' } as const;
  return withErrorResponses(options, async (event, requestId, measure) => {
    if (event.resource === API_RESOURCES.openApi) {
      measure.route = 'openapi';
      return { ...jsonResponse(200, null, { 'cache-control': 'public, max-age=300' }), body: OPENAPI_BODY };
    }
    const key = event.pathParameters?.key;
    measure.route =
      event.resource === API_RESOURCES.uploadStatus
        ? 'upload-status'
        : event.httpMethod === 'DELETE'
          ? 'delete'
          : key === undefined
            ? 'list'
            : 'info';
    const client = clientOf(event, deps.clientsByKeyId);
    measure.client = client;
    if (event.resource === API_RESOURCES.uploadStatus)
      return await uploadStatus(client, event.pathParameters?.id);
    if (event.httpMethod === 'GET')
      return key === undefined ? await list(client, event) : await info(client, key);
    if (event.httpMethod === 'DELETE') {
      const answer = await remove(client, requestId, key, event.queryStringParameters?.url);
      measure.add('Deletes');
      return answer;
    }
    throw new MethodNotAllowedError(`${event.httpMethod} is not a method of /objects`);
  });
}
