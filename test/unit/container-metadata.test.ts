import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { judgeContainer, type ContainerVerdict } from '../../lambdas/core/container-metadata';
import { InvalidImageError } from '../../lambdas/core/errors';
import { stripJpegMetadata } from '../../lambdas/core/jpeg-segments';
import type { MediaFormat } from '../../lambdas/core/media-types';
import {
  pngChunk,
  pngChunkTypes,
  segmentAfterSoi,
  withChunksAfterIhdr,
  withChunksBeforeIend,
} from '../support/crafted-images';
import { makeHeif, makeImage } from '../support/image-fixtures';
import { animatedGif, phoneHeic, sixteenBitPng } from '../support/model-ready-fixtures';
import { CAMERA, GPS, XMP } from '../support/metadata-samples';

// Chunks no PNG decoder needs to draw the pixels.
const METADATA_CHUNKS = ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME', 'prVt'];

/** A 24×16 gradient, `channels` 3 (RGB) or 4 (RGBA, alpha varying): every pixel differs. */
function gradient(channels: 3 | 4 = 3): Sharp {
  const width = 24;
  const height = 16;
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      raw[i] = x * 10;
      raw[i + 1] = y * 15;
      raw[i + 2] = 200 - x * 3;
      if (channels === 4) raw[i + 3] = 255 - y * 12;
    }
  }
  return sharp(raw, { raw: { width, height, channels } });
}

/** The TIFF body of an EXIF block (camera and GPS) as sharp writes it: what a PNG eXIf chunk holds. */
async function exifTiff(): Promise<Buffer> {
  const jpeg = await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer();
  return segmentAfterSoi(jpeg).subarray(4 + 'Exif\0\0'.length);
}

function tIME(): Buffer {
  const time = Buffer.alloc(7);
  time.writeUInt16BE(2026, 0);
  time.set([11, 21, 9, 41, 7], 2);
  return time;
}

const textChunks = async () => ({
  tEXt: pngChunk('tEXt', 'Comment\0shot at 12 Rue de Rivoli'),
  zTXt: pngChunk('zTXt', Buffer.concat([Buffer.from('Author\0\0', 'latin1'), deflateSync('Jane Doe')])),
  iTXt: pngChunk(
    'iTXt',
    Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP)]),
  ),
  eXIf: pngChunk('eXIf', await exifTiff()),
  tIME: pngChunk('tIME', tIME()),
  prVt: pngChunk('prVt', 'a private ancillary chunk'),
});

function stripped(verdict: ContainerVerdict): Buffer {
  if (verdict.kind !== 'strippable') throw new Error(`expected strippable, got ${verdict.kind}`);
  return verdict.stripped;
}

describe('judgeContainer: PNG', () => {
  it.each([
    ['an RGB PNG', () => gradient().png().toBuffer()],
    ['an RGBA PNG', () => gradient(4).png().toBuffer()],
    ['a palette PNG with transparency (PLTE, tRNS)', () => gradient(4).png({ palette: true }).toBuffer()],
    ['a 16-bit PNG', sixteenBitPng],
    ['an interlaced PNG', () => gradient().png({ progressive: true }).toBuffer()],
    [
      'a PNG with sRGB, gAMA and cHRM colour chunks',
      async () =>
        withChunksAfterIhdr(
          await gradient().png().toBuffer(),
          pngChunk('sRGB', Buffer.from([0])),
          pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
          pngChunk('cHRM', Buffer.alloc(32, 1)),
        ),
    ],
  ])('reports %s made by sharp clean', async (_name, make) => {
    // Prepare
    const png = await make();

    // Act
    const verdict = judgeContainer('png', png);

    // Assess
    expect(verdict).toEqual({ kind: 'clean' });
  });

  it.each(METADATA_CHUNKS)('strips a %s chunk before IDAT back to the PNG it was added to', async (type) => {
    // Prepare
    const clean = await gradient().png().toBuffer();
    const chunk = (await textChunks())[type as keyof Awaited<ReturnType<typeof textChunks>>];
    const png = withChunksAfterIhdr(clean, chunk);

    // Act
    const verdict = judgeContainer('png', png);

    // Assess
    const out = stripped(verdict);
    expect(out.equals(clean)).toBe(true);
    expect(pngChunkTypes(out)).not.toContain(type);
  });

  it('strips text, EXIF and time chunks on both sides of IDAT, and keeps the pixels', async () => {
    // Prepare
    const clean = await gradient(4).png({ palette: true }).toBuffer();
    const { tEXt, zTXt, iTXt, eXIf, tIME, prVt } = await textChunks();
    const png = withChunksBeforeIend(withChunksAfterIhdr(clean, eXIf, tEXt, iTXt), zTXt, tIME, prVt);
    expect(pngChunkTypes(png)).toEqual(expect.arrayContaining(METADATA_CHUNKS));

    // Act
    const verdict = judgeContainer('png', png);

    // Assess
    const out = stripped(verdict);
    expect(pngChunkTypes(out)).toEqual(pngChunkTypes(clean));
    expect(pngChunkTypes(out)).toEqual(expect.arrayContaining(['PLTE', 'tRNS']));
    expect((await sharp(out).raw().toBuffer()).equals(await sharp(png).raw().toBuffer())).toBe(true);
  });

  it('strips so that sharp reads neither the EXIF nor the text of the PNG', async () => {
    // Prepare
    const { tEXt, iTXt, eXIf } = await textChunks();
    const png = withChunksAfterIhdr(await gradient().png().toBuffer(), eXIf, tEXt, iTXt);
    const before = await sharp(png).metadata();
    expect(before.exif).toBeDefined();
    expect(before.comments).toEqual(
      expect.arrayContaining([{ keyword: 'Comment', text: 'shot at 12 Rue de Rivoli' }]),
    );

    // Act
    const verdict = judgeContainer('png', png);

    // Assess
    const after = await sharp(stripped(verdict)).metadata();
    expect({ exif: after.exif, xmp: after.xmp, comments: after.comments }).toEqual({
      exif: undefined,
      xmp: undefined,
      comments: undefined,
    });
    expect({ width: after.width, height: after.height }).toEqual({ width: 24, height: 16 });
  });

  it('strips the eXIf chunk sharp writes with withExif, keeping the pixels', async () => {
    // Prepare
    const png = await gradient().png().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer();
    expect(pngChunkTypes(png)).toContain('eXIf');

    // Act
    const verdict = judgeContainer('png', png);

    // Assess
    const out = stripped(verdict);
    expect(pngChunkTypes(out)).not.toContain('eXIf');
    expect(out.includes('iPhone 15 Pro', 0, 'latin1')).toBe(false);
    expect((await sharp(out).raw().toBuffer()).equals(await sharp(png).raw().toBuffer())).toBe(true);
  });

  it.each([
    ['an ICC profile (iCCP)', async () => gradient().png().withIccProfile('p3').toBuffer(), 'iCCP'],
    [
      'an ICC profile and EXIF (withMetadata)',
      async () => gradient().png().withMetadata().toBuffer(),
      'iCCP',
    ],
    [
      'animation control (acTL, APNG)',
      async () =>
        withChunksAfterIhdr(
          await gradient().png().toBuffer(),
          pngChunk('acTL', Buffer.from([0, 0, 0, 2, 0, 0, 0, 0])),
        ),
      'acTL',
    ],
    [
      'an APNG frame control (fcTL) after a text chunk',
      async () =>
        withChunksAfterIhdr(
          await gradient().png().toBuffer(),
          pngChunk('tEXt', 'Comment\0x'),
          pngChunk('fcTL', Buffer.alloc(26)),
        ),
      'fcTL',
    ],
    [
      'an APNG frame (fdAT) after IDAT',
      async () => withChunksBeforeIend(await gradient().png().toBuffer(), pngChunk('fdAT', Buffer.alloc(8))),
      'fdAT',
    ],
  ])('leaves a PNG with %s to be rendered', async (_name, make, chunk) => {
    // Prepare
    const png = await make();
    expect(pngChunkTypes(png)).toContain(chunk);

    // Act
    const verdict = judgeContainer('png', png);

    // Assess
    expect(verdict).toEqual({ kind: 'render' });
  });

  it('leaves a PNG without IEND (truncated) to the decoder, never clean', async () => {
    // Prepare
    const png = await gradient().png().toBuffer();

    // Act
    const verdict = judgeContainer('png', png.subarray(0, png.length - 12));

    // Assess
    expect(verdict).toEqual({ kind: 'render' });
  });
});

describe('judgeContainer: WebP', () => {
  it.each([
    ['a lossy WebP (VP8)', () => gradient().webp().toBuffer()],
    ['a lossless WebP (VP8L)', () => gradient().webp({ lossless: true }).toBuffer()],
    ['a WebP with alpha (VP8X, ALPH)', () => gradient(4).webp().toBuffer()],
  ])('reports %s made by sharp clean', async (_name, make) => {
    // Prepare
    const webp = await make();

    // Act
    const verdict = judgeContainer('webp', webp);

    // Assess
    expect(verdict).toEqual({ kind: 'clean' });
  });

  it.each([
    ['EXIF (withExif)', () => gradient().webp().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(), 'EXIF'],
    ['XMP', () => gradient().webp().withXmp(XMP).toBuffer(), 'XMP '],
    ['an ICC profile', () => gradient().webp().withIccProfile('p3').toBuffer(), 'ICCP'],
    ['EXIF, ICC and alpha (withMetadata)', () => gradient(4).webp().withMetadata().toBuffer(), 'EXIF'],
    [
      'frames (animated)',
      async () =>
        sharp(await animatedGif(), { animated: true })
          .webp({ loop: 0 })
          .toBuffer(),
      'ANMF',
    ],
  ])('leaves a WebP with %s to be rendered', async (_name, make, chunk) => {
    // Prepare
    const webp = await make();
    expect(webp.includes(chunk, 12, 'latin1')).toBe(true);

    // Act
    const verdict = judgeContainer('webp', webp);

    // Assess
    expect(verdict).toEqual({ kind: 'render' });
  });

  it.each([
    ['an ICC profile', 0x20],
    ['EXIF', 0x08],
    ['XMP', 0x04],
    ['animation', 0x02],
  ])(
    'leaves a WebP whose VP8X header declares %s to be rendered, even with no such chunk',
    async (_name, flag) => {
      // Prepare: sharp's WebP with alpha (VP8X, ALPH, VP8), with one more flag set in its VP8X
      const webp = Buffer.from(await gradient(4).webp().toBuffer());
      expect(webp.toString('latin1', 12, 16)).toBe('VP8X');
      expect(judgeContainer('webp', webp)).toEqual({ kind: 'clean' });
      webp[20] = webp[20]! | flag;

      // Act
      const verdict = judgeContainer('webp', webp);

      // Assess
      expect(verdict).toEqual({ kind: 'render' });
    },
  );
});

/** The WebP with its VP8X flags (byte 20) replaced; a flag no longer says what the chunks hold. */
function withVp8xFlags(webp: Buffer, flags: number): Buffer {
  const out = Buffer.from(webp);
  out[20] = flags;
  return out;
}

/** The WebP with a chunk of `type` and an even-sized `payload` appended and its RIFF size fixed. */
function withRiffChunk(webp: Buffer, type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(type, 0, 'latin1');
  header.writeUInt32LE(payload.length, 4);
  const out = Buffer.concat([webp, header, payload]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

describe('judgeContainer: WebP chunks the header does not declare', () => {
  it.each([
    [
      'an EXIF chunk with GPS, its VP8X flag cleared',
      async () => withVp8xFlags(await gradient().webp().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(), 0),
    ],
    [
      'an XMP chunk, its VP8X flag cleared',
      async () => withVp8xFlags(await gradient().webp().withXmp(XMP).toBuffer(), 0),
    ],
    [
      'an unknown chunk after a lossy frame',
      async () => withRiffChunk(await gradient().webp().toBuffer(), 'ZZZZ', Buffer.from('<script>')),
    ],
  ])('leaves a WebP with %s to be rendered', async (_name, make) => {
    // Prepare
    const webp = await make();

    // Act
    const verdict = judgeContainer('webp', webp);

    // Assess
    expect(verdict).toEqual({ kind: 'render' });
  });
});

describe('judgeContainer: JPEG', () => {
  it('reports a JPEG with no metadata clean', async () => {
    // Prepare
    const jpeg = await gradient().jpeg().toBuffer();

    // Act
    const verdict = judgeContainer('jpeg', jpeg);

    // Assess
    expect(verdict).toEqual({ kind: 'clean' });
  });

  it('strips a JPEG with EXIF and GPS losslessly', async () => {
    // Prepare
    const jpeg = await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer();

    // Act
    const verdict = judgeContainer('jpeg', jpeg);

    // Assess
    expect(stripped(verdict).equals(stripJpegMetadata(jpeg))).toBe(true);
    expect(stripped(verdict).equals(await gradient().jpeg().toBuffer())).toBe(true);
  });

  it('refuses a truncated JPEG with InvalidImageError', async () => {
    // Prepare
    const jpeg = await gradient().jpeg().toBuffer();

    // Act
    const act = () => judgeContainer('jpeg', jpeg.subarray(0, jpeg.length - 30));

    // Assess
    expect(act).toThrow(InvalidImageError);
  });
});

describe('judgeContainer: formats that must be decoded', () => {
  it.each([
    ['a GIF', 'gif', () => makeImage('gif', 24, 16)],
    ['an animated GIF', 'gif', animatedGif],
    ['an AVIF', 'avif', () => makeImage('avif', 24, 16)],
    ['a phone HEIC with GPS', 'heic', async () => phoneHeic()],
    ['a HEIF', 'heif', async () => makeHeif('mif1')],
  ] as const)('leaves %s to be rendered', async (_name, format: MediaFormat, make) => {
    // Prepare
    const bytes = await make();

    // Act
    const verdict = judgeContainer(format, bytes);

    // Assess
    expect(verdict).toEqual({ kind: 'render' });
  });
});

describe('judgeContainer: a PNG with bytes after IEND', () => {
  it('strips what follows IEND even when no chunk needs dropping', async () => {
    // Prepare
    const png = await makeImage('png', 8, 6);
    const polyglot = Buffer.concat([png, Buffer.from('PK\u0003\u0004payload.exe')]);

    // Act
    const verdict = judgeContainer('png', polyglot);

    // Assess
    expect(verdict.kind).toBe('strippable');
    if (verdict.kind === 'strippable') expect(verdict.stripped.equals(png)).toBe(true);
  });
});
