/**
 * JPEGs for the tests of lambdas/core/jpeg-segments.ts, made by sharp or crafted here: the dirty
 * ones carry something a public rendition must not (EXIF, GPS, XMP, ICC, IPTC, comments, data
 * after EOI), the clean ones nothing.
 */
import sharp, { type Sharp } from 'sharp';
import { parseJpegLayout } from '../../lambdas/core/jpeg-segments';
import { jpegSegment, restartIntervalJpeg, segmentAfterSoi, spliceInto } from './crafted-images';
import { CAMERA, GPS, XMP } from './metadata-samples';

export const SOI = 0xd8;
export const EOI = 0xd9;
export const SOS = 0xda;
export const APP14 = 0xee;
export const SOS_BYTES = Buffer.from([0xff, SOS]);

export const HTML = '<html><body><script>alert(document.cookie)</script></body></html>';
export const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('payload.exe')]);
// An APP14 segment that is not Adobe's (no "Adobe" identifier): it says nothing about the pixels.
export const FOREIGN_APP14 = 'GPS 48.8566N 2.3522E <script>alert(document.cookie)</script>';
// The restart JPEG's blocks: ten, so its scan holds RST0..RST7 and wraps to RST0 again.
export const GREYS = [160, 96, 170, 80, 191, 65, 180, 90, 175, 70];

/** A 48×32 RGB gradient: every pixel differs, so a decode that goes wrong shows. */
export function gradient(): Sharp {
  const width = 48;
  const height = 32;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = x * 5;
      raw[i + 1] = y * 7;
      raw[i + 2] = 255 - x * 2 - y * 2;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** A noisy JPEG at high quality: its entropy-coded data is full of stuffed FF 00 pairs. */
export function noisyJpeg(): Promise<Buffer> {
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.imul(i, 2_654_435_761) >>> 13) & 0xff;
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

export const baseline = () => gradient().jpeg().toBuffer();
export const progressive = () => gradient().jpeg({ progressive: true }).toBuffer();
export const cmyk = () => gradient().toColourspace('cmyk').jpeg();

/** Decoded samples, colour profiles ignored: what the entropy-coded data holds. */
export function pixelsOf(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg, { ignoreIcc: true }).raw().toBuffer();
}

/** The marker of each segment, in file order. */
export function markersOf(jpeg: Buffer): number[] {
  return parseJpegLayout(jpeg).segments.map((s) => s.marker);
}

export interface DirtyJpeg {
  readonly jpeg: Buffer;
  /** Bytes that mark what must go (a segment's identifier, an appended payload). */
  readonly trace: string;
  /** The JPEG it was made from, when only segments or a tail were added to it. */
  readonly clean?: Buffer;
}

// Every kind of JPEG that carries something to remove, made by sharp or spliced into one it made.
export const DIRTY: ReadonlyArray<readonly [string, () => Promise<DirtyJpeg>]> = [
  [
    'baseline JPEG with EXIF and GPS',
    async () => ({
      jpeg: await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(),
      trace: 'iPhone 15 Pro',
      clean: await baseline(),
    }),
  ],
  [
    'progressive JPEG with EXIF and GPS',
    async () => ({
      jpeg: await gradient().jpeg({ progressive: true }).withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(),
      trace: 'iPhone 15 Pro',
      clean: await progressive(),
    }),
  ],
  [
    'baseline JPEG with XMP',
    async () => ({
      jpeg: await gradient().jpeg().withXmp(XMP).toBuffer(),
      trace: 'xmpmeta',
      clean: await baseline(),
    }),
  ],
  [
    'baseline JPEG with EXIF and ICC (withMetadata)',
    async () => ({ jpeg: await gradient().jpeg().withMetadata().toBuffer(), trace: 'ICC_PROFILE\0' }),
  ],
  [
    'baseline JPEG with a Display P3 ICC profile',
    async () => ({ jpeg: await gradient().jpeg().withIccProfile('p3').toBuffer(), trace: 'ICC_PROFILE\0' }),
  ],
  [
    'baseline JPEG with a comment (COM)',
    async () => {
      const clean = await baseline();
      return {
        jpeg: spliceInto(clean, 2, jpegSegment(0xfe, 'shot at 12 Rue de Rivoli')),
        trace: 'Rue de Rivoli',
        clean,
      };
    },
  ],
  [
    'baseline JPEG with a JFIF APP0',
    async () => {
      const clean = await baseline();
      return {
        jpeg: spliceInto(
          clean,
          2,
          jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x48\0\x48\0\0', 'latin1')),
        ),
        trace: 'JFIF\0',
        clean,
      };
    },
  ],
  [
    'baseline JPEG with Photoshop IPTC (APP13)',
    async () => {
      const clean = await baseline();
      return {
        jpeg: spliceInto(
          clean,
          2,
          jpegSegment(0xed, 'Photoshop 3.0\x008BIM\x04\x04\0\0\0\0\0\x0c\x1c\x02\x78\0\x07Caption'),
        ),
        trace: 'Photoshop 3.0',
        clean,
      };
    },
  ],
  [
    'progressive JPEG with a comment between its scans',
    async () => {
      const clean = await progressive();
      return {
        jpeg: spliceInto(clean, clean.lastIndexOf(SOS_BYTES), jpegSegment(0xfe, 'between the scans')),
        trace: 'between the scans',
        clean,
      };
    },
  ],
  [
    'baseline JPEG with an HTML page after EOI',
    async () => {
      const clean = await baseline();
      return { jpeg: Buffer.concat([clean, Buffer.from(HTML)]), trace: '<script>', clean };
    },
  ],
  [
    'progressive JPEG with a ZIP after EOI',
    async () => {
      const clean = await progressive();
      return { jpeg: Buffer.concat([clean, ZIP]), trace: 'payload.exe', clean };
    },
  ],
  [
    'restart-marker JPEG with EXIF and GPS',
    async () => {
      const clean = restartIntervalJpeg(GREYS);
      const exif = segmentAfterSoi(await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer());
      return { jpeg: spliceInto(clean, 2, exif), trace: 'iPhone 15 Pro', clean };
    },
  ],
  [
    'CMYK JPEG (Adobe APP14) with EXIF',
    async () => ({
      jpeg: await cmyk().withExif({ IFD0: CAMERA }).toBuffer(),
      trace: 'iPhone 15 Pro',
      clean: await cmyk().toBuffer(),
    }),
  ],
];

export const WITH_CLEAN_ORIGINAL = DIRTY.filter(([name]) => !name.includes('ICC'));

// JPEGs with nothing to remove.
export const CLEAN: ReadonlyArray<readonly [string, () => Promise<Buffer>]> = [
  ['baseline JPEG', baseline],
  ['progressive JPEG', progressive],
  ['greyscale JPEG', () => gradient().toColourspace('b-w').jpeg().toBuffer()],
  ['CMYK JPEG whose only APPn is the Adobe APP14', () => cmyk().toBuffer()],
  ['restart-marker JPEG', async () => restartIntervalJpeg(GREYS)],
];
