import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/** What a phone writes into EXIF: the camera, and where the photo was taken. */
const CAMERA = { Make: 'Apple', Model: 'iPhone 15 Pro', Software: '17.1' };
const GPS = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '48/1 51/1 2400/100',
  GPSLongitudeRef: 'E',
  GPSLongitude: '2/1 17/1 4000/100',
};

const MAX_GRAIN = 40;

/** Raw 8-bit RGB pixels, row after row. */
export interface RawPixels {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/**
 * Photo-like pixels: smooth colour gradients (what sharp's shrink-on-load and a resampler see
 * in a real photo) under per-pixel noise of ±`grain`/2 levels (what makes a real photo's JPEG
 * 2–4 bits a pixel instead of the fraction of a bit a flat test card costs).
 */
export function photoPixels(width: number, height: number, grain: number): RawPixels {
  if (grain > MAX_GRAIN) throw new RangeError(`grain must be ≤ ${MAX_GRAIN}, got ${grain}`);
  const noise = randomBytes(width * height * 3);
  const data = Buffer.allocUnsafe(width * height * 3);
  const half = grain >> 1;
  for (let y = 0; y < height; y++) {
    const green = 20 + (y * 200) / height;
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      // A Uint8Array store wraps, it does not clamp: with grain ≤ 40 every value stays in 0..255.
      data[i] = 20 + (x * 200) / width + ((noise[i]! * grain) >> 8) - half;
      data[i + 1] = green + ((noise[i + 1]! * grain) >> 8) - half;
      data[i + 2] = 128 + (((x + y) & 255) >> 2) + ((noise[i + 2]! * grain) >> 8) - half;
    }
  }
  return { data, width, height };
}

/**
 * A phone JPEG of `pixels` at quality 90 with the camera and a GPS position in its EXIF. With
 * an `orientation` other than 1 (6: stored sideways, shown upright after a quarter turn) it
 * also carries that EXIF Orientation and, because sharp writes one with it, sharp's sRGB ICC
 * profile; at 1 it carries no ICC profile, so an upright image that
 * fits a profile needs only its metadata stripped.
 */
export function phoneJpeg(pixels: RawPixels, orientation = 1): Promise<Buffer> {
  let image = sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } }).jpeg({
    quality: 90,
  });
  if (orientation !== 1) image = image.withMetadata({ orientation });
  return image.withExifMerge({ IFD0: CAMERA, IFD3: GPS }).toBuffer();
}

/**
 * Photo-like pixels whose phone JPEG (Orientation 1) is within 3% of `targetBytes`, and that
 * JPEG. The grain is corrected on the measured size; JPEG size grows about linearly with it.
 */
export async function photoOfSize(
  width: number,
  height: number,
  targetBytes: number,
): Promise<{ pixels: RawPixels; jpeg: Buffer }> {
  let grain = 28;
  for (let attempt = 0; attempt < 6; attempt++) {
    const pixels = photoPixels(width, height, grain);
    const jpeg = await phoneJpeg(pixels, 1);
    if (Math.abs(jpeg.length - targetBytes) <= targetBytes * 0.03) return { pixels, jpeg };
    grain = Math.max(2, Math.min(MAX_GRAIN, Math.round(grain * (targetBytes / jpeg.length))));
  }
  throw new Error(`could not make a ${width}×${height} JPEG of about ${targetBytes} bytes`);
}

/**
 * A smooth `width`×`height` JPEG (a scan, a panorama, a huge render) made without holding its
 * pixels in this process: a 64×64 gradient scaled up by libvips, which streams it.
 */
export async function smoothLargeJpeg(width: number, height: number): Promise<Buffer> {
  const side = 64;
  const seed = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      seed[i] = x * 4;
      seed[i + 1] = y * 4;
      seed[i + 2] = 128;
    }
  }
  return sharp(seed, { raw: { width: side, height: side, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .jpeg({ quality: 80 })
    .toBuffer();
}
