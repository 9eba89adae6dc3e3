import { createHash } from 'node:crypto';
import type { Catalogue } from '../adapters/catalogue-store';
import type { ImageStore, StoredObjectInfo } from '../adapters/image-store';
import { type ImageRecord, type ImageSource, mergeUpload, type ProfileEntry } from '../core/image-record';
import { isOwnOriginalKey } from '../core/object-namespace';
import { decodeStoredMetadata } from '../core/stored-metadata';
import { withRecordRetry } from './save-with-retry';

const SOURCE_OF_VIA: Readonly<Record<string, ImageSource>> = {
  api: 'upload',
  'presigned-put': 'presign',
  'source-url': 'url',
  rendition: 'rendition',
};

/**
 * Records an object stored before the catalogue (`<client>/<sha256>.<ext>`), from what S3 knows
 * of it. Objects made from one kept original become one image (so deleting one deletes them
 * all, and the original with them); each other object is an image of its own, in the root
 * folder. Idempotent: an object already recorded is left as it is.
 */
export async function backfillRecord(
  deps: { readonly store: ImageStore; readonly catalogue: Catalogue },
  client: string,
  head: StoredObjectInfo,
): Promise<'recorded' | 'present'> {
  if (await deps.catalogue.findByKey(head.key)) return 'present';
  const m = decodeStoredMetadata(head.metadata);
  const originalKey =
    m.source !== undefined && isOwnOriginalKey(client, m.source) && (await deps.store.headObject(m.source))
      ? m.source
      : undefined;
  const imageId = createHash('sha256')
    .update(originalKey ?? head.key)
    .digest('hex')
    .slice(0, 40);
  const profile = m.profile ?? 'as-uploaded';
  const entry: ProfileEntry = {
    key: head.key,
    size: head.size,
    contentType: head.contentType ?? 'application/octet-stream',
    sha256: m.sha256 ?? '',
    ...(m.width !== undefined && { width: m.width, height: m.height }),
  };
  const createdAt = (head.lastModified ?? new Date(0)).toISOString();
  await withRecordRetry(async () => {
    const before = await deps.catalogue.getImage(client, imageId);
    const after: ImageRecord = before
      ? mergeUpload(before, profile, entry, {}, before.updatedAt)
      : {
          client,
          imageId,
          folder: '',
          key: head.key,
          filename: m.filename,
          tags: [],
          metadata: {},
          source: SOURCE_OF_VIA[m.via ?? ''] ?? 'upload',
          createdAt,
          updatedAt: createdAt,
          original: {
            contentType: m.originalType ?? entry.contentType,
            size: m.originalSize ?? head.size,
            width: m.originalWidth,
            height: m.originalHeight,
            key: originalKey,
          },
          profiles: { [profile]: entry },
          version: 0,
        };
    await deps.catalogue.saveImage(before, after);
  });
  return 'recorded';
}
