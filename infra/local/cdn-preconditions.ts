/**
 * How CloudFront answers a GET or HEAD of a cached object given its conditional and range
 * headers (RFC 9110 §13 and §14), as pure logic: 304 for a matching `If-None-Match` (or an
 * unchanged `If-Modified-Since` when there is none), 206 for one satisfiable byte range, 416
 * for an unsatisfiable one, 200 otherwise. Multiple ranges and malformed `Range` headers are
 * ignored (200 with the whole object), which RFC 9110 allows.
 */

/** What the CDN knows of the stored object before sending it. */
export interface ObjectValidators {
  /** Bytes in the object. */
  readonly size: number;
  /** The quoted entity tag, as S3 gives it (`"abc…"`). */
  readonly etag?: string | undefined;
  readonly lastModified?: Date | undefined;
}

/** The request headers that decide the answer. */
export interface ConditionalHeaders {
  readonly 'if-none-match'?: string | undefined;
  readonly 'if-modified-since'?: string | undefined;
  readonly range?: string | undefined;
  readonly 'if-range'?: string | undefined;
}

/** The answer to send. `end` is inclusive, as in `Content-Range`. */
export type CdnAnswer =
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, '');
const wholeSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

function parseHttpDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`; `*` matches any object. */
export function noneMatchHits(ifNoneMatch: string, etag: string | undefined): boolean {
  const tags = ifNoneMatch.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return true;
  return etag !== undefined && tags.some((tag) => opaqueTag(tag) === opaqueTag(etag));
}

function isNotModified(headers: ConditionalHeaders, object: ObjectValidators): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return noneMatchHits(ifNoneMatch, object.etag);
  const since = parseHttpDate(headers['if-modified-since']);
  return (
    since !== undefined &&
    object.lastModified !== undefined &&
    wholeSeconds(object.lastModified) <= wholeSeconds(since)
  );
}

/** `If-Range` uses the strong comparison; a date must equal Last-Modified exactly. */
function rangeStillValid(ifRange: string | undefined, object: ObjectValidators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/'))
    return !value.startsWith('W/') && object.etag !== undefined && value === object.etag;
  const date = parseHttpDate(value);
  return (
    date !== undefined &&
    object.lastModified !== undefined &&
    wholeSeconds(date) === wholeSeconds(object.lastModified)
  );
}

/** One `bytes=` range resolved against `size`, or how it fails. */
export function resolveByteRange(range: string, size: number): CdnAnswer {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' }; // not one byte range: ignored
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' }; // invalid: ignored
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** Decides the answer to a GET or HEAD of `object`. Range applies to GET only. */
export function decideCdnAnswer(
  method: string,
  headers: ConditionalHeaders,
  object: ObjectValidators,
): CdnAnswer {
  if (isNotModified(headers, object)) return { kind: 'not-modified' };
  const range = headers.range;
  if (method !== 'GET' || range === undefined || !rangeStillValid(headers['if-range'], object))
    return { kind: 'whole' };
  return resolveByteRange(range, object.size);
}
