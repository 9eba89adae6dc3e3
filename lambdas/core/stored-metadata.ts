import { safeDecodeURIComponent } from './object-keys';

/**
 * The S3 user-metadata names the service writes on stored objects (S3 keeps them lower-case;
 * on the wire each is an `x-amz-meta-<name>` header). Declared once: the writers (publishing,
 * the CDN's renditions, presigned PUTs) and the readers (the check, `GET /objects/{key}`,
 * deletes, the catalogue's backfill) all go through `encodeStoredMetadata` / `decodeStoredMetadata`.
 */
export const STORED_METADATA_NAMES = {
  client: 'client',
  via: 'via',
  sha256: 'sha256',
  profile: 'profile',
  width: 'width',
  height: 'height',
  filename: 'original-filename',
  originalType: 'original-type',
  originalSize: 'original-size',
  originalWidth: 'original-width',
  originalHeight: 'original-height',
  source: 'source',
  renderedFrom: 'rendered-from',
  imageId: 'image',
  fit: 'fit',
  folder: 'folder',
  tags: 'tags',
} as const;

/** The prefix S3 gives user metadata as request headers (a presigned PUT signs them). */
export const METADATA_HEADER_PREFIX = 'x-amz-meta-';

/** What the uploaded image was, as a rendition's metadata records it. */
export interface StoredOriginal {
  readonly contentType?: string | undefined;
  readonly size?: number | undefined;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

/** The metadata of a stored object, typed; every field is absent on objects that never had it. */
export interface StoredMetadata {
  /** The client whose namespace the object is in. */
  readonly client?: string | undefined;
  /** How it arrived (`api`, `presigned-put`, `source-url`, `rendition`). */
  readonly via?: string | undefined;
  /** Hex SHA-256 of the stored bytes. */
  readonly sha256?: string | undefined;
  /** The model profile a rendition was made for. */
  readonly profile?: string | undefined;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  /** The caller's file name, as given (stored percent-encoded: metadata is ASCII). */
  readonly filename?: string | undefined;
  readonly original?: StoredOriginal | undefined;
  /** Key of the kept original (under `_originals/`) the object was made from. */
  readonly source?: string | undefined;
  /** Key of the object a CDN rendition was rendered from. */
  readonly renderedFrom?: string | undefined;
  /** The catalogue's id of the image the object belongs to. */
  readonly imageId?: string | undefined;
  /** A presigned upload's signed profile, folder and tags (tags hold no comma), not yet checked. */
  readonly fit?: string | undefined;
  readonly folder?: string | undefined;
  readonly tags?: readonly string[] | undefined;
}

type Names = typeof STORED_METADATA_NAMES;
type Encoded = Partial<Record<Names[keyof Names], string>>;

const wholeNumber = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;

const text = (value: number | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

/** The metadata to store for `value`: names as S3 keeps them, absent fields left out. */
export function encodeStoredMetadata(value: StoredMetadata): Record<string, string> {
  const n = STORED_METADATA_NAMES;
  const encoded: Encoded = {
    [n.client]: value.client,
    [n.via]: value.via,
    // A presigned PUT's signed fields first, as `POST /presign` has always listed its headers.
    [n.fit]: value.fit,
    [n.filename]: value.filename === undefined ? undefined : encodeURIComponent(value.filename),
    [n.sha256]: value.sha256,
    [n.profile]: value.profile,
    [n.width]: text(value.width),
    [n.height]: text(value.height),
    [n.originalType]: value.original?.contentType,
    [n.originalSize]: text(value.original?.size),
    [n.originalWidth]: text(value.original?.width),
    [n.originalHeight]: text(value.original?.height),
    [n.source]: value.source,
    [n.renderedFrom]: value.renderedFrom,
    [n.imageId]: value.imageId,
    [n.folder]: value.folder,
    [n.tags]: value.tags === undefined || value.tags.length === 0 ? undefined : value.tags.join(','),
  };
  const metadata: Record<string, string> = {};
  for (const [name, field] of Object.entries(encoded)) if (field !== undefined) metadata[name] = field;
  return metadata;
}

/** `value` as the signed `x-amz-meta-*` headers of a presigned PUT. */
export function storedMetadataHeaders(value: StoredMetadata): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, field] of Object.entries(encodeStoredMetadata(value))) {
    headers[`${METADATA_HEADER_PREFIX}${name}`] = field;
  }
  return headers;
}

/** The typed metadata of a stored object (names lower-case, as the store reads them back). */
export function decodeStoredMetadata(metadata: Readonly<Record<string, string>>): StoredMetadata {
  const n = STORED_METADATA_NAMES;
  const m = metadata as Encoded;
  const filename = m[n.filename];
  const original: StoredOriginal = {
    contentType: m[n.originalType],
    size: wholeNumber(m[n.originalSize]),
    width: wholeNumber(m[n.originalWidth]),
    height: wholeNumber(m[n.originalHeight]),
  };
  return {
    client: m[n.client],
    via: m[n.via],
    sha256: m[n.sha256],
    profile: m[n.profile],
    width: wholeNumber(m[n.width]),
    height: wholeNumber(m[n.height]),
    filename: filename === undefined ? undefined : safeDecodeURIComponent(filename),
    original: Object.values(original).some((field) => field !== undefined) ? original : undefined,
    source: m[n.source],
    renderedFrom: m[n.renderedFrom],
    imageId: m[n.imageId],
    fit: m[n.fit],
    folder: m[n.folder],
    tags: m[n.tags]?.split(','),
  };
}
