import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import type { FetchedSource, SourceFetcher } from '../../lambdas/adapters/source-fetcher';
import {
  PayloadTooLargeError,
  SourceForbiddenError,
  SourceUnavailableError,
} from '../../lambdas/core/errors';
import type { ImageSource } from '../../lambdas/core/upload-payload';
import { fakeLogger } from '../support/fake-logger';
import { makeImage, REFUSED_SAMPLES } from '../support/image-fixtures';
import { DEFAULT_FITS } from '../support/fits';
import { lambdaContext, proxyEvent } from '../support/proxy-events';
import { quietMetrics } from '../support/emf';

const s3Mock = mockClient(S3Client);
const route = createUploadImageRoute({
  store: new S3ImageStore(new S3Client({ region: 'eu-west-1' }), 'images'),
  clientsByKeyId: new Map([['key-alice', 'alice']]),
  publicBaseUrl: 'https://d1.cloudfront.net',
  limits: DEFAULT_UPLOAD_LIMITS,
  fits: DEFAULT_FITS,
  logger: createLogger(),
  metrics: quietMetrics('upload'),
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

describe('upload route: from a URL', () => {
  const SECRET = 'Bearer syt_route_secret_0123456789abcdef';
  const fetchedFrom: ImageSource[] = [];
  const logger = fakeLogger();
  const fakeFetcher = (outcome: () => Promise<FetchedSource>): SourceFetcher => ({
    policy: {
      allowHttp: false,
      allowedPorts: new Set([443]),
      denyRanges: [],
      headerAllowlist: new Set(['authorization']),
      loopbackExceptions: [],
    },
    limits: { maxRedirects: 3, timeoutMs: 1000, stallTimeoutMs: 500, maxBytes: 1000 },
    fetch: (source) => (fetchedFrom.push(source), outcome()),
  });
  const routeWith = (fetcher: SourceFetcher | undefined) =>
    createUploadImageRoute({
      store: new S3ImageStore(new S3Client({ region: 'eu-west-1' }), 'images'),
      clientsByKeyId: new Map([['key-alice', 'alice']]),
      publicBaseUrl: 'https://d1.cloudfront.net',
      limits: DEFAULT_UPLOAD_LIMITS,
      fits: DEFAULT_FITS,
      logger,
      metrics: quietMetrics('upload'),
      sourceFetcher: fetcher,
    });
  const sourceBody = JSON.stringify({
    sourceUrl: 'https://matrix.example.org/_matrix/client/v1/media/download/example.org/abc?sig=s3cr3t',
    sourceHeaders: { Authorization: SECRET },
  });

  beforeEach(() => {
    fetchedFrom.length = 0;
    logger.info.mockClear();
    logger.warn.mockClear();
  });

  it('stores the fetched bytes as a byte upload would, and logs the host only', async () => {
    // Prepare
    const route = routeWith(
      fakeFetcher(async () => ({ bytes: png, redirects: 1, contentType: 'text/html' })),
    );

    // Act
    const response = await route(proxyEvent({ body: sourceBody }), lambdaContext);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ key: `alice/${sha256}.png`, contentType: 'image/png' });
    expect(fetchedFrom[0]?.headers).toEqual({ authorization: SECRET });
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `alice/${sha256}.png`,
      Metadata: expect.objectContaining({ via: 'source-url' }),
    });
    const logged = JSON.stringify([...logger.info.mock.calls, ...logger.warn.mock.calls]);
    expect(logged).toContain('matrix.example.org');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain('s3cr3t');
    expect(logged).not.toContain('/_matrix/');
  });

  it.each([
    [
      'refused by the guard',
      new SourceForbiddenError('the source URL names a host that is not a public address', 'private'),
      400,
      { error: 'SOURCE_FORBIDDEN' },
    ],
    [
      'answered 404 by the source',
      new SourceUnavailableError('the source answered 404', 404),
      502,
      { error: 'SOURCE_UNAVAILABLE', message: 'the source answered 404', sourceStatus: 404 },
    ],
    [
      'timed out',
      new SourceUnavailableError('the source did not send the whole image within 1 s'),
      502,
      { error: 'SOURCE_UNAVAILABLE', message: 'the source did not send the whole image within 1 s' },
    ],
    [
      'too large',
      new PayloadTooLargeError('the source is larger than 1,000 bytes'),
      413,
      { error: 'PAYLOAD_TOO_LARGE' },
    ],
  ])('answers a source %s with %i and stores nothing', async (_, failure, statusCode, body) => {
    // Prepare
    const route = routeWith(fakeFetcher(async () => Promise.reject(failure)));

    // Act
    const response = await route(proxyEvent({ body: sourceBody }), lambdaContext);

    // Assess
    expect(response.statusCode).toBe(statusCode);
    expect(JSON.parse(response.body)).toMatchObject({ ...body, requestId: 'req-1' });
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
    expect(logger.warn).toHaveBeenCalledWith(
      'source not fetched',
      expect.objectContaining({ sourceHost: 'matrix.example.org' }),
    );
  });

  it('answers HTML bytes from the source with 415, whatever their Content-Type said', async () => {
    // Prepare
    const html = Buffer.from('<!doctype html><html><body>Please log in</body></html>');
    const route = routeWith(
      fakeFetcher(async () => ({ bytes: html, redirects: 0, contentType: 'image/png' })),
    );

    // Act
    const response = await route(proxyEvent({ body: sourceBody }), lambdaContext);

    // Assess
    expect(response.statusCode).toBe(415);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('refuses a sourceUrl body where no fetcher is configured, and a source header off the allow list', async () => {
    // Act
    const withoutFetcher = await routeWith(undefined)(proxyEvent({ body: sourceBody }), lambdaContext);
    const cookie = await routeWith(fakeFetcher(async () => ({ bytes: png, redirects: 0 })))(
      proxyEvent({
        body: JSON.stringify({ sourceUrl: 'https://example.org/a.png', sourceHeaders: { Cookie: 'a=b' } }),
      }),
      lambdaContext,
    );

    // Assess
    expect(withoutFetcher.statusCode).toBe(400);
    expect(cookie.statusCode).toBe(400);
    expect(fetchedFrom).toEqual([]);
  });
});
