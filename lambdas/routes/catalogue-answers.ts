import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Catalogue } from '../adapters/catalogue-store';
import { jsonResponse, queryValuesOf } from '../adapters/http';
import { applyPatch, recordAnswer } from '../core/image-record';
import { parseFolder, parseMetadata, parseTags } from '../core/image-labels';
import { decodeImageCursor, encodeImageCursor, parseImageListQuery } from '../core/image-list-query';
import { MAX_FILENAME_CHARS } from '../core/limits';
import { BadRequestError, NotFoundError } from '../core/errors';
import { parseJsonObject } from '../core/json-body';
import { sanitizeFilename } from '../core/object-keys';
import { type CatalogueDeps, nowOf } from '../catalogue/catalogue-deps';
import { withRecordRetry } from '../catalogue/save-with-retry';

/** What the catalogue's own routes need. */
export interface CatalogueRouteDeps extends CatalogueDeps {
  readonly publicBaseUrl: string;
}

/** `GET /objects?folder=…&tag=…`: one page of records, newest first within a folder. */
export async function listRecords(
  deps: CatalogueRouteDeps,
  client: string,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  const query = parseImageListQuery(event.queryStringParameters, queryValuesOf(event, 'tag'));
  const after = decodeImageCursor(client, event.queryStringParameters?.cursor);
  const page = await deps.catalogue.listImages({ ...query, client, after });
  return jsonResponse(200, {
    items: page.records.map((record) => recordAnswer(record, deps.publicBaseUrl)),
    ...(page.next && { cursor: encodeImageCursor(page.next) }),
  });
}

/** `PATCH /objects/{key}` `{tags?, metadata?, filename?}`: each label given replaces the stored one. */
export async function patchRecord(
  deps: CatalogueRouteDeps,
  client: string,
  key: string,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  const body = parseJsonObject(event.body, event.isBase64Encoded);
  const unknown = Object.keys(body).filter((name) => !['tags', 'metadata', 'filename'].includes(name));
  if (unknown.length > 0)
    throw new BadRequestError(
      'INVALID_REQUEST',
      `PATCH sets only tags, metadata and filename, not ${unknown[0]}`,
    );
  if (body.filename !== undefined && typeof body.filename !== 'string')
    throw new BadRequestError('INVALID_FILENAME', '"filename" must be a string');
  const labels = {
    tags: parseTags(body.tags),
    metadata: parseMetadata(body.metadata),
    filename: sanitizeFilename(body.filename as string | undefined, MAX_FILENAME_CHARS),
  };
  const saved = await withRecordRetry(async () => {
    const record = await deps.catalogue.findByKey(key);
    if (!record || record.client !== client) throw new NotFoundError('no such image in your namespace');
    return deps.catalogue.saveImage(record, applyPatch(record, labels, nowOf(deps)));
  });
  return jsonResponse(200, recordAnswer(saved, deps.publicBaseUrl, key));
}

/** `GET /stats?folder=`: the counters of a folder and everything under it. */
export async function folderStats(
  deps: CatalogueRouteDeps,
  client: string,
  event: APIGatewayProxyEvent,
): Promise<APIGatewayProxyResult> {
  const raw = event.queryStringParameters?.folder;
  const folder = raw === undefined || raw === '' ? '' : parseFolder(raw);
  return jsonResponse(200, { folder, ...(await deps.catalogue.stats(client, folder)) });
}

/** The catalogue of a route, or 404 when this deployment runs without one (single-handler tests). */
export function catalogueOf(deps: { readonly catalogue?: CatalogueDeps | undefined }): CatalogueDeps {
  if (!deps.catalogue) throw new NotFoundError('this deployment keeps no catalogue');
  return deps.catalogue;
}

export type { Catalogue };
