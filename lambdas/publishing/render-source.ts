import type { ImageStore, StoredObject, StoredObjectInfo } from '../adapters/image-store';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { NotFoundError } from '../core/errors';
import type { ImageRecord } from '../core/image-record';
import { isOwnOriginalKey } from '../core/object-namespace';
import { decodeStoredMetadata } from '../core/stored-metadata';

/** What a new rendition of a stored object is made from. */
export interface RenderSource {
  /** The bytes read: the kept original, or the object itself. */
  readonly object: StoredObject;
  /** Key of the kept original when that was read; undefined when the object itself was. */
  readonly originalKey?: string | undefined;
}

/**
 * Reads what a new rendition of the object `head` describes is made from: the upload kept
 * privately behind it (named by its `source` metadata, and only when it is `client`'s own) so a
 * small rendition can still become a full-size one, else the object itself (objects stored
 * without one). Undefined when neither exists any more.
 */
export async function readKeptOriginalOrObject(
  store: ImageStore,
  client: string,
  head: StoredObjectInfo,
  maxBytes: number,
): Promise<RenderSource | undefined> {
  const originalKey = decodeStoredMetadata(head.metadata).source;
  if (originalKey !== undefined && isOwnOriginalKey(client, originalKey)) {
    const original = await store.getObject(originalKey, maxBytes);
    if (original) return { object: original, originalKey };
  }
  const object = await store.getObject(head.key, maxBytes);
  return object && { object };
}

/** What `POST /renditions` makes a new rendition from, and what it then belongs to. */
export interface RenditionSource {
  readonly object: StoredObject;
  /** The kept original read, when there is one. */
  readonly sourceKey: string | undefined;
  /** The recorded image the new rendition joins. */
  readonly image: ImageRecord | undefined;
}

/**
 * What a new rendition of `client`'s object `key` is made from: a recorded image renders from
 * its kept original, or from the upload it served as it came; an object stored before the
 * catalogue, from the original its metadata names, else itself. 404 when there is nothing.
 */
export async function readRenditionSource(
  deps: {
    readonly store: ImageStore;
    readonly maxSourceBytes: number;
    readonly catalogue?: CatalogueDeps | undefined;
  },
  client: string,
  key: string,
): Promise<RenditionSource> {
  const image = await deps.catalogue?.catalogue.findByKey(key);
  if (image) {
    const object = await deps.store.getObject(image.original.key ?? image.key, deps.maxSourceBytes);
    if (!object) throw new NotFoundError('no such object in your namespace');
    return { object, sourceKey: image.original.key, image };
  }
  const head = await deps.store.headObject(key);
  const source = head && (await readKeptOriginalOrObject(deps.store, client, head, deps.maxSourceBytes));
  if (!source) throw new NotFoundError('no such object in your namespace');
  return { object: source.object, sourceKey: source.originalKey, image: undefined };
}
