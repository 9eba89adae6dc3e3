import { InvalidImageError } from './errors';
import { iterateBoxes } from './iso-boxes';
import { parseJpegLayout } from './jpeg-segments';
import type { MediaFormat } from './media-types';

/** Pixel dimensions read from an image's header, when the format has them up front. */
export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
}

const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/**
 * Checks the container structure of sniffed bytes — the parts a truncated upload or a
 * polyglot breaks — and reads the dimensions, without decoding any pixels. Cheap: it reads
 * headers and trailers only, so it stays off the hot path's cost.
 */
export function checkImageStructure(format: MediaFormat, bytes: Buffer): ImageDimensions | undefined {
  switch (format) {
    case 'png':
      return checkPng(bytes);
    case 'gif':
      return checkGif(bytes);
    case 'jpeg':
      return checkJpeg(bytes);
    case 'webp':
      return checkWebp(bytes);
    case 'avif':
    case 'heic':
    case 'heif':
    case 'mp4':
      return checkIsoBmff(bytes);
  }
}

function invalid(message: string): InvalidImageError {
  return new InvalidImageError('INVALID_IMAGE', message);
}

function checkPng(b: Buffer): ImageDimensions {
  if (b.length < 8 + 25 + 12 || b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR') {
    throw invalid('PNG has no IHDR header chunk');
  }
  // Anything after IEND (an appended HTML page, a ZIP) would make a polyglot; a missing IEND is a truncated file.
  if (!b.subarray(b.length - 12).equals(PNG_IEND)) {
    throw invalid('PNG does not end with its IEND chunk: it is truncated or has data appended');
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function checkGif(b: Buffer): ImageDimensions {
  if (b.length < 14) throw invalid('GIF is shorter than its header');
  if (b[b.length - 1] !== 0x3b) throw invalid('GIF does not end with its trailer byte: it is truncated');
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
}

function isJpegStartOfFrame(marker: number): boolean {
  // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function checkJpeg(b: Buffer): ImageDimensions {
  // The walk refuses a broken or truncated JPEG; data after its end (phones append motion
  // photos there) is allowed here and removed by the pipeline.
  const frame = parseJpegLayout(b).segments.find((segment) => isJpegStartOfFrame(segment.marker));
  if (!frame || frame.end - frame.start < 9) throw invalid('JPEG has no frame header before its scan');
  return { height: b.readUInt16BE(frame.start + 5), width: b.readUInt16BE(frame.start + 7) };
}

function checkWebp(b: Buffer): ImageDimensions {
  const riffEnd = b.readUInt32LE(4) + 8;
  // RIFF pads odd-sized payloads with one byte.
  if (riffEnd !== b.length && riffEnd + 1 !== b.length) {
    throw invalid(`WebP declares ${riffEnd} bytes but has ${b.length}: it is truncated or has data appended`);
  }
  if (b.length < 30) throw invalid('WebP is shorter than its header');
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw invalid('WebP VP8 frame has no start code');
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw invalid('WebP lossless frame has no signature');
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  }
  throw invalid(`WebP has an unknown first chunk`);
}

function checkIsoBmff(b: Buffer): ImageDimensions | undefined {
  // Top-level boxes must tile the file exactly: a short last box is a truncated upload,
  // bytes past the last box are something else riding along.
  for (const _box of iterateBoxes(b, 0, b.length));
  // Still images (AVIF/HEIF) carry their size in an `ispe` property near the start.
  const ispe = b.subarray(0, Math.min(b.length, 65_536)).indexOf('ispe', 0, 'latin1');
  if (ispe >= 4 && ispe + 16 <= b.length) {
    return { width: b.readUInt32BE(ispe + 8), height: b.readUInt32BE(ispe + 12) };
  }
  return undefined;
}
