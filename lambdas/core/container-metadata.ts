import { stripClipMetadata } from './clip-metadata';
import { isCleanJpeg, parseJpegLayout, stripJpegMetadata } from './jpeg-segments';
import type { MediaFormat } from './media-types';

/**
 * What must happen to an upload's container before it may be served, judged from its bytes
 * alone (no pixels decoded):
 * - `clean`: nothing to remove; may be served as it came.
 * - `strippable`: only metadata or appended bytes to remove; `stripped` holds the result, and
 *   the image data is untouched (lossless).
 * - `render`: colour profile, animation or a format that must be decoded and encoded again.
 * An MP4 clip is never rendered: it is clean or strippable, or refused (422).
 */
export type ContainerVerdict =
  | { readonly kind: 'clean' }
  | { readonly kind: 'strippable'; readonly stripped: Buffer }
  | { readonly kind: 'render' };

const CLEAN: ContainerVerdict = { kind: 'clean' };
const RENDER: ContainerVerdict = { kind: 'render' };

/** Judges the container of sniffed bytes; see `ContainerVerdict`. */
export function judgeContainer(format: MediaFormat, bytes: Buffer): ContainerVerdict {
  if (format === 'jpeg') {
    const layout = parseJpegLayout(bytes);
    return isCleanJpeg(bytes, layout)
      ? CLEAN
      : { kind: 'strippable', stripped: stripJpegMetadata(bytes, layout) };
  }
  if (format === 'png') return judgePng(bytes);
  if (format === 'webp') return judgeWebp(bytes);
  if (format === 'mp4') return judgeClip(bytes);
  return RENDER; // GIF (comments, app extensions), AVIF/HEIF (Exif items): decode and encode
}

function judgeClip(bytes: Buffer): ContainerVerdict {
  const stripped = stripClipMetadata(bytes);
  return stripped.equals(bytes) ? CLEAN : { kind: 'strippable', stripped };
}

// Chunks that describe pixels (or harmlessly, their density); everything else ancillary is
// metadata (tEXt, zTXt, iTXt, eXIf, tIME, private chunks). iCCP and APNG's acTL need a render.
const PNG_IMAGE_CHUNKS = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'sRGB',
  'gAMA',
  'cHRM',
  'pHYs',
  'sBIT',
  'bKGD',
]);
const PNG_RENDER_CHUNKS = new Set(['iCCP', 'acTL', 'fcTL', 'fdAT']);

function judgePng(b: Buffer): ContainerVerdict {
  const kept: Buffer[] = [b.subarray(0, 8)];
  let dropped = false;
  for (let offset = 8; offset + 12 <= b.length; ) {
    const end = offset + 12 + b.readUInt32BE(offset);
    const type = b.toString('latin1', offset + 4, offset + 8);
    if (PNG_RENDER_CHUNKS.has(type)) return RENDER;
    if (PNG_IMAGE_CHUNKS.has(type)) kept.push(b.subarray(offset, end));
    else dropped = true;
    // Anything after IEND is not the image: it goes too.
    if (type === 'IEND')
      return dropped || end !== b.length ? { kind: 'strippable', stripped: Buffer.concat(kept) } : CLEAN;
    offset = end;
  }
  return RENDER; // no IEND: let the decoder judge (checkImageStructure refuses this earlier)
}

const WEBP_IMAGE_CHUNKS = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH']);
// VP8X flags: ICC profile, EXIF, XMP, animation.
const VP8X_METADATA_FLAGS = 0x20 | 0x08 | 0x04 | 0x02;

function judgeWebp(b: Buffer): ContainerVerdict {
  for (let offset = 12; offset + 8 <= b.length; ) {
    const type = b.toString('latin1', offset, offset + 4);
    if (!WEBP_IMAGE_CHUNKS.has(type)) return RENDER;
    if (type === 'VP8X' && (b[offset + 8]! & VP8X_METADATA_FLAGS) !== 0) return RENDER;
    const size = b.readUInt32LE(offset + 4);
    offset += 8 + size + (size & 1);
  }
  return CLEAN;
}
