import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { MEDIA_TYPES } from '../../lambdas/core/media-types';
import { CDN_SECURITY_HEADERS, gatewayErrorBody } from '../edge-contract';
import {
  type CdnAnswer,
  type ConditionalHeaders,
  decideCdnAnswer,
  type ObjectValidators,
} from './cdn-preconditions';

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

/** What answering one request needs besides the stored object. */
interface CdnExchange {
  readonly origin: CdnOrigin;
  readonly request: CdnRequest;
  readonly res: ServerResponse;
  /** The response headers policy's headers and `x-amz-cf-id`: on every answer. */
  readonly edgeHeaders: Readonly<Record<string, string>>;
  /** Answers with a JSON error (no body to a HEAD). */
  readonly fail: (status: number, error: string, message: string, extra?: Record<string, string>) => void;
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
  const { method, key, requestId } = request;
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
  const conditions = conditionalHeadersOf(request.headers);
  let body: Readable | undefined;
  try {
    // A plain GET reads the object once; HEAD and ranged GETs look at it first.
    const plainGet = method === 'GET' && conditions.range === undefined;
    const input = { Bucket: origin.bucketName, Key: key };
    const object: StoredObject = plainGet
      ? await origin.s3.send(new GetObjectCommand(input))
      : await origin.s3.send(new HeadObjectCommand(input));
    body = object.Body as Readable | undefined;
    if (!object.ContentType || !SERVABLE_CONTENT_TYPES.has(object.ContentType)) {
      body?.destroy();
      return notFound();
    }
    await answerWithObject(
      { origin, request, res, edgeHeaders, fail },
      object,
      object.ContentType,
      conditions,
    );
  } catch (err) {
    body?.destroy();
    if (err instanceof NoSuchKey || err instanceof NotFound)
      return origin.onMissing ? origin.onMissing() : notFound();
    if (res.headersSent) return void res.destroy();
    fail(502, 'STORAGE_UNAVAILABLE', 'origin is unavailable, retry later', { 'retry-after': '1' });
  }
}

/** The request's conditional and range headers, each joined into one value as CloudFront forwards it. */
function conditionalHeadersOf(headers: IncomingHttpHeaders): ConditionalHeaders {
  const header = (name: string) => [headers[name]].flat().join(',') || undefined;
  return {
    'if-none-match': header('if-none-match'),
    'if-modified-since': header('if-modified-since'),
    range: header('range'),
    'if-range': header('if-range'),
  };
}

/** Answers with a servable object: 304, 416, its headers alone to a HEAD, or its bytes (all or a range). */
async function answerWithObject(
  exchange: CdnExchange,
  object: StoredObject,
  contentType: string,
  conditions: ConditionalHeaders,
): Promise<void> {
  const { request, res } = exchange;
  const validators: ObjectValidators = {
    size: object.ContentLength ?? 0,
    etag: object.ETag,
    lastModified: object.LastModified,
  };
  const answer = decideCdnAnswer(request.method, conditions, validators);
  const objectHeaders: Record<string, string> = { ...exchange.edgeHeaders, 'accept-ranges': 'bytes' };
  if (object.CacheControl) objectHeaders['cache-control'] = object.CacheControl;
  if (object.ETag) objectHeaders.etag = object.ETag;
  if (object.LastModified) objectHeaders['last-modified'] = object.LastModified.toUTCString();

  if (answer.kind === 'not-modified') {
    (object.Body as Readable | undefined)?.destroy();
    res.writeHead(304, objectHeaders);
    return void res.end();
  }
  if (answer.kind === 'unsatisfiable')
    return exchange.fail(416, 'RANGE_NOT_SATISFIABLE', `the object has ${validators.size} bytes`, {
      'content-range': `bytes */${validators.size}`,
    });
  const typed = { ...objectHeaders, 'content-type': contentType };
  if (request.method === 'HEAD') {
    res.writeHead(200, { ...typed, 'content-length': String(validators.size) });
    return void res.end();
  }
  await streamObject(exchange, answer, typed, object);
}

/**
 * Streams the object's bytes: the range asked for (206), else all of it (200), reading it now
 * when the first look was a HEAD.
 */
async function streamObject(
  exchange: CdnExchange,
  answer: Extract<CdnAnswer, { kind: 'partial' | 'whole' }>,
  headers: Readonly<Record<string, string>>,
  object: StoredObject,
): Promise<void> {
  const { origin, request, res } = exchange;
  const input = { Bucket: origin.bucketName, Key: request.key };
  const size = object.ContentLength ?? 0;
  let body = object.Body as Readable | undefined;
  if (answer.kind === 'partial') {
    const part: StoredObject = await origin.s3.send(
      new GetObjectCommand({ ...input, Range: `bytes=${answer.start}-${answer.end}` }),
    );
    body = part.Body as Readable;
    res.writeHead(206, {
      ...headers,
      'content-length': String(part.ContentLength ?? answer.end - answer.start + 1),
      'content-range': part.ContentRange ?? `bytes ${answer.start}-${answer.end}/${size}`,
    });
  } else {
    let length = size;
    if (!body) {
      const whole: StoredObject = await origin.s3.send(new GetObjectCommand(input));
      body = whole.Body as Readable;
      length = whole.ContentLength ?? length;
    }
    res.writeHead(200, { ...headers, 'content-length': String(length) });
  }
  await pipeline(body, res);
}
