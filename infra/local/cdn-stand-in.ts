import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { MEDIA_TYPES } from '../../lambdas/core/media-types';
import { CDN_SECURITY_HEADERS, gatewayErrorBody } from '../edge-contract';
import { decideCdnAnswer, type ConditionalHeaders, type ObjectValidators } from './cdn-preconditions';

/** Decides whether the CDN may serve a key (checked uploads only); the default serves all. */
export type ServablePredicate = (key: string) => boolean;

/** Where the CDN stand-in reads objects from, as CloudFront's origin. */
export interface CdnOrigin {
  readonly s3: S3Client;
  readonly bucketName: string;
  /** @default every key */
  readonly isServable?: ServablePredicate;
  /**
   * Answers instead when the key is not stored, as CloudFront's origin group fails over to its
   * second origin on the first one's 404. @default a JSON 404
   */
  readonly onMissing?: () => Promise<void>;
  /**
   * Headers the response headers policy adds besides `CDN_SECURITY_HEADERS` (`Vary: Accept`
   * with renditions). @default none
   */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

/** One request to the CDN, its key already decoded from the path. */
export interface CdnRequest {
  readonly method: string;
  readonly key: string;
  readonly headers: IncomingHttpHeaders;
  /** Sent back as `x-amz-cf-id` and in JSON error bodies. */
  readonly requestId: string;
}

/**
 * The only Content-Types the CDN serves: the allow-list. An object stored with any other type
 * (SVG, HTML, …) is answered 404, as if absent: the CDN never serves active content.
 */
export const SERVABLE_CONTENT_TYPES: ReadonlySet<string> = new Set(
  Object.values(MEDIA_TYPES).map((media) => media.contentType),
);

/** What a HeadObject or GetObject answer tells about the object. */
interface StoredObject {
  ContentType?: string | undefined;
  CacheControl?: string | undefined;
  ETag?: string | undefined;
  LastModified?: Date | undefined;
  ContentLength?: number | undefined;
  ContentRange?: string | undefined;
  Body?: unknown;
}

/**
 * Serves stored objects the way CloudFront does through OAC: GET and HEAD, the stored
 * Content-Type (allow-listed), Cache-Control, ETag, Last-Modified, Content-Length and
 * `Accept-Ranges: bytes`; 304 for a matching If-None-Match / If-Modified-Since, 206 with
 * Content-Range for one byte range, 416 for an unsatisfiable one; the response-headers
 * policy on every answer; errors in the project's JSON shape with the request id.
 */
export async function serveFromCdn(
  origin: CdnOrigin,
  request: CdnRequest,
  res: ServerResponse,
): Promise<void> {
  const { method, key, headers, requestId } = request;
  const edgeHeaders = { ...CDN_SECURITY_HEADERS, ...origin.responseHeaders, 'x-amz-cf-id': requestId };
  const fail = (status: number, error: string, message: string, extra: Record<string, string> = {}) => {
    const body = method === 'HEAD' ? '' : gatewayErrorBody(error, message, requestId);
    res.writeHead(status, {
      ...edgeHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      ...extra,
    });
    res.end(body);
  };
  const notFound = () => fail(404, 'NOT_FOUND', 'no such object');

  if (method !== 'GET' && method !== 'HEAD')
    return fail(405, 'METHOD_NOT_ALLOWED', 'the CDN answers GET and HEAD only', { allow: 'GET, HEAD' });
  if (key === '' || !(origin.isServable ?? (() => true))(key)) return notFound();
  const header = (name: string) => [headers[name]].flat().join(',') || undefined;
  const conditions: ConditionalHeaders = {
    'if-none-match': header('if-none-match'),
    'if-modified-since': header('if-modified-since'),
    range: header('range'),
    'if-range': header('if-range'),
  };
  const input = { Bucket: origin.bucketName, Key: key };
  let body: Readable | undefined;
  try {
    // A plain GET reads the object once; HEAD and ranged GETs look at it first.
    const plainGet = method === 'GET' && conditions.range === undefined;
    const object: StoredObject = plainGet
      ? await origin.s3.send(new GetObjectCommand(input))
      : await origin.s3.send(new HeadObjectCommand(input));
    body = object.Body as Readable | undefined;
    if (!object.ContentType || !SERVABLE_CONTENT_TYPES.has(object.ContentType)) {
      body?.destroy();
      return notFound();
    }
    const validators: ObjectValidators = {
      size: object.ContentLength ?? 0,
      etag: object.ETag,
      lastModified: object.LastModified,
    };
    const answer = decideCdnAnswer(method, conditions, validators);
    const objectHeaders: Record<string, string> = { ...edgeHeaders, 'accept-ranges': 'bytes' };
    if (object.CacheControl) objectHeaders['cache-control'] = object.CacheControl;
    if (object.ETag) objectHeaders.etag = object.ETag;
    if (object.LastModified) objectHeaders['last-modified'] = object.LastModified.toUTCString();

    if (answer.kind === 'not-modified') {
      body?.destroy();
      res.writeHead(304, objectHeaders);
      return void res.end();
    }
    if (answer.kind === 'unsatisfiable')
      return fail(416, 'RANGE_NOT_SATISFIABLE', `the object has ${validators.size} bytes`, {
        'content-range': `bytes */${validators.size}`,
      });
    const typed = { ...objectHeaders, 'content-type': object.ContentType };
    if (method === 'HEAD') {
      res.writeHead(200, { ...typed, 'content-length': String(validators.size) });
      return void res.end();
    }
    if (answer.kind === 'partial') {
      const part: StoredObject = await origin.s3.send(
        new GetObjectCommand({ ...input, Range: `bytes=${answer.start}-${answer.end}` }),
      );
      body = part.Body as Readable;
      res.writeHead(206, {
        ...typed,
        'content-length': String(part.ContentLength ?? answer.end - answer.start + 1),
        'content-range': part.ContentRange ?? `bytes ${answer.start}-${answer.end}/${validators.size}`,
      });
    } else {
      let length = validators.size;
      if (!body) {
        const whole: StoredObject = await origin.s3.send(new GetObjectCommand(input));
        body = whole.Body as Readable;
        length = whole.ContentLength ?? length;
      }
      res.writeHead(200, { ...typed, 'content-length': String(length) });
    }
    await pipeline(body, res);
  } catch (err) {
    body?.destroy();
    if (err instanceof NoSuchKey || err instanceof NotFound)
      return origin.onMissing ? origin.onMissing() : notFound();
    if (res.headersSent) return void res.destroy();
    fail(502, 'STORAGE_UNAVAILABLE', 'origin is unavailable, retry later', { 'retry-after': '1' });
  }
}
