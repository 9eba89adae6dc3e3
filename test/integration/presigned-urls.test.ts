import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { createCheckUploadRoute } from '../../lambdas/routes/check-upload';
import { objectsCapability } from '../../lambdas/capabilities/objects';
import { createObjectsRoute } from '../../lambdas/routes/objects';
import {
  createPresignRoute,
  type PresignAnswer,
  type PresignGetAnswer,
  type PresignPutAnswer,
} from '../../lambdas/routes/presign';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { useEmbeddedS3 } from '../support/embedded-s3-fixture';
import { fakeLogger } from '../support/fake-logger';
import { DEFAULT_FITS } from '../support/fits';
import { phoneHeic } from '../support/model-ready-fixtures';
import { REFUSED_SAMPLES, noisyPng } from '../support/image-fixtures';
import { InMemoryPresignQuota } from '../../lambdas/adapters/presign-quota';
import { quietMetrics } from '../support/emf';

const BUCKET = 'presign-it';
const CDN = 'https://cdn.example.com';

const embedded = useEmbeddedS3('presign-it', BUCKET, CDN);
const events: S3Event[] = [];
// `any`: the answers are checked field by field (biome.json allows it in tests).
type Json = Record<string, any>;

function presignRoute(nowMs?: () => number) {
  return createPresignRoute({
    signer: embedded.urlSigner(nowMs),
    clientsByKeyId: new Map([['key-a', 'alice']]),
    publicBaseUrl: CDN,
    settings: {
      defaultExpiresSeconds: 3600,
      maxExpiresSeconds: 86_400,
      maxDirectUploadBytes: 50 * 1024 * 1024,
    },
    fits: DEFAULT_FITS,
    logger: fakeLogger(),
    metrics: quietMetrics('presign'),
    quota: new InMemoryPresignQuota({ uploads: 1000, windowSeconds: 3600 }),
  });
}

const check = () =>
  createCheckUploadRoute({
    store: new S3ImageStore(embedded.s3, BUCKET),
    limits: DEFAULT_UPLOAD_LIMITS,
    maxDirectUploadBytes: 50 * 1024 * 1024,
    publicBaseUrl: CDN,
    fits: DEFAULT_FITS,
    logger: fakeLogger(),
    metrics: quietMetrics('checkUpload'),
  });

const objects = () =>
  createObjectsRoute(
    {
      store: new S3ImageStore(embedded.s3, BUCKET),
      invalidator: NO_CDN_INVALIDATION,
      clientsByKeyId: new Map([['key-a', 'alice']]),
      publicBaseUrl: CDN,
      logger: fakeLogger(),
      metrics: quietMetrics('objects'),
    },
    objectsCapability.routes,
  );

const asAlice = (extra: Record<string, unknown>) =>
  ({ isBase64Encoded: false, requestContext: { identity: { apiKeyId: 'key-a' } }, ...extra }) as never;

async function presign<T extends PresignAnswer = PresignPutAnswer>(
  body: unknown,
  route = presignRoute(),
): Promise<T> {
  const result = await route(asAlice({ body: JSON.stringify(body) }), { awsRequestId: 'it' });
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body) as T;
}

/** What `GET /uploads/{id}` answers for one of alice's uploads. */
async function statusOf(uploadId: string): Promise<Json> {
  const result = await objects()(
    asAlice({ httpMethod: 'GET', resource: '/uploads/{id}', pathParameters: { id: uploadId } }),
    { awsRequestId: 'it' },
  );
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body);
}

/** PUTs through a presigned URL, then hands the S3 events it caused to the check. */
async function putAndCheck(answer: PresignPutAnswer, bytes: Buffer) {
  events.length = 0;
  const put = await fetch(answer.url, { method: 'PUT', headers: answer.headers, body: bytes });
  expect(put.status).toBe(200);
  await expect.poll(() => events.length).toBeGreaterThan(0);
  return check()(events[0]!);
}

async function uploadAndCheck(bytes: Buffer, contentType = 'image/png') {
  const answer = await presign({ method: 'PUT', contentType, contentLength: bytes.length });
  const outcomes = await putAndCheck(answer, bytes);
  return { answer, outcomes, status: await statusOf(answer.uploadId) };
}

async function exists(key: string): Promise<boolean> {
  return embedded.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

beforeAll(() => {
  embedded.server.onEvent((event) => events.push(event));
});

describe('presigned PUT against the embedded S3', () => {
  it('publishes a checked PNG under its content address, typed, immutable, and says so in its status', async () => {
    // Prepare
    const png = await noisyPng(64, 64);
    const sha256 = createHash('sha256').update(png).digest('hex');

    // Act
    const { answer, outcomes, status } = await uploadAndCheck(png);

    // Assess
    expect(outcomes).toEqual(['published']);
    expect(status).toMatchObject({
      status: 'published',
      key: `alice/${sha256}.png`,
      url: `${CDN}/alice/${sha256}.png`,
      width: 64,
      height: 64,
    });
    const published = await embedded.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: status.key }));
    expect(published.ContentType).toBe('image/png');
    expect(published.CacheControl).toBe('public, max-age=31536000, immutable');
    expect(published.Metadata?.sha256).toBe(sha256);
    expect(await exists(`_incoming/alice/${answer.uploadId}.png`)).toBe(false);
  });

  it('answers pending for an upload not checked yet', async () => {
    // Prepare
    const answer = await presign({ method: 'PUT', contentType: 'image/png', contentLength: 10 });

    // Act
    const status = await statusOf(answer.uploadId);

    // Assess
    expect(status).toEqual({ status: 'pending' });
  });

  it('never publishes other bytes through the same URL, even after the image was deleted', async () => {
    // Prepare
    const first = await noisyPng(16, 16, 1);
    const second = await noisyPng(16, 16, 2);
    const answer = await presign({ method: 'PUT', contentType: 'image/png', contentLength: first.length });
    await putAndCheck(answer, first);
    const published = await statusOf(answer.uploadId);
    const deleted = await objects()(
      asAlice({ httpMethod: 'DELETE', pathParameters: { key: published.key } }),
      { awsRequestId: 'it' },
    );

    // Act
    const outcomes = await putAndCheck(answer, second);

    // Assess
    expect(deleted.statusCode).toBe(204);
    expect(outcomes).toEqual(['replayed']);
    expect(await exists(published.key)).toBe(false);
    expect(await exists(`alice/${createHash('sha256').update(second).digest('hex')}.png`)).toBe(false);
    expect(await statusOf(answer.uploadId)).toMatchObject({ status: 'published', key: published.key });
  });

  it('accepts HEIC bytes signed as image/heif, as POST /uploads does, and publishes a JPEG rendition', async () => {
    // Act
    const { outcomes, status } = await uploadAndCheck(phoneHeic(), 'image/heif');

    // Assess
    expect(outcomes).toEqual(['published']);
    expect(status).toMatchObject({
      status: 'published',
      contentType: 'image/jpeg',
      original: { contentType: 'image/heic' },
    });
  });

  it.each([
    ['an SVG', REFUSED_SAMPLES.svg, 'image/png'],
    ['an HTML page', REFUSED_SAMPLES.html, 'image/png'],
    ['a renamed executable', REFUSED_SAMPLES.elf, 'image/jpeg'],
  ])(
    'rejects %s uploaded that way, deletes it and tells its client why',
    async (_name, bytes, contentType) => {
      // Act
      const { answer, outcomes, status } = await uploadAndCheck(bytes, contentType);

      // Assess
      expect(outcomes).toEqual(['rejected']);
      expect(status).toMatchObject({ status: 'refused', error: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(status.message).toMatch(/^bytes are /);
      expect(
        await exists(`_incoming/alice/${answer.uploadId}.${contentType === 'image/png' ? 'png' : 'jpg'}`),
      ).toBe(false);
    },
  );

  it('rejects a PNG signed as a JPEG', async () => {
    // Prepare
    const png = await noisyPng(8, 8);

    // Act
    const { outcomes, status } = await uploadAndCheck(png, 'image/jpeg');

    // Assess
    expect(outcomes).toEqual(['rejected']);
    expect(status).toEqual({
      status: 'refused',
      error: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'bytes are PNG but the declared type is image/jpeg',
    });
  });
});

describe('presigned GET against the embedded S3', () => {
  it('reads a published object back', async () => {
    // Prepare
    const png = await noisyPng(16, 16);
    const { status } = await uploadAndCheck(png);

    // Act
    const get = await presign<PresignGetAnswer>({ method: 'GET', key: status.key, expiresIn: 60 });
    const response = await fetch(get.url);

    // Assess
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
  });

  it('stops working once expired', async () => {
    // Prepare: signed two hours ago for one minute, by the route's injectable clock
    const png = await noisyPng(16, 16);
    const { status } = await uploadAndCheck(png);
    const twoHoursAgo = () => Date.now() - 2 * 3600_000;

    // Act
    const stale = await presign<PresignGetAnswer>(
      { method: 'GET', key: status.key, expiresIn: 60 },
      presignRoute(twoHoursAgo),
    );
    const response = await fetch(stale.url);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
    expect(Date.parse(stale.expiresAt)).toBeLessThan(Date.now());
  });
});
