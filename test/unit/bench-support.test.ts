import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { decodeBase64Strict } from '../../lambdas/core/base64';
import { createMemoryS3Client } from '../../bench/support/memory-s3';

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
