import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { directUploadKeys, resolveOwnKey } from '../core/object-namespace';
import { publicUrlOf } from '../core/object-keys';
import {
  type PresignGetItem,
  type PresignItem,
  type PresignPutItem,
  type PresignSettings,
  parsePresignRequest,
} from '../core/presign-request';
import { clientOf, jsonResponse, queryValuesOf, withErrorResponses } from '../adapters/http';
import { presignedLabelHeaders } from '../core/presigned-labels';
import { storedMetadataHeaders } from '../core/stored-metadata';
import type { UrlSigner } from '../adapters/url-signer';
import type { FunctionMetrics } from '../adapters/metrics';
import type { PresignQuota } from '../adapters/presign-quota';
import { profileFor, type FitDefaults } from '../core/fit-defaults';

/** What the presign route needs; the Lambda entry and local mode each supply their own. */
export interface PresignDeps {
  readonly signer: UrlSigner;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly settings: PresignSettings;
  readonly fits: FitDefaults;
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
  /** The ceiling on presigned uploads per client and window, checked before anything is signed. */
  readonly quota: PresignQuota;
  /** A fresh 128-bit hex id per presigned upload; injectable for tests. */
  readonly newUploadId?: () => string;
}

/** A presigned GET as the client receives it. */
export interface PresignGetAnswer {
  readonly method: 'GET';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly key: string;
  /** Where the CDN serves the object. */
  readonly publicUrl: string;
  readonly expiresAt: string;
}

/**
 * A presigned PUT as the client receives it. Its public URL is known once the check has made
 * the rendition: `GET /uploads/{uploadId}` (`statusPath`) answers pending, published (with
 * the upload answer, `url` included) or refused (with the error).
 */
export interface PresignPutAnswer {
  readonly method: 'PUT';
  readonly url: string;
  /** Headers the client must send exactly as given: they are part of the signature. */
  readonly headers: Readonly<Record<string, string>>;
  readonly uploadId: string;
  readonly statusPath: string;
  readonly fit: string;
  readonly expiresAt: string;
}

export type PresignAnswer = PresignGetAnswer | PresignPutAnswer;

const randomUploadId = () => randomBytes(16).toString('hex');

/**
 * `POST /presign`: a presigned PUT into the caller's quarantine (type and size signed), or a
 * presigned GET of one of its objects; `{items: [...]}` answers up to 100 at once.
 */
export function createPresignRoute(deps: PresignDeps) {
  const newUploadId = deps.newUploadId ?? randomUploadId;
  const presignOne = (client: string, item: PresignItem): Promise<PresignAnswer> =>
    item.method === 'GET' ? presignGet(deps, client, item) : presignPut(deps, client, item, newUploadId());

  const options = { logger: deps.logger, metrics: deps.metrics, route: 'presign' } as const;
  return withErrorResponses(options, async (event, requestId, measure) => {
    const client = clientOf(event, deps.clientsByKeyId);
    measure.client = client;
    const request = parsePresignRequest(event.body, deps.settings, event.isBase64Encoded, {
      folder: event.queryStringParameters?.folder,
      tags: queryValuesOf(event, 'tag'),
    });
    // A batch counts whole: it is refused whole when the window has no room for all of it.
    const uploads = request.items.filter((item) => item.method === 'PUT').length;
    if (uploads > 0) await deps.quota.reserve(client, uploads);
    const answers = await Promise.all(request.items.map((item) => presignOne(client, item)));
    // Keys only: a presigned URL is a bearer credential and never goes to the logs.
    deps.logger.info('presigned', {
      requestId,
      client,
      count: answers.length,
      keys: answers
        .slice(0, 10)
        .map((a) => (a.method === 'GET' ? `GET ${a.key}` : `PUT upload ${a.uploadId}`)),
    });
    if (uploads > 0) measure.add('PresignedUploads', uploads);
    if (uploads < answers.length) measure.add('PresignedReads', answers.length - uploads);
    return jsonResponse(200, request.batch ? { items: answers } : answers[0]);
  });
}

/** A presigned GET of one of the caller's objects. */
async function presignGet(
  deps: PresignDeps,
  client: string,
  item: PresignGetItem,
): Promise<PresignGetAnswer> {
  const key = resolveOwnKey(client, item.key);
  const signed = await deps.signer.sign({ method: 'GET', key, expiresInSeconds: item.expiresInSeconds });
  return {
    method: 'GET',
    url: signed.url,
    headers: {},
    key,
    publicUrl: publicUrlOf(deps.publicBaseUrl, key),
    expiresAt: signed.expiresAt.toISOString(),
  };
}

/** A presigned PUT into the caller's quarantine, its type, size, profile and labels signed. */
async function presignPut(
  deps: PresignDeps,
  client: string,
  item: PresignPutItem,
  newUploadId: string,
): Promise<PresignPutAnswer> {
  const { uploadId, quarantineKey } = directUploadKeys(client, newUploadId, item.format);
  // The profile is signed too: the check renders exactly what the client asked for.
  const fit = profileFor(item.fit, client, deps.fits).name;
  const headers: Record<string, string> = {
    'content-type': item.contentType,
    'content-length': String(item.contentLength),
    ...storedMetadataHeaders({ fit, filename: item.filename }),
    // Signed too: the check files the image where the client said, with its tags.
    ...presignedLabelHeaders(item),
  };
  const signed = await deps.signer.sign({
    method: 'PUT',
    key: quarantineKey,
    headers,
    expiresInSeconds: item.expiresInSeconds,
  });
  return {
    method: 'PUT',
    url: signed.url,
    headers,
    uploadId,
    statusPath: `/uploads/${uploadId}`,
    fit,
    expiresAt: signed.expiresAt.toISOString(),
  };
}
