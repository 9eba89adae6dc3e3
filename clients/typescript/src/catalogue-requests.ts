import type { Profile } from './api-types.ts';
import type { Folder, ImageMetadata, ImagePatch, ImageSource, Tags } from './api-types.ts';

/** What the caller says about an image on any way in: filed under `folder`, with `tags` and `metadata`. */
export interface ImageLabels {
  /** Where to file it in your namespace (`users/alice@example.com`); the root when left out. */
  readonly folder?: Folder;
  readonly tags?: Tags;
  readonly metadata?: ImageMetadata;
}

/** A query string's values: a list repeats the name (`?tag=a&tag=b`); undefined leaves it out. */
export type QueryValues = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** Filters of `GET /objects` (the catalogue's listing) and where a page starts. */
export interface ListFilters {
  /** Only this folder (with `recursive`, everything under it too). */
  readonly folder?: Folder;
  readonly recursive?: boolean;
  /** Only images carrying every one of these tags. */
  readonly tags?: Tags;
  /** Only this served type, e.g. `image/jpeg`. */
  readonly type?: string;
  readonly source?: ImageSource;
  /** Only images created at or after / before this instant (a Date, or ISO 8601 text). */
  readonly createdAfter?: Date | string;
  readonly createdBefore?: Date | string;
  /** Only images whose filename contains this text. */
  readonly q?: string;
  /** Items per page, 1 to 1000 (the `limit` query; `pageSize` is its older name). @default 100 */
  readonly limit?: number;
  /** Start at this page: a `cursor` an earlier page answered. */
  readonly cursor?: string;
}

/** `?folder=` and a `?tag=` per tag: how a raw-byte upload carries its labels (metadata cannot ride a query). */
export function labelsQuery(labels: ImageLabels): QueryValues {
  return { folder: labels.folder, tag: labels.tags };
}

/** The labels as JSON body fields, only those given. */
export function labelsBody(labels: ImageLabels): Partial<ImageLabels> {
  return {
    ...(labels.folder !== undefined && { folder: labels.folder }),
    ...(labels.tags !== undefined && { tags: labels.tags }),
    ...(labels.metadata !== undefined && { metadata: labels.metadata }),
  };
}

/** The query of one page of `GET /objects`. */
export function listQuery(
  filters: ListFilters & { readonly prefix?: string; readonly pageSize?: number },
  cursor: string | undefined,
): QueryValues {
  return {
    prefix: filters.prefix,
    folder: filters.folder,
    recursive: filters.recursive ? 'true' : undefined,
    tag: filters.tags,
    type: filters.type,
    source: filters.source,
    createdAfter: isoOf(filters.createdAfter),
    createdBefore: isoOf(filters.createdBefore),
    q: filters.q,
    limit: filters.limit ?? filters.pageSize,
    cursor,
  };
}

const isoOf = (instant: Date | string | undefined) =>
  instant instanceof Date ? instant.toISOString() : instant;

/** The body of `PATCH /objects/{key}`: the fields given; an empty patch is a mistake, refused here. */
export function patchBody(patch: ImagePatch): ImagePatch {
  const body = {
    ...(patch.tags !== undefined && { tags: patch.tags }),
    ...(patch.metadata !== undefined && { metadata: patch.metadata }),
    ...(patch.filename !== undefined && { filename: patch.filename }),
  };
  if (Object.keys(body).length === 0)
    throw new TypeError('updateImage needs at least one of tags, metadata or filename');
  return body;
}

/** The JSON body of `POST /uploads` for bytes sent as base64 (the only way metadata rides a direct upload). */
export function base64UploadBody(
  bytes: Uint8Array,
  options: ImageLabels & { fit?: Profile; filename?: string; inline?: boolean },
): Record<string, unknown> {
  return {
    image: base64Of(bytes),
    ...(options.fit !== undefined && { fit: options.fit }),
    ...(options.filename !== undefined && { filename: options.filename }),
    ...(options.inline && { inline: true }),
    ...labelsBody(options),
  };
}

/** Refuses an empty folder before it reaches `DELETE /objects?folder=`. */
export function folderToErase(folder: Folder): Folder {
  if (typeof folder !== 'string' || folder.trim() === '')
    throw new TypeError('eraseFolder needs a folder, e.g. "users/alice@example.com"');
  return folder;
}

/** Standard base64 with `btoa` (Node 16+ and browsers alike), 32 KiB at a time to stay off the call-stack limit. */
export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
