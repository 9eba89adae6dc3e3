import { describeListedKey } from './object-namespace';
import { safeDecodeURIComponent } from './object-keys';

/** What storage knows about one object, without its bytes: the shape of the store's head answer; user metadata (`client`, `sha256`, `profile`…) with lower-case names. */
export interface StoredObjectHead {
  readonly key: string;
  readonly size: number;
  readonly contentType?: string | undefined;
  readonly lastModified?: Date | undefined;
  readonly etag?: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

function whole(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * `GET /objects/{key}`'s answer: size, type, digest and dates, and for renditions the
 * served width, height and profile, and what was uploaded. Objects stored before renditions
 * existed carry none of those and answer without them.
 */
export function describeStoredObject(object: StoredObjectHead): Record<string, unknown> {
  const m = object.metadata;
  const filename = m['original-filename'];
  const width = whole(m.width);
  const height = whole(m.height);
  const originalType = m['original-type'];
  return {
    key: object.key,
    size: object.size,
    contentType: object.contentType,
    sha256: m.sha256 ?? describeListedKey(object.key).sha256,
    lastModified: object.lastModified?.toISOString(),
    etag: object.etag,
    ...(width !== undefined && height !== undefined && { width, height }),
    ...(m.profile !== undefined && { profile: m.profile }),
    ...(filename !== undefined && { filename: safeDecodeURIComponent(filename) }),
    ...(originalType !== undefined && {
      original: {
        contentType: originalType,
        size: whole(m['original-size']),
        width: whole(m['original-width']),
        height: whole(m['original-height']),
      },
    }),
  };
}
