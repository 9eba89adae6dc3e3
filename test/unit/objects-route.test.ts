import { readFileSync } from 'node:fs';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CdnInvalidationError } from '../../lambdas/core/errors';
import { encodeListCursor } from '../../lambdas/core/list-request';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { objectsCapability } from '../../lambdas/capabilities/objects';
import { createObjectsRoute } from '../../lambdas/routes/objects';
import { fakeLogger } from '../support/fake-logger';
import { BOB_SHA } from '../support/key-spellings';
import { quietMetrics } from '../support/emf';

const CDN = 'https://d111.cloudfront.net';
const OWN = `alice/${BOB_SHA}.png`;
const s3Mock = mockClient(S3Client);
const invalidate = vi.fn<(paths: readonly string[]) => Promise<void>>();

function route() {
  return createObjectsRoute(
    {
      store: new S3ImageStore(new S3Client({ region: 'us-east-1' }), 'bucket'),
      invalidator: { invalidate },
      clientsByKeyId: new Map([['id-a', 'alice']]),
      publicBaseUrl: CDN,
      logger: fakeLogger(),
      metrics: quietMetrics('objects'),
    },
    objectsCapability.routes,
  );
}

function event(httpMethod: string, key?: string, query?: Record<string, string>) {
  return {
    httpMethod,
    pathParameters: key === undefined ? null : { key },
    queryStringParameters: query ?? null,
    requestContext: { identity: { apiKeyId: 'id-a' } },
  } as never;
}

const call = (e: never) => route()(e, { awsRequestId: 'r1' });

beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
  s3Mock.on(ListObjectsCommand).resolves({ Contents: [] });
  invalidate.mockReset().mockResolvedValue(undefined);
});

describe('DELETE /objects', () => {
  it('deletes the object and the upload kept behind it, then invalidates its CDN path', async () => {
    // Prepare
    const source = `_originals/alice/${'c'.repeat(64)}.heic`;
    s3Mock.on(HeadObjectCommand).resolves({ Metadata: { source } });
    s3Mock.on(DeleteObjectCommand).resolves({});

    // Act
    const result = await call(event('DELETE', OWN));

    // Assess
    expect(result.statusCode).toBe(204);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'bucket', Key: OWN });
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: 'bucket', Key: source });
    expect(invalidate).toHaveBeenCalledWith([`/${OWN}`, `/_renditions/${OWN}/*`]);
  });

  it('deletes the renditions made of it at the CDN, every page of them', async () => {
    // Prepare
    const renditions = ['w=256,h=256,fit=cover', 'w=800,format=webp', 'fit=anthropic'].map(
      (spec) => `_renditions/${OWN}/${spec}`,
    );
    s3Mock.on(DeleteObjectCommand).resolves({});
    s3Mock
      .on(ListObjectsCommand, { Prefix: `_renditions/${OWN}/` })
      .resolvesOnce({ Contents: renditions.slice(0, 2).map((Key) => ({ Key, Size: 1 })), IsTruncated: true })
      .resolvesOnce({ Contents: renditions.slice(2).map((Key) => ({ Key, Size: 1 })), IsTruncated: false });

    // Act
    const result = await call(event('DELETE', OWN));

    // Assess
    expect(result.statusCode).toBe(204);
    for (const Key of renditions) expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key });
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsCommand, {
      Prefix: `_renditions/${OWN}/`,
      Marker: renditions[1],
    });
  });

  it.each([`_originals/bob/${'c'.repeat(64)}.heic`, 'bob/x.png', `_incoming/alice/${'c'.repeat(32)}.png`])(
    'never deletes %s named as a source in metadata',
    async (source) => {
      // Prepare
      s3Mock.on(HeadObjectCommand).resolves({ Metadata: { source } });
      s3Mock.on(DeleteObjectCommand).resolves({});

      // Act
      await call(event('DELETE', OWN));

      // Assess
      expect(s3Mock).toHaveReceivedCommandTimes(DeleteObjectCommand, 1);
      expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: OWN });
    },
  );

  it('deletes by public URL the same way', async () => {
    // Prepare
    s3Mock.on(DeleteObjectCommand).resolves({});

    // Act
    const result = await call(event('DELETE', undefined, { url: `${CDN}/${OWN}` }));

    // Assess
    expect(result.statusCode).toBe(204);
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: OWN });
    expect(invalidate).toHaveBeenCalledOnce();
  });

  it.each([
    ['a key of another client', event('DELETE', `bob/${BOB_SHA}.png`)],
    ['a URL of another client', event('DELETE', undefined, { url: `${CDN}/bob/${BOB_SHA}.png` })],
  ])('refuses %s with 404, deleting and invalidating nothing', async (_name, e) => {
    // Act
    const result = await call(e);

    // Assess
    expect(result.statusCode).toBe(404);
    expect(s3Mock).not.toHaveReceivedCommand(DeleteObjectCommand);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('answers a retryable 502 when the invalidation fails', async () => {
    // Prepare
    s3Mock.on(DeleteObjectCommand).resolves({});
    invalidate.mockRejectedValue(new CdnInvalidationError());

    // Act
    const result = await call(event('DELETE', OWN));

    // Assess
    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'CDN_INVALIDATION_FAILED' });
    expect(result.headers?.['retry-after']).toBe('1');
  });

  it('answers 503 when S3 throttles', async () => {
    // Prepare
    s3Mock
      .on(DeleteObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } }),
      );

    // Act
    const result = await call(event('DELETE', OWN));

    // Assess
    expect(result.statusCode).toBe(503);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('asks for a key or a URL', async () => {
    // Act
    const result = await call(event('DELETE'));

    // Assess
    expect(result.statusCode).toBe(400);
  });
});

describe('GET /objects/{key}', () => {
  it('answers the object info with its sha256 and original filename', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand, { Key: OWN }).resolves({
      ContentLength: 42,
      ContentType: 'image/png',
      LastModified: new Date('2025-01-02T03:04:05Z'),
      ETag: '"abc"',
      Metadata: { sha256: BOB_SHA, 'original-filename': 'my%20cat.png' },
    });

    // Act
    const result = await call(event('GET', OWN));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      key: OWN,
      size: 42,
      contentType: 'image/png',
      sha256: BOB_SHA,
      lastModified: '2025-01-02T03:04:05.000Z',
      etag: '"abc"',
      url: `${CDN}/${OWN}`,
      filename: 'my cat.png',
    });
  });

  it('answers 404 when the object is absent', async () => {
    // Prepare
    s3Mock
      .on(HeadObjectCommand)
      .rejects(new NotFound({ message: 'not found', $metadata: { httpStatusCode: 404 } }));

    // Act
    const result = await call(event('GET', OWN));

    // Assess
    expect(result.statusCode).toBe(404);
  });
});

describe('GET /objects', () => {
  it('lists one page inside the namespace and hands out the next cursor', async () => {
    // Prepare
    const after = `alice/${'0'.repeat(64)}.png`;
    s3Mock.on(ListObjectsCommand).resolves({
      IsTruncated: true,
      Contents: [
        { Key: OWN, Size: 10, LastModified: new Date('2025-01-01T00:00:00Z') },
        { Key: 'alice/0123456789abcdef0123456789abcdef.jpg', Size: 20 },
      ],
    });

    // Act
    const result = await call(event('GET', undefined, { limit: '2', cursor: encodeListCursor(after) }));

    // Assess
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectsCommand, {
      Bucket: 'bucket',
      Prefix: 'alice/',
      Marker: after,
      MaxKeys: 2,
    });
    expect(JSON.parse(result.body)).toEqual({
      items: [
        {
          key: OWN,
          size: 10,
          contentType: 'image/png',
          sha256: BOB_SHA,
          lastModified: '2025-01-01T00:00:00.000Z',
          url: `${CDN}/${OWN}`,
        },
        {
          key: 'alice/0123456789abcdef0123456789abcdef.jpg',
          size: 20,
          contentType: 'image/jpeg',
          url: `${CDN}/alice/0123456789abcdef0123456789abcdef.jpg`,
        },
      ],
      cursor: encodeListCursor('alice/0123456789abcdef0123456789abcdef.jpg'),
    });
  });

  it("refuses another client's prefix without listing", async () => {
    // Act
    const result = await call(event('GET', undefined, { prefix: 'bob/' }));

    // Assess
    expect(result.statusCode).toBe(403);
    expect(s3Mock).not.toHaveReceivedCommand(ListObjectsCommand);
  });
});

describe('GET /openapi.json', () => {
  it('answers the committed OpenAPI document without a key and without touching storage', async () => {
    // Prepare
    const request = {
      httpMethod: 'GET',
      resource: '/openapi.json',
      pathParameters: null,
      queryStringParameters: null,
      requestContext: { identity: { apiKeyId: null } },
    } as never;

    // Act
    const result = await call(request);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(result.body)).toEqual(
      JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')),
    );
    expect(s3Mock.calls()).toHaveLength(0);
  });
});
