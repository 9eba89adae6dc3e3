import type { ImageStore, StoredObject, StoredObjectInfo } from '../adapters/image-store';
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
