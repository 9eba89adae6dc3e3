import { safeDecodeURIComponent } from './object-keys';

/** How one field is written as metadata text and read back. */
interface FieldCodec<T> {
  encode(value: T): string | undefined;
  decode(text: string): T | undefined;
}

const TEXT: FieldCodec<string> = { encode: (value) => value, decode: (text) => text };
const WHOLE_NUMBER: FieldCodec<number> = {
  encode: String,
  decode: (text) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined),
};
// Metadata is ASCII: a file name is stored percent-encoded.
const URI_TEXT: FieldCodec<string> = { encode: encodeURIComponent, decode: safeDecodeURIComponent };
// Tags hold no comma (checked when signed); an empty list is not written.
const COMMA_LIST: FieldCodec<readonly string[]> = {
  encode: (value) => (value.length === 0 ? undefined : value.join(',')),
  decode: (text) => text.split(','),
};

/**
 * Every S3 user-metadata field the service writes on stored objects, declared once: its name
 * (S3 keeps it lower-case; on the wire it is an `x-amz-meta-<name>` header) and how its value
 * is written. Writers (publishing, the CDN's renditions, presigned PUTs) and readers (the check,
 * `GET /objects/{key}`, deletes, the catalogue's backfill) all go through this table.
 * A presigned PUT's signed fields come first, in the order `POST /presign` lists its headers.
 */
const FIELDS = {
  client: ['client', TEXT],
  via: ['via', TEXT],
  fit: ['fit', TEXT],
  filename: ['original-filename', URI_TEXT],
  folder: ['folder', TEXT],
  tags: ['tags', COMMA_LIST],
  sha256: ['sha256', TEXT],
  profile: ['profile', TEXT],
  width: ['width', WHOLE_NUMBER],
  height: ['height', WHOLE_NUMBER],
  originalType: ['original-type', TEXT],
  originalSize: ['original-size', WHOLE_NUMBER],
  originalWidth: ['original-width', WHOLE_NUMBER],
  originalHeight: ['original-height', WHOLE_NUMBER],
  source: ['source', TEXT],
  imageId: ['image', TEXT],
  renderedFrom: ['rendered-from', TEXT],
} as const;

type Fields = typeof FIELDS;

/**
 * The metadata of a stored object, typed; a field is absent on objects that never had it.
 * `client`: whose namespace; `via`: how it arrived (`api`, `presigned-put`, `source-url`,
 * `rendition`); `fit`, `folder`, `tags`: a presigned upload's signed profile and labels, not yet
 * checked; `filename`: the caller's file name; `sha256`: hex digest of the stored bytes;
 * `profile`, `width`, `height`: a rendition's profile and served size; `original*`: what was
 * uploaded; `source`: the kept original (under `_originals/`) it was made from; `imageId`: the
 * catalogue's image; `renderedFrom`: the key a CDN rendition was rendered from.
 */
export type StoredMetadata = {
  readonly [F in keyof Fields]?: (Fields[F][1] extends FieldCodec<infer T> ? T : never) | undefined;
};

/** The metadata name of each field. */
export const STORED_METADATA_NAMES = Object.fromEntries(
  Object.entries(FIELDS).map(([field, [name]]) => [field, name]),
) as { readonly [F in keyof Fields]: Fields[F][0] };

/** The prefix S3 gives user metadata as request headers (a presigned PUT signs them). */
export const METADATA_HEADER_PREFIX = 'x-amz-meta-';

type AnyField = readonly [string, FieldCodec<unknown>];

/** The metadata to store for `value`: names as S3 keeps them, absent fields left out. */
export function encodeStoredMetadata(value: StoredMetadata, prefix = ''): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [field, [name, codec]] of Object.entries(FIELDS) as [keyof Fields, AnyField][]) {
    const fieldValue = value[field];
    const text = fieldValue === undefined ? undefined : codec.encode(fieldValue);
    if (text !== undefined) metadata[`${prefix}${name}`] = text;
  }
  return metadata;
}

/** `value` as the signed `x-amz-meta-*` headers of a presigned PUT. */
export function storedMetadataHeaders(value: StoredMetadata): Record<string, string> {
  return encodeStoredMetadata(value, METADATA_HEADER_PREFIX);
}

/** The typed metadata of a stored object (names lower-case, as the store reads them back). */
export function decodeStoredMetadata(metadata: Readonly<Record<string, string>>): StoredMetadata {
  const value: Record<string, unknown> = {};
  for (const [field, [name, codec]] of Object.entries(FIELDS) as [string, AnyField][]) {
    const text = metadata[name];
    const decoded = text === undefined ? undefined : codec.decode(text);
    if (decoded !== undefined) value[field] = decoded;
  }
  return value as StoredMetadata;
}
