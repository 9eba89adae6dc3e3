import { decodeBase64Strict } from './base64';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';
import { parseFolder, parseMetadata, parseTags } from './image-labels';
import { parseJsonObject } from './json-body';
import { tooLargeMessage } from './limits';
import { formatFromContentType, mimeTypeOf } from './media-types';
import { DEFAULT_SOURCE_HEADER_ALLOWLIST, parseSourceHeaders, parseSourceUrl } from './source-policy';

/** An upload request as it reaches a handler, whatever the transport. */
export interface UploadRequest {
  /** The body as API Gateway hands it over: text, or base64 when `isBase64Encoded`. */
  readonly body: string | null | undefined;
  readonly isBase64Encoded: boolean;
  /** The request's `Content-Type` header, if any. */
  readonly contentType: string | undefined;
  /** `?filename=` of a raw upload. */
  readonly filenameParam?: string | undefined;
  /** `?fit=` and `?inline=` of a raw upload (a JSON body carries them as fields). */
  readonly fitParam?: string | undefined;
  readonly inlineParam?: string | undefined;
  /** `?folder=` and the repeated `?tag=` of a raw upload (a JSON body carries them as fields). */
  readonly folderParam?: string | undefined;
  readonly tagParams?: readonly string[] | undefined;
}

/** What every upload request carries besides its image. */
interface PayloadOptions {
  /** Types the client declared (`imageType`, a data URI's type, the Content-Type); bytes must agree. */
  readonly declaredTypes: readonly string[];
  readonly filename?: string | undefined;
  /** The profile asked for (`fit`), not yet checked; undefined means the deployment's default. */
  readonly fit?: string | undefined;
  /** Whether the answer should carry the rendition's bytes as base64 (`inline`). */
  readonly inline?: boolean;
  /** The folder the image is filed under (`''`: the client's root), checked. */
  readonly folder: string;
  /** Tags and metadata to record with the image, checked. */
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** What the client sent, decoded but not yet checked as an image. */
export interface ImagePayload extends PayloadOptions {
  readonly bytes: Buffer;
}

/** Where the service is to fetch the image (`{"sourceUrl", "sourceHeaders"?}`), not yet checked against the policy. */
export interface ImageSource {
  readonly url: URL;
  /** Lower-case names; sent only to the source's origin, never logged or stored. */
  readonly headers: Readonly<Record<string, string>>;
}

/** An upload request asking the service to fetch its image. */
export interface SourcePayload extends PayloadOptions {
  readonly source: ImageSource;
}

/** An upload request of either kind. */
export type UploadPayload = ({ kind: 'bytes' } & ImagePayload) | ({ kind: 'source' } & SourcePayload);

// Clients of the older proxy API post JSON with whatever Content-Type their HTTP library
// picks (curl -d sends form-urlencoded), so these are read as JSON too.
const JSON_CONTENT_TYPES = new Set([
  'application/json',
  'text/json',
  'text/plain',
  'application/x-www-form-urlencoded',
]);
const RAW_CONTENT_TYPE = 'application/octet-stream';
/** A body without Content-Type is read as JSON; raw bytes sent that way need to say what they are. */
const NO_CONTENT_TYPE_MESSAGE =
  'body is not valid JSON and has no Content-Type: send raw image bytes with their type (Content-Type: image/png, image/jpeg, …, or application/octet-stream), or JSON {"image": <base64>} with Content-Type: application/json';
const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*);base64,/i;

/**
 * Turns an upload request into bytes plus the client's declared types: base64 JSON
 * (`{"image", "imageType"?, "filename"?}`), a `data:` URI in `image`, or a raw binary body.
 * Refuses oversize bodies before decoding them, and bodies that name a `sourceUrl`.
 */
export function decodeImagePayload(request: UploadRequest, maxImageBytes: number): ImagePayload {
  const payload = decodeUploadPayload(request, maxImageBytes);
  if (payload.kind === 'source') {
    throw new BadRequestError('INVALID_REQUEST', 'this route takes the image itself, not a "sourceUrl"');
  }
  return payload;
}

/**
 * Reads an upload request of either kind: the image itself (as `decodeImagePayload`), or a
 * JSON body `{"sourceUrl", "sourceHeaders"?, "imageType"?, "filename"?, "fit"?, "inline"?}`
 * naming where to fetch it. `sourceHeaders` names must be on `sourceHeaderAllowlist`.
 */
export function decodeUploadPayload(
  request: UploadRequest,
  maxImageBytes: number,
  sourceHeaderAllowlist: ReadonlySet<string> = new Set(DEFAULT_SOURCE_HEADER_ALLOWLIST),
): UploadPayload {
  const mime = mimeTypeOf(request.contentType);
  if (mime === RAW_CONTENT_TYPE || formatFromContentType(mime) !== undefined) {
    return { kind: 'bytes', ...decodeRawBody(request, mime, maxImageBytes) };
  }
  if (mime === '' || JSON_CONTENT_TYPES.has(mime)) {
    return decodeJsonBody(request, maxImageBytes, sourceHeaderAllowlist);
  }
  throw new UnsupportedMediaTypeError(
    `Content-Type ${mime} is not accepted: send JSON {"image": <base64>} or {"sourceUrl": <https URL>}, or the raw bytes with an image Content-Type`,
  );
}

function decodeRawBody(request: UploadRequest, mime: string, maxImageBytes: number): ImagePayload {
  const body = request.body ?? '';
  const bytes = request.isBase64Encoded ? decodeBase64Strict(body) : Buffer.from(body, 'latin1');
  if (bytes.length > maxImageBytes) throw new PayloadTooLargeError(tooLargeMessage(maxImageBytes));
  return {
    bytes,
    declaredTypes: mime === RAW_CONTENT_TYPE ? [] : [mime],
    filename: request.filenameParam,
    fit: request.fitParam,
    inline: parseInlineFlag(request.inlineParam ?? false),
    folder: parseFolder(request.folderParam),
    tags: parseTags(request.tagParams),
  };
}

function decodeJsonBody(
  request: UploadRequest,
  maxImageBytes: number,
  sourceHeaderAllowlist: ReadonlySet<string>,
): UploadPayload {
  const fields = parseJsonObject(
    request.body,
    request.isBase64Encoded,
    mimeTypeOf(request.contentType) === '' ? NO_CONTENT_TYPE_MESSAGE : undefined,
  );
  const { image, imageType, sourceUrl, sourceHeaders } = fields;
  const options = jsonPayloadOptions(fields);
  const declaredTypes: string[] = typeof imageType === 'string' ? [imageType] : [];
  if (sourceUrl !== undefined && sourceUrl !== null) {
    if (image !== undefined && image !== null) {
      throw new BadRequestError('INVALID_REQUEST', 'send either "image" or "sourceUrl", not both');
    }
    return {
      kind: 'source',
      source: {
        url: parseSourceUrl(sourceUrl),
        headers: parseSourceHeaders(sourceHeaders, sourceHeaderAllowlist),
      },
      declaredTypes,
      ...options,
    };
  }
  if (sourceHeaders !== undefined && sourceHeaders !== null) {
    throw new BadRequestError('INVALID_REQUEST', '"sourceHeaders" go with a "sourceUrl"');
  }
  return { kind: 'bytes', ...decodeJsonImage(image, declaredTypes, maxImageBytes), ...options };
}

/** The fields of a JSON upload besides its image or source, each checked (`imageType` only for its type). */
function jsonPayloadOptions(fields: Record<string, unknown>): Omit<PayloadOptions, 'declaredTypes'> {
  const { imageType, filename, fit, inline, folder, tags, metadata } = fields;
  if (imageType !== undefined && imageType !== null && typeof imageType !== 'string') {
    throw new BadRequestError('INVALID_REQUEST', '"imageType" must be a string such as "png" or "jpg"');
  }
  if (filename !== undefined && filename !== null && typeof filename !== 'string') {
    throw new BadRequestError('INVALID_REQUEST', '"filename" must be a string');
  }
  if (fit !== undefined && fit !== null && typeof fit !== 'string') {
    throw new BadRequestError(
      'INVALID_REQUEST',
      '"fit" must be a profile name such as "universal" or "openai"',
    );
  }
  return {
    filename: typeof filename === 'string' ? filename : undefined,
    fit: typeof fit === 'string' ? fit : undefined,
    inline: parseInlineFlag(inline ?? false),
    folder: parseFolder(folder),
    tags: parseTags(tags),
    metadata: parseMetadata(metadata),
  };
}

/**
 * The `image` field's bytes: base64, or a base64 `data:` URI whose type joins `declaredTypes`.
 * A body too large is refused before it is decoded.
 */
function decodeJsonImage(
  image: unknown,
  declaredTypes: readonly string[],
  maxImageBytes: number,
): { readonly bytes: Buffer; readonly declaredTypes: readonly string[] } {
  if (typeof image !== 'string') {
    throw new BadRequestError(
      'INVALID_REQUEST',
      '"image" must be a string of base64 or a data: URI (or send "sourceUrl" to have the image fetched)',
    );
  }
  let types = declaredTypes;
  let base64 = image;
  if (image.startsWith('data:')) {
    const match = DATA_URI.exec(image.slice(0, 256));
    if (!match)
      throw new BadRequestError(
        'INVALID_DATA_URI',
        'data: URI must be base64-encoded (data:<type>;base64,<data>)',
      );
    if (match[1]) types = [...declaredTypes, match[1]];
    base64 = image.slice(match[0].length);
  }
  // Four base64 characters carry three bytes: refuse before spending time decoding
  // (with room for the line breaks of MIME-wrapped base64, about 2.6%).
  if ((base64.length * 3) / 4 > maxImageBytes * 1.04 + 3) {
    throw new PayloadTooLargeError(tooLargeMessage(maxImageBytes));
  }
  const bytes = decodeBase64Strict(base64);
  if (bytes.length > maxImageBytes) throw new PayloadTooLargeError(tooLargeMessage(maxImageBytes));
  return { bytes, declaredTypes: types };
}

/** `inline` as JSON (`true`/`false`) or as a query parameter (`1`, `true`, `0`, `false`). */
export function parseInlineFlag(value: unknown): boolean {
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0' || value === '') return false;
  throw new BadRequestError('INVALID_REQUEST', '"inline" must be true or false');
}
