import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MediaFormat } from '../../lambdas/core/media-types';
import { defaultOutputFormat, renderResized, type ResizeSpec } from '../../lambdas/imaging/render-resized';
import { makeBombs } from '../support/hostile-images';
import {
  animatedGif,
  cmykJpeg,
  heicBomb,
  phoneHeic,
  screenshotPngWithAlpha,
  sidewaysPhoneJpeg,
  sixteenBitPng,
} from '../support/model-ready-fixtures';

const MAX_PIXELS = 100_000_000;
const MAX_EDGE_PX = 4096;

const resize = (fields: Omit<ResizeSpec, 'kind' | 'fit'> & { fit?: ResizeSpec['fit'] }): ResizeSpec => ({
  kind: 'resize',
  fit: 'inside',
  ...fields,
});

/** The RGB(A) of one pixel of an encoded image. */
async function pixelAt(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [...data.subarray(i, i + info.channels)];
}

const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 60 && b! < 60;
const isBlue = ([r, g, b]: number[]) => r! < 60 && g! < 60 && b! > 180;
const isWhite = ([r, g, b]: number[]) => r! > 245 && g! > 245 && b! > 245;

function solid(width: number, height: number, colour: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

// 4032×3024 stored sideways (left half red) with EXIF Orientation 6, GPS and camera make:
// shown upright it is 3024×4032, red on top.
let phone: Buffer;
beforeAll(async () => {
  phone = await sidewaysPhoneJpeg();
});

describe('renderResized: a 12 MP phone JPEG stored sideways', () => {
  it('covers 256×256 exactly, upright by its pixels, with no EXIF, GPS or ICC left', async () => {
    // Act
    const image = await renderResized(
      phone,
      'jpeg',
      resize({ width: 256, height: 256, fit: 'cover' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    const seen = await sharp(image.bytes).metadata();
    expect(image).toMatchObject({ format: 'jpeg', contentType: 'image/jpeg', width: 256, height: 256 });
    expect(seen).toMatchObject({ format: 'jpeg', width: 256, height: 256 });
    expect(seen.exif).toBeUndefined();
    expect(seen.icc).toBeUndefined();
    expect(seen.xmp).toBeUndefined();
    expect(seen.orientation).toBeUndefined();
    expect(isRed(await pixelAt(image.bytes, 128, 8))).toBe(true);
    expect(isBlue(await pixelAt(image.bytes, 128, 247))).toBe(true);
  });

  it('makes a WebP 800 wide that keeps the upright aspect ratio', async () => {
    // Act
    const image = await renderResized(
      phone,
      'jpeg',
      resize({ width: 800, format: 'webp' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    const seen = await sharp(image.bytes).metadata();
    expect(image).toMatchObject({ format: 'webp', contentType: 'image/webp', width: 800, height: 1067 });
    expect(seen).toMatchObject({ format: 'webp', width: 800, height: 1067 });
    expect(seen.exif).toBeUndefined();
    expect(isRed(await pixelAt(image.bytes, 400, 10))).toBe(true);
  });

  it('makes an AVIF when asked for one', async () => {
    // Act
    const image = await renderResized(
      phone,
      'jpeg',
      resize({ width: 256, format: 'avif' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    const seen = await sharp(image.bytes).metadata();
    expect(image).toMatchObject({ format: 'avif', contentType: 'image/avif', width: 256, height: 341 });
    expect(seen).toMatchObject({ format: 'heif', compression: 'av1', width: 256, height: 341 });
    expect(seen.exif).toBeUndefined();
  });
});

describe('renderResized: fits', () => {
  it('letterboxes a JPEG with white into exactly the box (contain)', async () => {
    // Prepare
    const wide = await solid(400, 200, '#ff0000');

    // Act
    const image = await renderResized(
      wide,
      'png',
      resize({ width: 256, height: 256, fit: 'contain', format: 'jpeg' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    expect(image).toMatchObject({ width: 256, height: 256 });
    expect(isWhite(await pixelAt(image.bytes, 128, 5))).toBe(true);
    expect(isRed(await pixelAt(image.bytes, 128, 128))).toBe(true);
  });

  it('letterboxes a PNG with transparency and centres a smaller image without enlarging it (contain)', async () => {
    // Prepare
    const small = await solid(100, 50, '#ff0000');

    // Act
    const image = await renderResized(
      small,
      'png',
      resize({ width: 256, height: 256, fit: 'contain' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    expect(image).toMatchObject({ format: 'png', width: 256, height: 256 });
    expect((await pixelAt(image.bytes, 5, 5))[3]).toBe(0);
    expect(isRed(await pixelAt(image.bytes, 128, 128))).toBe(true);
    expect((await pixelAt(image.bytes, 60, 128))[3]).toBe(0); // 100 px wide, centred: 78…177
  });

  it('never enlarges a small image (inside)', async () => {
    // Prepare
    const small = await solid(100, 80, '#3366cc');

    // Act
    const image = await renderResized(small, 'png', resize({ width: 800 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    expect(image).toMatchObject({ width: 100, height: 80 });
  });

  it('crops a small image to the box’s aspect ratio at its own scale instead of enlarging it (cover)', async () => {
    // Prepare
    const small = await solid(200, 100, '#3366cc');

    // Act
    const image = await renderResized(
      small,
      'png',
      resize({ width: 256, height: 256, fit: 'cover' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    expect(image).toMatchObject({ width: 100, height: 100 });
  });

  it('converts without resizing when only a format is named', async () => {
    // Prepare
    const png = await solid(120, 90, '#3366cc');

    // Act
    const image = await renderResized(png, 'png', resize({ format: 'webp' }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    expect(image).toMatchObject({ format: 'webp', width: 120, height: 90 });
    expect((await sharp(image.bytes).metadata()).format).toBe('webp');
  });

  it.each([
    ['only a format', resize({ format: 'webp' }), { width: 1000, height: 60 }],
    ['only a height', resize({ height: 50 }), { width: 833, height: 50 }],
  ])(
    'keeps every side within the deployment’s longest edge when the URL names %s',
    async (_name, spec, size) => {
      // Prepare: a 5000×300 strip, with renditions bounded at 1000 px.
      const strip = await solid(5000, 300, '#3366cc');

      // Act
      const image = await renderResized(strip, 'png', spec, MAX_PIXELS, 1000);

      // Assess
      expect({ width: image.width, height: image.height }).toEqual(size);
    },
  );
});

describe('renderResized: formats and colour', () => {
  it('flattens a PNG’s alpha onto white for a JPEG', async () => {
    // Prepare: a transparent band across the top 100 rows
    const png = await screenshotPngWithAlpha();

    // Act
    const image = await renderResized(
      png,
      'png',
      resize({ width: 640, format: 'jpeg' }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    const seen = await sharp(image.bytes).metadata();
    expect(seen).toMatchObject({ format: 'jpeg', channels: 3, width: 640, height: 360 });
    expect(isWhite(await pixelAt(image.bytes, 320, 5))).toBe(true);
  });

  it('keeps a PNG lossless, whatever the quality says', async () => {
    // Prepare
    const png = await screenshotPngWithAlpha();
    const pixels = await sharp(png).raw().toBuffer();

    // Act
    const plain = await renderResized(png, 'png', resize({ format: 'png' }), MAX_PIXELS, MAX_EDGE_PX);
    const withQuality = await renderResized(
      png,
      'png',
      resize({ format: 'png', quality: 10 }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    expect(withQuality.bytes.equals(plain.bytes)).toBe(true);
    expect((await sharp(plain.bytes).raw().toBuffer()).equals(pixels)).toBe(true);
  });

  it('takes the first frame of an animated GIF, as a PNG by default', async () => {
    // Prepare: red, green, blue frames
    const gif = await animatedGif();

    // Act
    const image = await renderResized(gif, 'gif', resize({ width: 32 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    const seen = await sharp(image.bytes, { pages: -1 }).metadata();
    expect(image).toMatchObject({ format: 'png', width: 32, height: 24 });
    expect(seen.pages ?? 1).toBe(1);
    expect(isRed(await pixelAt(image.bytes, 16, 12))).toBe(true);
  });

  it('decodes a phone HEIC (HEVC) and serves it as a JPEG without its EXIF', async () => {
    // Act
    const image = await renderResized(phoneHeic(), 'heic', resize({ width: 320 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    const seen = await sharp(image.bytes).metadata();
    expect(image).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(seen).toMatchObject({ format: 'jpeg', channels: 3 });
    expect(seen.exif).toBeUndefined();
  });

  it('turns a CMYK JPEG into sRGB and a 16-bit PNG into 8 bits', async () => {
    // Act
    const fromCmyk = await renderResized(
      await cmykJpeg(),
      'jpeg',
      resize({ width: 320 }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );
    const from16 = await renderResized(
      await sixteenBitPng(),
      'png',
      resize({ width: 160 }),
      MAX_PIXELS,
      MAX_EDGE_PX,
    );

    // Assess
    expect(await sharp(fromCmyk.bytes).metadata()).toMatchObject({ space: 'srgb', channels: 3 });
    expect(await sharp(from16.bytes).metadata()).toMatchObject({ space: 'srgb', depth: 'uchar' });
  });

  it.each<[MediaFormat, boolean, string]>([
    ['jpeg', false, 'jpeg'],
    ['png', true, 'png'],
    ['webp', true, 'webp'],
    ['gif', false, 'png'],
    ['avif', false, 'jpeg'],
    ['avif', true, 'png'],
    ['heic', false, 'jpeg'],
    ['heif', true, 'png'],
  ])('serves a %s (alpha: %s) as %s when the URL names no format', (format, hasAlpha, expected) => {
    // Act
    const chosen = defaultOutputFormat(format, hasAlpha);

    // Assess
    expect(chosen).toBe(expected);
  });
});

describe('renderResized: what the decoder refuses', () => {
  // The GIF of makeBombs is not one here: libvips sizes a GIF by its 2×2 frame, not its logical screen.
  it.each([
    'PNG 100000×100000',
    'JPEG 65535×65535',
    'WebP VP8X 100000×100000',
    'AVIF 100000×100000',
    'HEIC 100000×100000',
  ])('refuses a %s pixel bomb with 422, decoding nothing', async (name) => {
    // Prepare
    const bomb = (await makeBombs())[name]!;
    const format = name.split(' ')[0]!.toLowerCase() as MediaFormat;

    // Act
    const act = renderResized(bomb, format, resize({ width: 256 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    await expect(act).rejects.toMatchObject({
      statusCode: 422,
      code: expect.stringMatching(/^(IMAGE_TOO_MANY_PIXELS|INVALID_IMAGE)$/),
    });
  });

  it('refuses a well-formed PNG whose header declares 100000×100000 with IMAGE_TOO_MANY_PIXELS', async () => {
    // Prepare
    const bomb = (await makeBombs())['PNG 100000×100000']!;

    // Act
    const act = renderResized(bomb, 'png', resize({ width: 256 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    await expect(act).rejects.toMatchObject({ statusCode: 422, code: 'IMAGE_TOO_MANY_PIXELS' });
  });

  it('refuses a HEIC whose real size record is over the limit behind a small decoy', async () => {
    // Act
    const act = renderResized(heicBomb(), 'heic', resize({ width: 256 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    await expect(act).rejects.toMatchObject({ statusCode: 422, code: 'IMAGE_TOO_MANY_PIXELS' });
  });

  it('refuses a truncated JPEG with 422 INVALID_IMAGE', async () => {
    // Prepare
    const jpeg = await sharp(await solid(640, 480, '#3366cc'))
      .jpeg()
      .toBuffer();

    // Act
    const act = renderResized(jpeg.subarray(0, 200), 'jpeg', resize({ width: 256 }), MAX_PIXELS, MAX_EDGE_PX);

    // Assess
    await expect(act).rejects.toMatchObject({ statusCode: 422, code: 'INVALID_IMAGE' });
  });
});
