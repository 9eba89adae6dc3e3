import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import { makeImage, REFUSED_SAMPLES } from '../support/image-fixtures';
import { DEFAULT_FITS } from '../support/fits';
import { lambdaContext, proxyEvent } from '../support/proxy-events';

const s3Mock = mockClient(S3Client);
const route = createUploadImageRoute({
  store: new S3ImageStore(new S3Client({ region: 'eu-west-1' }), 'images'),
  clientsByKeyId: new Map([['key-alice', 'alice']]),
  publicBaseUrl: 'https://d1.cloudfront.net',
  limits: DEFAULT_UPLOAD_LIMITS,
  fits: DEFAULT_FITS,
  logger: createLogger(),
});

let png: Buffer;
let sha256: string;
beforeAll(async () => {
  png = await makeImage('png');
  sha256 = createHash('sha256').update(png).digest('hex');
});
beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({});
});

describe('upload route', () => {
  it('stores a base64 PNG under its content-addressed key and answers 201 with its CDN URL', async () => {
    // Prepare
    const event = proxyEvent({
      body: JSON.stringify({ image: png.toString('base64'), imageType: 'png', filename: 'cat.png' }),
    });

    // Act
    const response = await route(event, lambdaContext);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({
      url: `https://d1.cloudfront.net/alice/${sha256}.png`,
      key: `alice/${sha256}.png`,
      contentType: 'image/png',
      size: png.length,
      sha256,
      width: 8,
      height: 6,
      profile: 'universal',
      method: 'as-uploaded',
      original: { contentType: 'image/png', size: png.length, width: 8, height: 6, frames: 1 },
    });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'images',
      Key: `alice/${sha256}.png`,
      ContentType: 'image/png',
      CacheControl: 'public, max-age=31536000, immutable',
      ChecksumSHA256: createHash('sha256').update(png).digest('base64'),
      Metadata: expect.objectContaining({
        client: 'alice',
        sha256,
        profile: 'universal',
        width: '8',
        height: '6',
        'original-filename': 'cat.png',
      }),
    });
  });

  it('stores a raw image/png body the same way', async () => {
    // Prepare
    const event = proxyEvent({
      headers: { 'Content-Type': 'image/png' },
      body: png.toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const response = await route(event, lambdaContext);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, { Key: `alice/${sha256}.png` });
  });

  it.each([
    ['an SVG', { image: REFUSED_SAMPLES.svg.toString('base64') }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a PNG declared as gif', 'png-as-gif', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['invalid base64', { image: '%%%' }, 400, 'INVALID_BASE64'],
    ['an empty image', { image: '' }, 400, 'EMPTY_IMAGE'],
  ])('refuses %s with %d and stores nothing', async (_, body, statusCode, code) => {
    // Prepare
    const payload = body === 'png-as-gif' ? { image: png.toString('base64'), imageType: 'gif' } : body;

    // Act
    const response = await route(proxyEvent({ body: JSON.stringify(payload) }), lambdaContext);

    // Assess
    expect(response.statusCode).toBe(statusCode);
    expect(JSON.parse(response.body)).toMatchObject({ error: code, requestId: 'req-1' });
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('answers 403 when the API key belongs to no client', async () => {
    const response = await route(
      proxyEvent({ apiKeyId: 'someone-else', body: JSON.stringify({ image: png.toString('base64') }) }),
      lambdaContext,
    );
    expect(response.statusCode).toBe(403);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it.each([
    ['SlowDown', 503, 503],
    ['InternalError', 500, 502],
  ])('answers S3 %s with %d → %d, Retry-After and no internals', async (name, s3Status, status) => {
    // Prepare
    s3Mock.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name,
        $fault: 'server',
        $metadata: { httpStatusCode: s3Status },
        message: 'secret internals',
      }),
    );

    // Act
    const response = await route(
      proxyEvent({ body: JSON.stringify({ image: png.toString('base64') }) }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(JSON.parse(response.body).error).toBe('STORAGE_UNAVAILABLE');
    expect(response.body).not.toContain('secret internals');
  });

  it('answers an unexpected failure with a bare 500', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).rejects(new TypeError('boom at /var/task/index.mjs:1'));

    // Act
    const response = await route(
      proxyEvent({ body: JSON.stringify({ image: png.toString('base64') }) }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      error: 'INTERNAL_ERROR',
      message: 'internal error',
      requestId: 'req-1',
    });
  });
});
