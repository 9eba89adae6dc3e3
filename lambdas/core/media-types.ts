/** The allow-list: the only formats stored and served. Everything else is refused. */
export const MEDIA_TYPES = {
  png: { ext: 'png', contentType: 'image/png' },
  jpeg: { ext: 'jpg', contentType: 'image/jpeg' },
  gif: { ext: 'gif', contentType: 'image/gif' },
  webp: { ext: 'webp', contentType: 'image/webp' },
  avif: { ext: 'avif', contentType: 'image/avif' },
  heic: { ext: 'heic', contentType: 'image/heic' },
  heif: { ext: 'heif', contentType: 'image/heif' },
  mp4: { ext: 'mp4', contentType: 'video/mp4' },
} as const;

export type MediaFormat = keyof typeof MEDIA_TYPES;

/** `imageType` values clients may send (the older proxy API's, plus the newer formats). */
const IMAGE_TYPE_ALIASES: Record<string, MediaFormat> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  webp: 'webp',
  avif: 'avif',
  heic: 'heic',
  heif: 'heif',
  mp4: 'mp4',
};

/** Maps a declared `imageType` (`png`, `jpg`, `image/png`…) to a format, or undefined. */
export function formatFromDeclaredType(declared: string): MediaFormat | undefined {
  const name = declared.trim().toLowerCase();
  const bare = name.startsWith('image/') || name.startsWith('video/') ? name.slice(6) : name;
  return IMAGE_TYPE_ALIASES[bare];
}

/** The bare, lower-case MIME type of a Content-Type header (`Image/PNG; q=1` → `image/png`); '' when absent. */
export function mimeTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** Maps a MIME type (`image/png`) to a format on the allow-list, or undefined. */
export function formatFromContentType(contentType: string): MediaFormat | undefined {
  const mime = mimeTypeOf(contentType);
  for (const [format, media] of Object.entries(MEDIA_TYPES)) {
    if (media.contentType === mime) return format as MediaFormat;
  }
  return mime === 'image/jpg' ? 'jpeg' : undefined;
}
