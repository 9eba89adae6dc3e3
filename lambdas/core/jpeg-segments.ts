import { InvalidImageError } from './errors';

/** One marker segment of a JPEG: `[start, end)` covers the marker, its length and payload. */
export interface JpegSegment {
  readonly marker: number;
  readonly start: number;
  readonly end: number;
}

/** A JPEG's structure: its segments in order, and where the image ends (after EOI). */
export interface JpegLayout {
  readonly segments: readonly JpegSegment[];
  /** Offset just past the end-of-image marker; anything after it is appended data. */
  readonly imageEnd: number;
}

const SOS = 0xda;
const EOI = 0xd9;
const APP14 = 0xee; // Adobe: says how to read the colour channels, not metadata

const invalid = (message: string) => new InvalidImageError('INVALID_IMAGE', message);

// Markers with no length field: TEM and the restart markers RST0..RST7.
const standalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/**
 * Walks a JPEG's segments, through the entropy-coded data of every scan (progressive JPEGs
 * have many), to its end-of-image marker. Reads bytes only; decodes nothing.
 */
export function parseJpegLayout(b: Buffer): JpegLayout {
  const segments: JpegSegment[] = [{ marker: 0xd8, start: 0, end: 2 }];
  let offset = 2;
  while (offset + 2 <= b.length) {
    if (b[offset] !== 0xff) throw invalid('JPEG segment structure is broken');
    const marker = b[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === EOI)
      return { segments: [...segments, { marker, start: offset, end: offset + 2 }], imageEnd: offset + 2 };
    if (standalone(marker)) {
      segments.push({ marker, start: offset, end: offset + 2 });
      offset += 2;
      continue;
    }
    if (offset + 4 > b.length) break;
    const end = offset + 2 + b.readUInt16BE(offset + 2);
    if (end > b.length || end < offset + 4) throw invalid('JPEG segment runs past the end: it is truncated');
    if (marker !== SOS) {
      segments.push({ marker, start: offset, end });
      offset = end;
      continue;
    }
    // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
    let scanEnd = b.indexOf(0xff, end);
    while (scanEnd >= 0 && scanEnd + 1 < b.length && (b[scanEnd + 1] === 0 || standalone(b[scanEnd + 1]!))) {
      scanEnd = b.indexOf(0xff, scanEnd + 2);
    }
    if (scanEnd < 0 || scanEnd + 1 >= b.length) break;
    segments.push({ marker, start: offset, end: scanEnd });
    offset = scanEnd;
  }
  throw invalid('JPEG has no end-of-image marker: it is truncated');
}

const ADOBE = Buffer.from('Adobe', 'latin1');
// Adobe's APP14 payload: "Adobe", version (2), flags0 (2), flags1 (2), colour transform (1).
const ADOBE_APP14_LENGTH = 2 + 5 + 2 + 2 + 2 + 1;

/**
 * Whether a segment carries metadata rather than image data: APP0–APP15 and comments, except
 * Adobe's APP14, which says how to read the colour channels — and only that exact 12-byte
 * record: any other APP14, or one with more bytes, could carry anything.
 */
export function isJpegMetadataSegment(b: Buffer, segment: JpegSegment): boolean {
  const { marker } = segment;
  if (marker === APP14) return !isAdobeApp14(b, segment);
  return (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;
}

function isAdobeApp14(b: Buffer, segment: JpegSegment): boolean {
  const length = segment.end - segment.start - 2;
  return length === ADOBE_APP14_LENGTH && b.subarray(segment.start + 4, segment.start + 9).equals(ADOBE);
}

/** Whether the JPEG carries no metadata segment and nothing after its end. */
export function isCleanJpeg(b: Buffer, layout: JpegLayout = parseJpegLayout(b)): boolean {
  return layout.imageEnd === b.length && !layout.segments.some((s) => isJpegMetadataSegment(b, s));
}

/**
 * The same JPEG without its metadata segments (EXIF, GPS, XMP, IPTC, ICC, maker notes,
 * thumbnails, comments) and without anything appended after its end. The entropy-coded data
 * is copied untouched: no re-encode, no loss. (A JPEG without JFIF or Adobe marker is read
 * as YCbCr, which is what a three-channel baseline JPEG holds.)
 */
export function stripJpegMetadata(b: Buffer, layout: JpegLayout = parseJpegLayout(b)): Buffer {
  const kept = layout.segments
    .filter((s) => !isJpegMetadataSegment(b, s))
    .map((s) => b.subarray(s.start, s.end));
  return Buffer.concat(kept);
}
