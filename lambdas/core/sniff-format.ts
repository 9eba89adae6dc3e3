import type { MediaFormat } from './media-types';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// ISO-BMFF brands (the `ftyp` box) that decide between AVIF, HEIC/HEIF and MP4.
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'dash',
  'mmp4',
  'M4V ',
]);

/**
 * Decides the format from magic numbers alone, never from a name or a header.
 * Returns undefined for anything not on the allow-list.
 */
export function sniffFormat(bytes: Uint8Array): MediaFormat | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a'))
    return 'gif';
  // Any RIFF container is not enough (WAV and AVI are RIFF too): the form type must be WEBP.
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return 'webp';
  if (b.length >= 12 && b.toString('latin1', 4, 8) === 'ftyp') return isoBmffFormat(b);
  return undefined;
}

function isoBmffFormat(b: Buffer): MediaFormat | undefined {
  const boxSize = b.readUInt32BE(0);
  const end = Math.min(boxSize, b.length, 256);
  const brands = [b.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(b.toString('latin1', offset, offset + 4));
  // The major brand decides first; compatible brands only when it is generic.
  for (const set of [brands.slice(0, 1), brands]) {
    if (set.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
    if (set.some((brand) => HEIC_BRANDS.has(brand))) return 'heic';
    if (set.some((brand) => HEIF_BRANDS.has(brand))) return 'heif';
    if (set.some((brand) => MP4_BRANDS.has(brand))) return 'mp4';
  }
  return undefined;
}

/** Names what refused bytes look like, for a message people can act on. */
export function describeRefusedBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512))
    .toString('latin1')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.includes('<svg')) return 'an SVG image (active content is never served)';
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.includes('<script'))
    return 'an HTML page';
  if (head.startsWith('<?xml')) return 'an XML document';
  if (head.startsWith('%pdf')) return 'a PDF document';
  if (head.startsWith('pk\u0003\u0004')) return 'a ZIP archive';
  if (head.startsWith('\u007felf') || head.startsWith('mz')) return 'an executable';
  if (head.startsWith('bm')) return 'a BMP image (not on the allow-list)';
  if (head.startsWith('ii*\u0000') || head.startsWith('mm\u0000*'))
    return 'a TIFF image (not on the allow-list)';
  if (/^[\t\n\r\u0020-\u007e]*$/.test(head)) return 'text';
  return 'not a recognised image';
}
