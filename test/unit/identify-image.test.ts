import { beforeAll, describe, expect, it } from 'vitest';
import { identifyImage } from '../../lambdas/core/image-upload';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { makeHeif, makeImage, makeMp4, REFUSED_SAMPLES } from '../support/image-fixtures';

const samples: Record<string, Buffer> = {};

beforeAll(async () => {
  for (const format of ['png', 'jpeg', 'gif', 'webp', 'avif'] as const)
    samples[format] = await makeImage(format);
  samples.webpLossless = await (await import('sharp'))
    .default({ create: { width: 8, height: 6, channels: 4, background: 'red' } })
    .webp({ lossless: true })
    .toBuffer();
  samples.heic = makeHeif('heic');
  samples.heif = makeHeif('mif1');
  samples.mp4 = makeMp4();
});

describe('identifyImage', () => {
  it.each([
    ['png', 'png', 8, 6],
    ['jpeg', 'jpeg', 8, 6],
    ['gif', 'gif', 8, 6],
    ['webp', 'webp', 8, 6],
    ['webpLossless', 'webp', 8, 6],
    ['avif', 'avif', 8, 6],
    ['heic', 'heic', 8, 6],
    ['heif', 'heif', 8, 6],
    ['mp4', 'mp4', undefined, undefined],
  ])('accepts a real %s as %s with its dimensions', (sample, format, width, height) => {
    // Act
    const info = identifyImage(samples[sample]!, [], DEFAULT_UPLOAD_LIMITS);

    // Assess
    expect(info).toEqual({ format, width, height });
  });

  it.each([
    ['png', ['png', 'image/png', 'PNG']],
    ['jpeg', ['jpg', 'jpeg', 'image/jpeg']],
    ['heic', ['heif', 'heic']],
    ['mp4', ['mp4', 'video/mp4']],
  ])('accepts %s declared as any of its names %j', (sample, declared) => {
    expect(identifyImage(samples[sample]!, declared, DEFAULT_UPLOAD_LIMITS).format).toBeDefined();
  });

  it.each(Object.entries(REFUSED_SAMPLES))('refuses %s with 415', (_, bytes) => {
    expect(() => identifyImage(bytes, [], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }),
    );
  });

  it('names an SVG in its message', () => {
    expect(() => identifyImage(REFUSED_SAMPLES.svg, [], DEFAULT_UPLOAD_LIMITS)).toThrow(/SVG/);
  });

  it.each([
    ['gif', 'png'],
    ['png', 'jpg'],
    ['webp', 'gif'],
    ['avif', 'heic'],
  ])('refuses a %s declared as %s with 415', (sample, declared) => {
    expect(() => identifyImage(samples[sample]!, [declared], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 415, message: expect.stringContaining('declared type') }),
    );
  });

  it('refuses a declared type off the allow-list (svg) even for real PNG bytes', () => {
    expect(() => identifyImage(samples.png!, ['svg'], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 415 }),
    );
  });

  it('refuses an empty image with EMPTY_IMAGE', () => {
    expect(() => identifyImage(Buffer.alloc(0), [], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'EMPTY_IMAGE' }),
    );
  });

  it.each([
    ['png', (b: Buffer) => b.subarray(0, b.length - 5)],
    ['png', (b: Buffer) => Buffer.concat([b, Buffer.from('<html><script>alert(1)</script></html>')])],
    ['jpeg', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
    ['gif', (b: Buffer) => b.subarray(0, b.length - 1)],
    ['webp', (b: Buffer) => b.subarray(0, b.length - 4)],
    ['avif', (b: Buffer) => b.subarray(0, b.length - 3)],
    ['mp4', (b: Buffer) => Buffer.concat([b, Buffer.from('PK\u0003\u0004')])],
  ])('refuses a damaged %s (truncated or with data appended) with 422 INVALID_IMAGE', (sample, damage) => {
    expect(() => identifyImage(damage(samples[sample]!), [], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 422, code: 'INVALID_IMAGE' }),
    );
  });

  it('refuses a PNG header followed by HTML (a polyglot) with 422', () => {
    const polyglot = Buffer.concat([
      samples.png!.subarray(0, 8),
      Buffer.from('<html><script>alert(1)</script></html>'),
    ]);
    expect(() => identifyImage(polyglot, [], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 422 }),
    );
  });

  it('refuses a PNG declaring 100000×100000 pixels (decompression bomb) with IMAGE_TOO_MANY_PIXELS', () => {
    // Prepare
    const bomb = Buffer.from(samples.png!);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);

    // Act / Assess
    expect(() => identifyImage(bomb, [], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 422, code: 'IMAGE_TOO_MANY_PIXELS' }),
    );
  });

  it('applies the pixel limit it is given', () => {
    expect(() => identifyImage(samples.gif!, [], { ...DEFAULT_UPLOAD_LIMITS, maxImagePixels: 47 })).toThrow(
      /over the limit of 47/,
    );
    expect(identifyImage(samples.gif!, [], { ...DEFAULT_UPLOAD_LIMITS, maxImagePixels: 48 }).format).toBe(
      'gif',
    );
  });

  it('refuses RIFF containers that are not WebP (a WAV file)', () => {
    expect(() => identifyImage(REFUSED_SAMPLES.wav, ['webp'], DEFAULT_UPLOAD_LIMITS)).toThrow(
      expect.objectContaining({ statusCode: 415 }),
    );
  });
});
