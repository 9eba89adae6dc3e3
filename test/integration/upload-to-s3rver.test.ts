import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import { DEFAULT_FITS } from '../support/fits';
import { makeImage, REFUSED_SAMPLES } from '../support/image-fixtures';
import { lambdaContext, proxyEvent } from '../support/proxy-events';
import { useEmbeddedS3 } from '../support/embedded-s3-fixture';
import { quietMetrics } from '../support/emf';

const bucket = 'images';
const embedded = useEmbeddedS3('s3rver-upload', bucket, 'https://cdn.test');
let route: ReturnType<typeof createUploadImageRoute>;

beforeAll(() => {
  route = createUploadImageRoute({
    store: new S3ImageStore(embedded.s3, bucket),
    clientsByKeyId: new Map([['key-alice', 'alice']]),
    publicBaseUrl: 'https://cdn.test',
    limits: DEFAULT_UPLOAD_LIMITS,
    fits: DEFAULT_FITS,
    logger: createLogger(),
    metrics: quietMetrics('upload'),
  });
});

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await embedded.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!);
}

describe('upload route against an S3-compatible server', () => {
  it.each(['png', 'jpeg', 'webp'] as const)(
    'stores a clean %s that fits byte-for-byte with its type and immutable caching',
    async (format) => {
      // Prepare
      const image = await makeImage(format, 12, 9);
      const sha256 = createHash('sha256').update(image).digest('hex');

      // Act
      const response = await route(
        proxyEvent({ body: JSON.stringify({ image: image.toString('base64') }) }),
        lambdaContext,
      );

      // Assess
      expect(response.statusCode).toBe(201);
      const { key } = JSON.parse(response.body);
      const stored = await embedded.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await stored.Body!.transformToByteArray());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
      expect(stored.ContentType).toBe(`image/${format}`);
      expect(stored.CacheControl).toBe('public, max-age=31536000, immutable');
      expect(stored.Metadata).toMatchObject({ client: 'alice', sha256 });
    },
  );

  it.each([
    ['gif', 'image/png'],
    ['avif', 'image/jpeg'],
  ] as const)(
    'serves a %s as its %s rendition and keeps the upload, byte for byte, where the CDN never reads',
    async (format, servedType) => {
      // Prepare
      const image = await makeImage(format, 12, 9);
      const uploadSha = createHash('sha256').update(image).digest('hex');

      // Act
      const response = await route(
        proxyEvent({ body: JSON.stringify({ image: image.toString('base64') }) }),
        lambdaContext,
      );

      // Assess
      expect(response.statusCode).toBe(201);
      const answer = JSON.parse(response.body);
      const rendition = await embedded.s3.send(new GetObjectCommand({ Bucket: bucket, Key: answer.key }));
      expect(rendition.ContentType).toBe(servedType);
      const kept = await embedded.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: rendition.Metadata!.source }),
      );
      expect(rendition.Metadata!.source).toMatch(new RegExp(`^_originals/alice/${uploadSha}\\.`));
      expect(Buffer.from(await kept.Body!.transformToByteArray()).equals(image)).toBe(true);
    },
  );

  it('stores the same bytes once, under one key, however often they are sent', async () => {
    // Prepare
    const image = await makeImage('png', 31, 7);
    const body = JSON.stringify({ image: image.toString('base64'), imageType: 'png' });

    // Act
    const first = JSON.parse((await route(proxyEvent({ body }), lambdaContext)).body);
    const second = JSON.parse((await route(proxyEvent({ body }), lambdaContext)).body);

    // Assess
    expect(second.url).toBe(first.url);
    expect((await keysUnder('alice/')).filter((key) => key === first.key)).toHaveLength(1);
  });

  it.each(Object.entries(REFUSED_SAMPLES))('stores nothing when the bytes are %s', async (_, bytes) => {
    // Prepare
    const before = await keysUnder('alice/');

    // Act
    const response = await route(
      proxyEvent({ body: JSON.stringify({ image: bytes.toString('base64') }) }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(415);
    expect(await keysUnder('alice/')).toEqual(before);
  });
});

describe('the embedded S3 stores whole, verified objects only (as S3 does)', () => {
  it('refuses bytes whose SHA-256 differs from the declared one, as a 502 storage error, and keeps nothing', async () => {
    // Prepare
    const store = new S3ImageStore(embedded.s3, bucket);
    const bytes = await makeImage('png', 5, 5);
    const wrongDigest = createHash('sha256').update('other bytes').digest('base64');

    // Act
    const put = store.putObject({
      key: 'alice/corrupt.png',
      bytes,
      contentType: 'image/png',
      sha256Base64: wrongDigest,
      metadata: {},
    });

    // Assess
    await expect(put).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', statusCode: 502 });
    expect(await keysUnder('alice/corrupt')).toEqual([]);
  });
});
