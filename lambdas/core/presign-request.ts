import { parseFolder, parseTags } from './image-labels';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';
import { parseJsonObject } from './json-body';
import { MAX_FILENAME_CHARS } from './limits';
import { MEDIA_TYPES, formatFromContentType, type MediaFormat } from './media-types';
import { sanitizeFilename } from './object-keys';

/** Bounds of `POST /presign`, from config. */
export interface PresignSettings {
  /** Life of a URL when the request names none, in seconds. */
  readonly defaultExpiresSeconds: number;
  /** Longest life a request may ask for, in seconds (at most SigV4's 604 800). */
  readonly maxExpiresSeconds: number;
  /** Largest object a presigned PUT may upload, in bytes. */
  readonly maxDirectUploadBytes: number;
}

/**
 * Every header a presigned PUT may bind into its signature (the route's `headers` answer is a
 * subset): the client must send them, so the bucket's CORS rule must allow them for browsers.
 */
export const PRESIGNED_PUT_HEADERS = [
  'content-type',
  'content-length',
  'x-amz-meta-fit',
  'x-amz-meta-original-filename',
  'x-amz-meta-folder',
  'x-amz-meta-tags',
] as const;

/** Most items one batch request may hold. */
export const MAX_PRESIGN_BATCH_ITEMS = 100;

/** A checked presigned-PUT request: the type and size the signature will bind. */
export interface PresignPutItem {
  readonly method: 'PUT';
  readonly format: MediaFormat;
  /** The canonical MIME type of `format`: the exact `Content-Type` the client must send. */
  readonly contentType: string;
  readonly contentLength: number;
  readonly filename?: string | undefined;
  /** The profile asked for, checked by the route against the profiles; undefined: the caller's default. */
  readonly fit?: string | undefined;
  /** The folder the image is filed under (`''`: the root) and its tags, checked. */
  readonly folder: string;
  readonly tags?: readonly string[] | undefined;
  readonly expiresInSeconds: number;
}

/** A checked presigned-GET request; `key` is not yet resolved against the caller's namespace. */
export interface PresignGetItem {
  readonly method: 'GET';
  readonly key: unknown;
  readonly expiresInSeconds: number;
}

export type PresignItem = PresignPutItem | PresignGetItem;

/** The parsed body: one item, or a batch answered as `{items: [...]}`. */
export interface PresignRequest {
  readonly batch: boolean;
  readonly items: readonly PresignItem[];
}

/**
 * Parses and checks a `POST /presign` body: `{method:"PUT", contentType, contentLength,
 * filename?, expiresIn?}`, `{method:"GET", key, expiresIn?}`, or `{items: [...]}` of those.
 * A bad item fails the whole batch, naming its index.
 */
export function parsePresignRequest(
  body: string | null | undefined,
  settings: PresignSettings,
  isBase64Encoded = false,
  defaults: PresignLabelDefaults = {},
): PresignRequest {
  const parsed = parseJsonObject(body, isBase64Encoded);
  if (!('items' in parsed)) return { batch: false, items: [parseItem(parsed, settings, '', defaults)] };
  const { items } = parsed;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_PRESIGN_BATCH_ITEMS) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `"items" must be an array of 1 to ${MAX_PRESIGN_BATCH_ITEMS} requests`,
    );
  }
  return { batch: true, items: items.map((item, i) => parseItem(item, settings, `items[${i}]: `, defaults)) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `?folder=` and `?tag=` of a presign request: what its PUT items carry unless they name their own. */
export interface PresignLabelDefaults {
  readonly folder?: string | undefined;
  readonly tags?: readonly string[] | undefined;
}

function parseItem(
  item: unknown,
  settings: PresignSettings,
  at: string,
  defaults: PresignLabelDefaults,
): PresignItem {
  if (!isObject(item))
    throw new BadRequestError('INVALID_REQUEST', `${at}each request must be a JSON object`);
  const expiresInSeconds = parseExpiry(item.expiresIn, settings, at);
  const method = typeof item.method === 'string' ? item.method.toUpperCase() : item.method;
  if (method === 'GET') {
    if (typeof item.key !== 'string')
      throw new BadRequestError('INVALID_REQUEST', `${at}"key" must be a string`);
    return { method: 'GET', key: item.key, expiresInSeconds };
  }
  if (method !== 'PUT') throw new BadRequestError('INVALID_REQUEST', `${at}"method" must be "PUT" or "GET"`);
  return parsePutItem(item, settings, at, defaults, expiresInSeconds);
}

/** A presigned PUT: the type and size its signature binds, then the name, profile and labels it carries. */
function parsePutItem(
  item: Record<string, unknown>,
  settings: PresignSettings,
  at: string,
  defaults: PresignLabelDefaults,
  expiresInSeconds: number,
): PresignPutItem {
  const format = parseUploadFormat(item.contentType, at);
  const contentLength = parseContentLength(item.contentLength, settings, at);
  if (item.filename !== undefined && item.filename !== null && typeof item.filename !== 'string') {
    throw new BadRequestError('INVALID_REQUEST', `${at}"filename" must be a string`);
  }
  const filename = sanitizeFilename(
    typeof item.filename === 'string' ? item.filename : undefined,
    MAX_FILENAME_CHARS,
  );
  if (item.fit !== undefined && item.fit !== null && typeof item.fit !== 'string') {
    throw new BadRequestError('INVALID_REQUEST', `${at}"fit" must be a profile name such as "universal"`);
  }
  const fit = typeof item.fit === 'string' ? item.fit : undefined;
  return {
    method: 'PUT',
    format,
    contentType: MEDIA_TYPES[format].contentType,
    contentLength,
    filename,
    fit,
    folder: parseFolder(item.folder ?? defaults.folder),
    tags: parseTags(item.tags ?? defaults.tags),
    expiresInSeconds,
  };
}

/** The format of a PUT's `contentType`: one of the accepted image types, else 415 listing them. */
function parseUploadFormat(contentType: unknown, at: string): MediaFormat {
  if (typeof contentType !== 'string') {
    throw new BadRequestError('INVALID_REQUEST', `${at}"contentType" must be a string such as "image/png"`);
  }
  const format = formatFromContentType(contentType);
  if (format === undefined) {
    throw new UnsupportedMediaTypeError(
      `${at}contentType "${contentType.slice(0, 64)}" is not accepted; accepted: ${Object.values(MEDIA_TYPES)
        .map((m) => m.contentType)
        .join(', ')}`,
    );
  }
  return format;
}

/** A PUT's `contentLength`: a whole number of bytes from 1 up to the direct upload limit (else 413). */
function parseContentLength(contentLength: unknown, settings: PresignSettings, at: string): number {
  if (typeof contentLength !== 'number' || !Number.isSafeInteger(contentLength) || contentLength < 1) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `${at}"contentLength" must be the upload's size in bytes, a whole number from 1`,
    );
  }
  if (contentLength > settings.maxDirectUploadBytes) {
    throw new PayloadTooLargeError(
      `${at}contentLength ${contentLength} is over the direct upload limit of ${settings.maxDirectUploadBytes} bytes`,
    );
  }
  return contentLength;
}

function parseExpiry(value: unknown, settings: PresignSettings, at: string): number {
  if (value === undefined || value === null)
    return Math.min(settings.defaultExpiresSeconds, settings.maxExpiresSeconds);
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > settings.maxExpiresSeconds
  ) {
    throw new BadRequestError(
      'INVALID_EXPIRY',
      `${at}"expiresIn" must be a whole number of seconds from 1 to ${settings.maxExpiresSeconds}`,
    );
  }
  return value;
}
