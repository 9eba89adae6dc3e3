import type { CdnInvalidator } from '../adapters/cdn-invalidator';
import type { Catalogue } from '../adapters/catalogue-store';
import type { ImageStore } from '../adapters/image-store';
import { cdnRenditionsPrefixOf } from '../core/cdn-rendition';
import { type ImageRecord, keysOfImage } from '../core/image-record';
import { isOwnOriginalKey } from '../core/object-namespace';
import { publicUrlOf } from '../core/object-keys';
import { decodeStoredMetadata } from '../core/stored-metadata';
import { withRecordRetry } from './save-with-retry';

/** What deleting an image needs. */
export interface DeleteImageDeps {
  readonly store: ImageStore;
  readonly catalogue?: Catalogue | undefined;
  readonly invalidator: CdnInvalidator;
  readonly publicBaseUrl: string;
}

/** What a delete removed: the objects (renditions at the CDN included) and whether a record went. */
export interface DeletedImage {
  readonly objects: number;
  readonly recorded: boolean;
}

// Deletes in flight at once when sweeping renditions: well under the S3 client's sockets.
const DELETE_CONCURRENCY = 16;

/** Deletes every object under `prefix`, a page at a time; answers how many there were. */
export async function deleteUnderPrefix(store: ImageStore, prefix: string): Promise<number> {
  let deleted = 0;
  let startAfter: string | undefined;
  for (;;) {
    const page = await store.listObjects({ prefix, startAfter, limit: 1000 });
    for (let i = 0; i < page.objects.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        page.objects.slice(i, i + DELETE_CONCURRENCY).map((object) => store.deleteObject(object.key)),
      );
    }
    deleted += page.objects.length;
    if (!page.truncated || page.objects.length === 0) return deleted;
    startAfter = page.objects.at(-1)!.key;
  }
}

/** Removes served keys, the CDN renditions made of each, and private keys; answers how many objects. */
async function deleteObjects(store: ImageStore, keys: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const key of keys) {
    await store.deleteObject(key);
    deleted += 1;
    // Renditions made at the CDN go after their source: with it gone no new one can be made.
    if (!key.startsWith('_')) deleted += await deleteUnderPrefix(store, cdnRenditionsPrefixOf(key));
  }
  return deleted;
}

/** The CDN paths of served keys: the object, and its renditions (cached under the rewritten URI). */
function cdnPathsOf(publicBaseUrl: string, keys: readonly string[]): string[] {
  return keys
    .filter((key) => !key.startsWith('_'))
    .flatMap((key) => {
      const path = new URL(publicUrlOf(publicBaseUrl, key)).pathname;
      const basePath = path.slice(0, path.length - key.length);
      return [path, `${basePath}${cdnRenditionsPrefixOf(key)}*`];
    });
}

/**
 * Deletes a whole recorded image: the bytes first (every profile, the CDN renditions of each,
 * the kept original), the record last, so a crash in between leaves a record that a repeated
 * delete (or the reconciler) finishes, never bytes without a record. Then the CDN paths.
 */
export async function deleteRecordedImage(deps: DeleteImageDeps, record: ImageRecord): Promise<DeletedImage> {
  const keys = keysOfImage(record);
  const objects = await deleteObjects(deps.store, keys);
  // Whether this delete removed the record: a concurrent delete of the same image may have.
  let removed = deps.catalogue === undefined;
  if (deps.catalogue) {
    const catalogue = deps.catalogue;
    await withRecordRetry(async () => {
      const current = await catalogue.getImage(record.client, record.imageId);
      if (current) await catalogue.deleteImage(current);
      removed = current !== undefined;
    });
  }
  await deps.invalidator.invalidate(cdnPathsOf(deps.publicBaseUrl, keys));
  return { objects, recorded: removed };
}

/**
 * `DELETE /objects/{key}`: the whole image `key` belongs to. Objects stored before the catalogue
 * (no record) go with the upload their metadata names and their CDN renditions, as before.
 */
export async function deleteImageByKey(
  deps: DeleteImageDeps,
  client: string,
  key: string,
): Promise<DeletedImage> {
  const record = await deps.catalogue?.findByKey(key);
  if (record && record.client === client) return deleteRecordedImage(deps, record);
  const head = await deps.store.headObject(key);
  const source = head && decodeStoredMetadata(head.metadata).source;
  const keys = source !== undefined && isOwnOriginalKey(client, source) ? [source, key] : [key];
  const objects = await deleteObjects(deps.store, keys);
  await deps.invalidator.invalidate(cdnPathsOf(deps.publicBaseUrl, [key]));
  return { objects, recorded: false };
}
