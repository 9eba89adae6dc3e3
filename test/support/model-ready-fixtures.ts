import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { CAMERA, GPS } from './metadata-samples';

/**
 * The acceptance images of the model-ready pipeline, made by sharp (libvips) at test time,
 * except the HEIC: libvips here cannot encode HEVC, so a small phone HEIC (made with
 * libheif's heif-enc and tagged with GPS by exiftool) is committed under test/fixtures.
 */

/** Raw RGB pixels: the left half red, the right half blue, so tests can tell which way is up. */
function halves(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (x < width / 2) raw[i] = 230;
      else raw[i + 2] = 230;
    }
  }
  return raw;
}

const PHONE_CAMERA = { ...CAMERA, Software: '17.1' };

/**
 * A phone JPEG stored sideways (`width`×`height` pixels, left half red) with EXIF Orientation 6,
 * GPS position and camera make: shown upright it is `height` wide, red on top.
 */
export function sidewaysPhoneJpeg(width = 4032, height = 3024): Promise<Buffer> {
  return sharp(halves(width, height), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({ IFD0: PHONE_CAMERA, IFD3: GPS })
    .toBuffer();
}

/** A phone HEIC (HEVC, 640×480) with GPS position and camera make and serial in its EXIF. */
export function phoneHeic(): Buffer {
  return readFileSync(new URL('../fixtures/phone.heic', import.meta.url));
}

/**
 * The phone HEIC turned into a bomb: its image's size record says 30000×30000, and a decoy
 * record saying 512×512 comes first in the file, where a header guess finds it.
 */
export function heicBomb(): Buffer {
  const heic = Buffer.from(phoneHeic());
  const ispe = heic.indexOf('ispe', 0, 'latin1');
  heic.writeUInt32BE(30_000, ispe + 8);
  heic.writeUInt32BE(30_000, ispe + 12);
  const ftypEnd = heic.readUInt32BE(0);
  const decoy = Buffer.alloc(8 + 20);
  decoy.writeUInt32BE(decoy.length, 0);
  decoy.write('free', 4, 'latin1');
  decoy.writeUInt32BE(20, 8);
  decoy.write('ispe', 12, 'latin1');
  decoy.writeUInt32BE(512, 20);
  decoy.writeUInt32BE(512, 24);
  // A `free` box right after ftyp: skipped by decoders, first for a scanner of the bytes.
  return patchAfterInsert(heic, ftypEnd, decoy);
}

/** Inserts `box` at `at` and moves every absolute file offset in `iloc` by its length. */
function patchAfterInsert(file: Buffer, at: number, box: Buffer): Buffer {
  const out = Buffer.concat([file.subarray(0, at), box, file.subarray(at)]);
  const iloc = out.indexOf('iloc', 0, 'latin1') - 4;
  const version = out[iloc + 8]!;
  const sizes = out.readUInt16BE(iloc + 12);
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 0xf;
  const baseOffsetSize = (sizes >> 4) & 0xf;
  const indexSize = version >= 1 ? sizes & 0xf : 0;
  let p = iloc + 14;
  const itemCount = version < 2 ? out.readUInt16BE(p) : out.readUInt32BE(p);
  p += version < 2 ? 2 : 4;
  const bump = (size: number) => {
    if (size === 4) out.writeUInt32BE(out.readUInt32BE(p) + box.length, p);
    else if (size === 8) out.writeBigUInt64BE(out.readBigUInt64BE(p) + BigInt(box.length), p);
  };
  for (let i = 0; i < itemCount; i++) {
    p += version < 2 ? 2 : 4; // item id
    const method = version >= 1 ? out.readUInt16BE(p) & 0xf : 0;
    if (version >= 1) p += 2;
    p += 2; // data reference index
    if (method === 0) bump(baseOffsetSize);
    p += baseOffsetSize;
    const extents = out.readUInt16BE(p);
    p += 2;
    for (let e = 0; e < extents; e++) {
      p += indexSize;
      if (method === 0 && baseOffsetSize === 0) bump(offsetSize);
      p += offsetSize + lengthSize;
    }
  }
  return out;
}

/** An animated GIF: three 40×30 frames, red, green, blue. */
export async function animatedGif(): Promise<Buffer> {
  const frame = (colour: string) =>
    sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
      .png()
      .toBuffer();
  const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map(frame));
  return sharp(frames, { join: { animated: true } })
    .gif({ loop: 0, delay: [100, 100, 100] })
    .toBuffer();
}

/** A 1920×1080 screenshot-like PNG with a transparent band (alpha that matters). */
export function screenshotPngWithAlpha(): Promise<Buffer> {
  const width = 1920;
  const height = 1080;
  const raw = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      raw[i] = (x >> 4) & 0xff;
      raw[i + 1] = 40;
      raw[i + 2] = (y >> 3) & 0xff;
      raw[i + 3] = y < 100 ? 0 : 255;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/** A CMYK JPEG (as print workflows make them). */
export function cmykJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366cc' } })
    .toColourspace('cmyk')
    .jpeg()
    .toBuffer();
}

/** A 16-bit-per-channel PNG. */
export function sixteenBitPng(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#3366cc' } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
}

/** A smooth JPEG of `width`×`height` (a panorama, a scan). */
export function smoothJpeg(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = 128;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** Polyglots: an image with something else appended after its end. */
export async function polyglots(): Promise<
  Record<'jpegHtml' | 'jpegZip' | 'gifScript', { bytes: Buffer; trace: string }>
> {
  const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  const gif = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } })
    .gif()
    .toBuffer();
  const html = '<html><body><script>alert(document.cookie)</script></body></html>';
  const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('payload.exe')]);
  return {
    jpegHtml: { bytes: Buffer.concat([jpeg, Buffer.from(html)]), trace: '<script>' },
    jpegZip: { bytes: Buffer.concat([jpeg, zip]), trace: 'payload.exe' },
    gifScript: { bytes: Buffer.concat([gif, Buffer.from('/*;alert(1)//;')]), trace: 'alert(1)' },
  };
}
