import type { ImageStore } from '../adapters/image-store';
import { type ImageRecord, keysOfImage, mergeUpload, type ProfileEntry } from '../core/image-record';
import { MEDIA_TYPES } from '../core/media-types';
import { imageIdOf, imageOriginalKeyOf, opaqueKeyOf } from '../core/opaque-keys';
import type { PublishedImage } from '../core/upload-answer';
import {
  labelsOf,
  type MadeRendition,
  type PublishRequest,
  publishedImage,
  originalMetadata,
  renditionMetadata,
  sha256Of,
} from '../publishing/made-rendition';
import { type CatalogueDeps, nowOf } from './catalogue-deps';
import { withRecordRetry } from './save-with-retry';

/** Publishing into the catalogue: the store the bytes go to, and the catalogue. */
export interface RecordedPublishDeps extends CatalogueDeps {
  readonly store: ImageStore;
}

/** Clips have no profile: their one entry is the upload itself. */
export const AS_UPLOADED_PROFILE = 'as-uploaded';

/** Which image a publish belongs to: the recorded one it renders, or one upload's content in one folder. */
function identityOf(
  secret: Uint8Array,
  request: PublishRequest,
  upload: () => { hex: string },
): { imageId: string; folder: string } {
  if (request.image) return { imageId: request.image.imageId, folder: request.image.folder };
  const folder = request.folder ?? '';
  return { imageId: imageIdOf(secret, request.client, folder, upload().hex), folder };
}

function newRecord(
  request: PublishRequest,
  identity: { imageId: string; folder: string },
  profile: string,
  entry: ProfileEntry,
  made: MadeRendition,
  originalKey: string | undefined,
  now: string,
): ImageRecord {
  return {
    client: request.client,
    imageId: identity.imageId,
    folder: identity.folder,
    key: entry.key,
    filename: request.filename,
    tags: request.tags ?? [],
    metadata: request.metadata ?? {},
    source: request.source,
    createdAt: now,
    updatedAt: now,
    original: {
      contentType: made.original.contentType,
      size: made.original.size,
      width: made.original.width,
      height: made.original.height,
      key: originalKey,
    },
    profiles: { [profile]: entry },
    version: 0,
  };
}

/**
 * Stores a rendition as a profile of its image and records it. The record is written first and
 * the bytes after it, so a crash between the two leaves a record whose objects are missing (the
 * reconciler drops it; a retry fills it), never an object served without a record. When the
 * bytes cannot be stored, a new record is taken back before the error reaches the caller.
 */
export async function publishRecorded(
  deps: RecordedPublishDeps,
  request: PublishRequest,
  made: MadeRendition,
): Promise<{ image: PublishedImage; record: ImageRecord }> {
  const secret = await deps.keySecret();
  // The upload's digest names its image and checks its kept copy: hashed once, when needed.
  let uploadDigest: { hex: string; base64: string } | undefined;
  const upload = () => {
    uploadDigest ??= sha256Of(request.bytes);
    return uploadDigest;
  };
  const identity = identityOf(secret, request, upload);
  const profile = made.width === undefined ? AS_UPLOADED_PROFILE : request.profile.name;
  const key = opaqueKeyOf(secret, request.client, identity.imageId, profile, made.ext);
  const entry: ProfileEntry = {
    key,
    size: made.bytes.length,
    contentType: made.contentType,
    sha256: made.sha256.hex,
    ...(made.width !== undefined && { width: made.width, height: made.height }),
  };
  const now = nowOf(deps);
  // Most uploads are new content: the first round creates the record without reading it first
  // (a conditional put); only when it exists already is it read and merged.
  let known = request.image !== undefined;
  const { before, after } = await withRecordRetry(async () => {
    const before = known ? await deps.catalogue.getImage(request.client, identity.imageId) : undefined;
    known = true;
    const originalKey =
      before?.original.key ??
      (!made.keepsUpload
        ? undefined
        : imageOriginalKeyOf(request.client, identity.imageId, MEDIA_TYPES[made.format].ext));
    const next = before
      ? {
          ...mergeUpload(before, profile, entry, labelsOf(request), now),
          original: { ...before.original, key: originalKey },
        }
      : newRecord(request, identity, profile, entry, made, originalKey, now);
    return { before, after: await deps.catalogue.saveImage(before, next) };
  });
  const originalKey = after.original.key;
  try {
    await Promise.all([
      // The upload is in hand on every way in but a rendition of a stored image, which read it from there.
      ...(originalKey !== undefined && (before?.original.key === undefined || request.image === undefined)
        ? [storeOriginal(deps.store, originalKey, request, made.original.contentType, upload())]
        : []),
      deps.store.putObject({
        key,
        bytes: made.bytes,
        contentType: made.contentType,
        sha256Base64: made.sha256.base64,
        metadata: renditionMetadata(request, made, originalKey, identity.imageId),
      }),
    ]);
  } catch (err) {
    await takeBack(deps, before, after);
    throw err;
  }
  return { image: publishedImage(request, made, key), record: after };
}

function storeOriginal(
  store: ImageStore,
  key: string,
  request: PublishRequest,
  contentType: string,
  digest: { hex: string; base64: string },
): Promise<void> {
  return store.putObject({
    key,
    bytes: request.bytes,
    contentType,
    sha256Base64: digest.base64,
    metadata: originalMetadata(request, digest.hex),
    private: true,
  });
}

/** Undoes a record write whose bytes were not stored: best effort; the reconciler finishes the rest. */
async function takeBack(deps: RecordedPublishDeps, before: ImageRecord | undefined, after: ImageRecord) {
  const added = keysOfImage(after).filter((key) => !(before && keysOfImage(before).includes(key)));
  if (added.length === 0) return;
  try {
    if (before === undefined) await deps.catalogue.deleteImage(after);
    else await deps.catalogue.saveImage(after, { ...before, version: after.version });
  } catch {
    // The record stays ahead of storage; a retry of the upload fills it, the reconciler drops it.
  }
}
