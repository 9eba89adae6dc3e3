import { describeListedKey } from './object-namespace';
import { decodeStoredMetadata } from './stored-metadata';

/** What storage knows about one object, without its bytes: the shape of the store's head answer; user metadata (`client`, `sha256`, `profile`…) with lower-case names. */
export interface StoredObjectHead {
  readonly key: string;
  readonly size: number;
  readonly contentType?: string | undefined;
  readonly lastModified?: Date | undefined;
  readonly etag?: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * `GET /objects/{key}`'s answer: size, type, digest and dates, and for renditions the
 * served width, height and profile, and what was uploaded. Objects stored before renditions
 * existed carry none of those and answer without them.
 */
export function describeStoredObject(object: StoredObjectHead): Record<string, unknown> {
  const m = decodeStoredMetadata(object.metadata);
  const { sha256, width, height, profile, filename } = m;
  return {
    key: object.key,
    size: object.size,
    contentType: object.contentType,
    sha256: sha256 ?? describeListedKey(object.key).sha256,
    lastModified: object.lastModified?.toISOString(),
    etag: object.etag,
    ...(width !== undefined && height !== undefined && { width, height }),
    ...(profile !== undefined && { profile }),
    ...(filename !== undefined && { filename }),
    ...(m.originalType !== undefined && {
      original: {
        contentType: m.originalType,
        size: m.originalSize,
        width: m.originalWidth,
        height: m.originalHeight,
      },
    }),
  };
}
