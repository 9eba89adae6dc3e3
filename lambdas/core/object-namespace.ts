import { ForbiddenError, NotFoundError } from './errors';
import { MEDIA_TYPES, type MediaFormat } from './media-types';
import { CLIENT_NAME_PATTERN } from './object-keys';

/**
 * Where presigned PUTs land until their bytes are checked. Client names start with
 * `[a-z0-9]`, so no client namespace can collide with it; the CDN never serves it.
 */
export const QUARANTINE_PREFIX = '_incoming/';

/** Where uploads are kept, unserved, when what the CDN serves is a rendition of them. */
export const ORIGINALS_PREFIX = '_originals/';

/** Where the outcome of each presigned upload is recorded (pending, published, refused). */
export const UPLOAD_STATUS_PREFIX = '_uploads/';

/**
 * Every key the service keeps private starts with `_`; client names cannot (they start with
 * `[a-z0-9]`), so the CDN is denied exactly `_*`.
 */
export const PRIVATE_KEY_PREFIX = '_';

// The only object names the service ever creates: `<sha256>.<ext>` (API uploads) and
// `<random id>.<ext>` (presigned uploads). Anything else — `..`, `%2e`, upper case, unicode
// look-alikes, bidi controls, slashes — cannot name an object of the caller's.
export const OBJECT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}\.[a-z0-9]{2,5}$/;
const NAME_PREFIX = /^[a-z0-9][a-z0-9.-]{0,132}$/;
const SHA256_NAME = /^([0-9a-f]{64})\.([a-z0-9]+)$/;
const DIRECT_UPLOAD_ID = /^[0-9a-f]{32}$/;

function notFound(): NotFoundError {
  return new NotFoundError('no such object in your namespace');
}

/** Splits `<client>/<name>` when both parts have the shapes the service creates. */
function parseKey(key: string): { client: string; name: string } | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const client = key.slice(0, slash);
  const name = key.slice(slash + 1);
  return CLIENT_NAME_PATTERN.test(client) && OBJECT_NAME_PATTERN.test(name) ? { client, name } : undefined;
}

/**
 * Resolves a key a client sent (already percent-decoded once, as API Gateway hands path
 * parameters over) to a key of its own namespace, or throws 404: another client's key, a
 * malformed one and a missing one look the same from outside.
 */
export function resolveOwnKey(client: string, key: unknown): string {
  if (typeof key !== 'string' || key.length > 256) throw notFound();
  const parsed = parseKey(key);
  if (!parsed || parsed.client !== client) throw notFound();
  return key;
}

/**
 * The listing prefix: `<client>/` when none is given, else a prefix that starts with
 * `<client>/` (so `alice` cannot list `alice2/…`). Throws 403 otherwise.
 */
export function resolveOwnPrefix(client: string, prefix: string | undefined): string {
  const own = `${client}/`;
  if (prefix === undefined || prefix === '') return own;
  const rest = prefix.startsWith(own) ? prefix.slice(own.length) : undefined;
  if (rest === undefined || (rest !== '' && !NAME_PREFIX.test(rest))) {
    throw new ForbiddenError(`prefix must start with "${own}" and hold only a-z, 0-9, "." and "-" after it`);
  }
  return prefix;
}

/**
 * The key behind one of this service's public URLs, or 404 when the URL is of another host,
 * another base path, or cannot be decoded. The result still has to pass `resolveOwnKey`.
 */
export function keyFromPublicUrl(publicBaseUrl: string, url: unknown): string {
  if (typeof url !== 'string' || url.length > 2048) throw notFound();
  let parsed: URL;
  let base: URL;
  try {
    parsed = new URL(url);
    base = new URL(`${publicBaseUrl.replace(/\/+$/, '')}/`);
  } catch {
    throw notFound();
  }
  // WHATWG parsing has already resolved `..` and `%2e%2e` segments and lower-cased the host.
  if (
    parsed.origin !== base.origin ||
    parsed.username ||
    parsed.password ||
    !parsed.pathname.startsWith(base.pathname)
  ) {
    throw notFound();
  }
  try {
    return parsed.pathname.slice(base.pathname.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    throw notFound();
  }
}

/** The keys of a presigned upload: where its bytes land, and where its outcome is recorded. */
export interface DirectUploadKeys {
  readonly uploadId: string;
  readonly quarantineKey: string;
  readonly statusKey: string;
}

/** Keys of a new presigned upload of `format` by `client`, named by a random 128-bit hex `id`. */
export function directUploadKeys(client: string, id: string, format: MediaFormat): DirectUploadKeys {
  if (!CLIENT_NAME_PATTERN.test(client) || !DIRECT_UPLOAD_ID.test(id)) {
    throw new Error('direct upload keys need a valid client name and a 32-hex-digit id');
  }
  return {
    uploadId: id,
    quarantineKey: `${QUARANTINE_PREFIX}${client}/${id}.${MEDIA_TYPES[format].ext}`,
    statusKey: uploadStatusKey(client, id),
  };
}

/** Where the outcome of `client`'s presigned upload `id` is recorded. */
export function uploadStatusKey(client: string, id: string): string {
  return `${UPLOAD_STATUS_PREFIX}${client}/${id}.json`;
}

/** The status key of an upload id a client sent, or 404 when it is not an id the service makes. */
export function resolveOwnUploadStatusKey(client: string, id: unknown): string {
  if (typeof id !== 'string' || !DIRECT_UPLOAD_ID.test(id)) throw notFound();
  return uploadStatusKey(client, id);
}

/** Who uploaded a quarantined object, its upload id and the extension it was signed for; undefined when the service signs no such key. */
export function parseQuarantineKey(
  quarantineKey: string,
): { client: string; uploadId: string; ext: string } | undefined {
  if (!quarantineKey.startsWith(QUARANTINE_PREFIX)) return undefined;
  const parsed = parseKey(quarantineKey.slice(QUARANTINE_PREFIX.length));
  if (!parsed) return undefined;
  const dot = parsed.name.lastIndexOf('.');
  const uploadId = parsed.name.slice(0, dot);
  if (!DIRECT_UPLOAD_ID.test(uploadId)) return undefined;
  return { client: parsed.client, uploadId, ext: parsed.name.slice(dot + 1) };
}

/** Whether the CDN may serve a key: never a private one (quarantine, originals, upload status). */
export function isServableKey(key: string): boolean {
  return key !== '' && !key.startsWith(PRIVATE_KEY_PREFIX) && !key.startsWith('/');
}

/** The private key under which the upload behind a rendition is kept. */
export function originalKeyOf(contentAddressedKey: string): string {
  return `${ORIGINALS_PREFIX}${contentAddressedKey}`;
}

/** Whether `key` is an upload kept under `_originals/` for `client`. */
export function isOwnOriginalKey(client: string, key: string): boolean {
  return (
    key.startsWith(`${ORIGINALS_PREFIX}${client}/`) &&
    parseKey(key.slice(ORIGINALS_PREFIX.length))?.client === client
  );
}

/** What a listed key says about itself: its type from the extension, its digest from a content-addressed name. */
export function describeListedKey(key: string): { contentType?: string; sha256?: string } {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const ext = name.slice(name.lastIndexOf('.') + 1);
  const media = Object.values(MEDIA_TYPES).find((m) => m.ext === ext);
  const sha256 = SHA256_NAME.exec(name)?.[1];
  return { ...(media && { contentType: media.contentType }), ...(sha256 && { sha256 }) };
}
