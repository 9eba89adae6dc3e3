import { BadRequestError } from './errors';
import { MAX_TAGS } from './image-labels';
import { publicUrlOf } from './object-keys';

/** How an image came in. */
export type ImageSource = 'upload' | 'presign' | 'url' | 'rendition';

/** One profile rendition of an image (or the clip itself, profile `as-uploaded`). */
export interface ProfileEntry {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
  readonly sha256: string;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

/** What was uploaded: its type, size and pixels; `key` when it is kept privately. */
export interface OriginalEntry {
  readonly contentType: string;
  readonly size: number;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  /** The private copy under `_originals/`, when the served renditions differ from the upload. */
  readonly key?: string | undefined;
}

/**
 * The catalogue's record of one image: one upload's content in one folder of one client, with
 * every profile made of it and what the caller said about it. `version` orders writes
 * (optimistic concurrency); `key` is the profile the image was first published as.
 */
export interface ImageRecord {
  readonly client: string;
  readonly imageId: string;
  readonly folder: string;
  readonly key: string;
  readonly filename?: string | undefined;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly source: ImageSource;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly original: OriginalEntry;
  readonly profiles: Readonly<Record<string, ProfileEntry>>;
  readonly version: number;
}

/** What a caller may say about an image: on upload (added to what was said) or by PATCH (replaced). */
export interface ImageLabels {
  readonly filename?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** Every object key of an image: its profiles and its kept original. */
export function keysOfImage(record: ImageRecord): string[] {
  const keys = Object.values(record.profiles).map((profile) => profile.key);
  if (record.original.key !== undefined) keys.push(record.original.key);
  return [...new Set(keys)];
}

/**
 * The record after another upload of the same content into the same folder: the new profile
 * added, tags added, metadata merged, filename set when given. Nothing said before is erased.
 */
export function mergeUpload(
  existing: ImageRecord,
  profile: string,
  entry: ProfileEntry,
  labels: ImageLabels,
  now: string,
): ImageRecord {
  const tags = [...new Set([...existing.tags, ...(labels.tags ?? [])])];
  if (tags.length > MAX_TAGS)
    throw new BadRequestError('INVALID_TAGS', `the image would have more than ${MAX_TAGS} tags`);
  return {
    ...existing,
    filename: labels.filename ?? existing.filename,
    tags,
    metadata: { ...existing.metadata, ...labels.metadata },
    profiles: { ...existing.profiles, [profile]: entry },
    updatedAt: now,
  };
}

/** The record after a PATCH: each label given replaces the one stored. */
export function applyPatch(existing: ImageRecord, labels: ImageLabels, now: string): ImageRecord {
  return {
    ...existing,
    ...(labels.filename !== undefined && { filename: labels.filename }),
    ...(labels.tags !== undefined && { tags: labels.tags }),
    ...(labels.metadata !== undefined && { metadata: labels.metadata }),
    updatedAt: now,
  };
}

/** What an image adds to its folders' stats; subtract the old contribution, add the new. */
export interface StatsContribution {
  readonly images: number;
  readonly servedBytes: number;
  readonly originalBytes: number;
  readonly contentTypes: Readonly<Record<string, number>>;
  readonly sources: Readonly<Record<string, number>>;
}

/** An image's contribution to the stats of every folder it is under. */
export function statsContributionOf(record: ImageRecord | undefined, sign: 1 | -1 = 1): StatsContribution {
  if (record === undefined)
    return { images: 0, servedBytes: 0, originalBytes: 0, contentTypes: {}, sources: {} };
  const served = Object.values(record.profiles).reduce((sum, profile) => sum + profile.size, 0);
  const contentType = primaryContentType(record);
  return {
    images: sign,
    servedBytes: sign * served,
    originalBytes: record.original.key === undefined ? 0 : sign * record.original.size,
    contentTypes: { [contentType]: sign },
    sources: { [record.source]: sign },
  };
}

/** Two contributions added up (counts that come to 0 dropped): a change, or a folder's total. */
export function addContributions(a: StatsContribution, b: StatsContribution): StatsContribution {
  const sum = (x: Readonly<Record<string, number>>, y: Readonly<Record<string, number>>) => {
    const out: Record<string, number> = { ...x };
    for (const [name, n] of Object.entries(y)) out[name] = (out[name] ?? 0) + n;
    return Object.fromEntries(Object.entries(out).filter(([, n]) => n !== 0));
  };
  return {
    images: a.images + b.images,
    servedBytes: a.servedBytes + b.servedBytes,
    originalBytes: a.originalBytes + b.originalBytes,
    contentTypes: sum(a.contentTypes, b.contentTypes),
    sources: sum(a.sources, b.sources),
  };
}

/** The change of stats from `before` to `after` (either may be absent: a new or deleted image). */
export function statsDelta(
  before: ImageRecord | undefined,
  after: ImageRecord | undefined,
): StatsContribution {
  return addContributions(statsContributionOf(before, -1), statsContributionOf(after, 1));
}

/** The type an image is counted and filtered under: that of the rendition it was first published as. */
export function primaryContentType(record: ImageRecord): string {
  return record.profiles[profileOfKey(record, record.key) ?? '']?.contentType ?? 'unknown';
}

/** The profile whose rendition has `key`, if the image has one. */
export function profileOfKey(record: ImageRecord, key: string): string | undefined {
  return Object.entries(record.profiles).find(([, entry]) => entry.key === key)?.[0];
}

/**
 * The record as the API shows it, seen through one of its keys (`key`; the first-published one
 * when not given): that rendition's fields, then the image's — folder, filename, tags,
 * metadata, source, dates, the original, and every profile made of it with its URL.
 */
export function recordAnswer(
  record: ImageRecord,
  publicBaseUrl: string,
  key = record.key,
): Record<string, unknown> {
  const profile = profileOfKey(record, key) ?? profileOfKey(record, record.key);
  const entry = record.profiles[profile ?? ''];
  return {
    key: entry?.key ?? key,
    url: publicUrlOf(publicBaseUrl, entry?.key ?? key),
    ...(entry && {
      size: entry.size,
      contentType: entry.contentType,
      sha256: entry.sha256,
      ...(entry.width !== undefined && { width: entry.width, height: entry.height }),
    }),
    ...(profile !== undefined && profile !== 'as-uploaded' && { profile }),
    folder: record.folder,
    ...(record.filename !== undefined && { filename: record.filename }),
    tags: [...record.tags],
    metadata: { ...record.metadata },
    source: record.source,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    originalSize: record.original.size,
    original: {
      contentType: record.original.contentType,
      size: record.original.size,
      ...(record.original.width !== undefined && {
        width: record.original.width,
        height: record.original.height,
      }),
    },
    profiles: Object.fromEntries(
      Object.entries(record.profiles).map(([name, p]) => [
        name,
        {
          key: p.key,
          url: publicUrlOf(publicBaseUrl, p.key),
          ...(p.width !== undefined && { width: p.width, height: p.height }),
          size: p.size,
          contentType: p.contentType,
        },
      ]),
    ),
  };
}
