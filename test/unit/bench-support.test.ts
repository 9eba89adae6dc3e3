import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { decodeBase64Strict } from '../../lambdas/core/base64';
import { compareCpu, compareCpuWithPeer } from '../../bench/support/measure';
import { createMemoryS3Client } from '../../bench/support/memory-s3';
import { encodeHeic, pillowVersion, startPillowPeer } from '../../bench/support/peers';
import { phoneJpeg, photoOfSize, photoPixels } from '../../bench/support/photos';
import { renderTable, skippedRow, verdict } from '../../bench/support/rows';

const storage = { bucketName: 'bench-bucket', publicBaseUrl: 'https://cdn.example', region: 'us-east-1' };

describe('bench in-memory S3', () => {
  it('receives a signed PutObject whose payload hash is the checksum the store sent', async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    const { s3, handler } = createMemoryS3Client(storage);
    const bytes = Buffer.from('not really an image');
    const digest = createHash('sha256').update(bytes).digest();

    // Act
    await new S3ImageStore(s3, storage.bucketName).putObject({
      key: 'bench/a.png',
      bytes,
      contentType: 'image/png',
      sha256Base64: digest.toString('base64'),
      metadata: { client: 'bench' },
    });

    // Assess
    expect(handler.lastRequest).toMatchObject({ method: 'PUT', bodyBytes: bytes.length });
    expect(handler.lastRequest?.headers).toMatchObject({
      'x-amz-checksum-sha256': digest.toString('base64'),
      'x-amz-content-sha256': digest.toString('hex'),
    });
    expect(handler.lastRequest?.headers.authorization).toContain('x-amz-content-sha256');
  });
});

describe('decodeBase64Strict', () => {
  it.each([
    ['standard, padded', 'aGk/Pz8+', 'hi???>'],
    ['URL-safe, unpadded', 'aGk_Pz8-', 'hi???>'],
    ['padding optional', 'aGk', 'hi'],
    ['MIME line breaks', 'aGk/\r\nPz8+', 'hi???>'],
  ])('decodes %s', (_name, input, expected) => {
    expect(decodeBase64Strict(input).toString('latin1')).toBe(expected);
  });

  it.each([
    ['mixed alphabets', 'aGk/Pz8-'],
    ['a character outside both alphabets', 'aGk!Pz8+'],
    ['a non-Latin-1 character whose low byte is a letter', 'aGk\u0141Pz8+'],
    ['padding in the middle', 'aG==Pz8+'],
    ['an impossible length', 'aGk/P'],
  ])('refuses %s', (_name, input) => {
    expect(() => decodeBase64Strict(input)).toThrow(/not valid base64/);
  });
});

describe('bench rows', () => {
  it('shows a skipped row with its reason and never counts it as over target', () => {
    // Prepare
    const row = skippedRow(
      { section: 'imaging CPU/image', name: 'vs Pillow', target: { op: '<=', limit: 0.6 } },
      'python3-pil not installed',
    );

    // Act
    const table = renderTable([row]);

    // Assess
    expect(verdict(row)).toBe('skipped');
    expect(table).toContain('skipped: python3-pil not installed');
    expect(table).not.toContain('NaN');
    expect(table).not.toContain('FAIL');
  });
});

describe('bench peers', () => {
  it('skips the Pillow peer when the interpreter is missing', async () => {
    // Act
    const outcome = await startPillowPeer(
      '/nonexistent.jpg',
      { width: 10, height: 10 },
      { python: '/nonexistent/python3' },
    );

    // Assess
    expect(outcome).toEqual({ ok: false, reason: 'python3-pil not installed' });
  });

  it('skips the Pillow peer when the interpreter cannot import PIL', () => {
    // Act: node stands in for a Python without Pillow (the probe exits non-zero).
    const outcome = pillowVersion(process.execPath);

    // Assess
    expect(outcome).toEqual({ ok: false, reason: 'python3-pil not installed' });
  });

  it('skips the HEIC row when heif-enc is missing', () => {
    // Act
    const outcome = encodeHeic('/nonexistent.jpg', '/nonexistent.heic', { heifEnc: '/nonexistent/heif-enc' });

    // Assess
    expect(outcome).toEqual({ ok: false, reason: 'heif-enc not installed (libheif-examples)' });
  });

  it.skipIf(!pillowVersion().ok)(
    'has Pillow render a sideways phone JPEG upright at the asked size',
    async () => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
      const path = join(dir, 'phone.jpg');
      writeFileSync(path, await phoneJpeg(photoPixels(400, 300, 16), 6));

      try {
        // Act
        const outcome = await startPillowPeer(path, { width: 150, height: 200 });
        const peer = outcome.ok ? outcome.value : undefined;
        const micros = [await peer?.renderOnce(), await peer?.renderOnce()];
        peer?.close();

        // Assess
        expect(peer).toMatchObject({ width: 150, height: 200 });
        expect(micros.every((m) => m !== undefined && m > 0)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('bench photos', () => {
  it('makes a sideways phone JPEG with EXIF Orientation 6 and GPS', async () => {
    // Act
    const jpeg = await phoneJpeg(photoPixels(64, 48, 16), 6);

    // Assess
    const seen = await sharp(jpeg).metadata();
    expect(seen).toMatchObject({ format: 'jpeg', width: 64, height: 48, orientation: 6 });
    // The GPSInfo IFD pointer (tag 0x8825) in IFD0, in either byte order.
    const gpsPointer = [Buffer.from([0x88, 0x25]), Buffer.from([0x25, 0x88])];
    expect(gpsPointer.some((tag) => seen.exif?.includes(tag))).toBe(true);
  });

  it('makes an upright phone JPEG with EXIF but no ICC profile, within 3% of the asked size', async () => {
    // Act
    const { jpeg } = await photoOfSize(400, 300, 30_000);

    // Assess
    const seen = await sharp(jpeg).metadata();
    expect(Math.abs(jpeg.length - 30_000)).toBeLessThanOrEqual(900);
    expect(seen.orientation ?? 1).toBe(1);
    expect(seen.icc).toBeUndefined();
    expect(seen.exif).toBeDefined();
  });
});

describe('compareCpu', () => {
  it('runs slow operations a fixed number of times: one warm-up call, then one per batch', async () => {
    // Prepare
    let subjectCalls = 0;
    let floorCalls = 0;

    // Act
    const result = await compareCpu(
      () => void subjectCalls++,
      () => void floorCalls++,
      { callsPerBatch: 1, batches: 3 },
    );

    // Assess
    expect([subjectCalls, floorCalls]).toEqual([4, 4]);
    expect(result).toMatchObject({ subjectBatch: 1, floorBatch: 1, batches: 3 });
  });
});

describe('compareCpuWithPeer', () => {
  it("alternates one subject call with one peer call and reports the peer's own figures", async () => {
    // Prepare
    const calls: string[] = [];
    const peerMicros = [300, 100, 200];

    // Act
    const result = await compareCpuWithPeer(
      () => void calls.push('subject'),
      async () => {
        calls.push('peer');
        return peerMicros.shift()!;
      },
      3,
    );

    // Assess
    expect(calls).toEqual(['subject', 'subject', 'peer', 'subject', 'peer', 'subject', 'peer']);
    expect(result).toMatchObject({ peerMicros: 200, rounds: 3 });
  });
});
