import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** A real image of `format`, made by sharp (libvips): small, deterministic. */
export async function makeImage(
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'avif',
  width = 8,
  height = 6,
): Promise<Buffer> {
  const base = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  return base.toFormat(format).toBuffer();
}

/**
 * A PNG of noise (incompressible), `width`×`height` RGB, stored without compression. Random,
 * so every call gives distinct bytes, unless a `seed` makes it repeatable.
 */
export async function noisyPng(width: number, height: number, seed?: number): Promise<Buffer> {
  const raw = seed === undefined ? randomBytes(width * height * 3) : seededNoise(width * height * 3, seed);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** A repeatable noisy PNG of roughly `bytes` bytes, so tests can make many distinct ones. */
export async function makeNoisyPng(bytes: number, seed = 1): Promise<Buffer> {
  const side = Math.max(2, Math.ceil(Math.sqrt(bytes / 3)));
  return noisyPng(side, side, seed);
}

function seededNoise(length: number, seed: number): Buffer {
  const raw = Buffer.alloc(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < raw.length; i++) {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    raw[i] = state >>> 24;
  }
  return raw;
}

/** An ISO-BMFF box: a 32-bit size, the four-character type, then the payload. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

/** An `ftyp` box: major brand, minor version 0, compatible brands. */
export function ftyp(major: string, compatible: string[]): Buffer {
  return box(
    'ftyp',
    Buffer.from(major, 'latin1'),
    Buffer.alloc(4),
    ...compatible.map((b) => Buffer.from(b, 'latin1')),
  );
}

/** An ISO-BMFF still image (HEIC/HEIF) with an `ispe` size property; libvips here cannot encode HEVC. */
export function makeHeif(major: 'heic' | 'mif1', width = 8, height = 6): Buffer {
  const ispe = Buffer.alloc(12);
  ispe.writeUInt32BE(width, 4);
  ispe.writeUInt32BE(height, 8);
  return Buffer.concat([
    ftyp(major, ['mif1', major]),
    box('meta', Buffer.alloc(4), box('iprp', box('ipco', box('ispe', ispe)))),
    box('mdat', Buffer.from([1, 2, 3, 4])),
  ]);
}

/** A minimal MP4 container: ftyp, moov, mdat. */
export function makeMp4(): Buffer {
  return Buffer.concat([
    ftyp('isom', ['isom', 'mp41']),
    box('moov', box('mvhd', Buffer.alloc(100))),
    box('mdat', Buffer.alloc(16, 7)),
  ]);
}

/** Bytes that are not images, as clients (or attackers) send them. */
export const REFUSED_SAMPLES = {
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  html: Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
  text: Buffer.from('just some text, not an image\n'),
  pdf: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'),
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]),
  elf: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]),
  wav: Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([36, 0, 0, 0]),
    Buffer.from('WAVEfmt '),
    Buffer.alloc(24),
  ]),
  bmp: Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]),
  quicktime: ftyp('qt  ', ['qt  ']),
} as const;
