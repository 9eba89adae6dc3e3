import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { S3UrlSigner } from '../../lambdas/adapters/url-signer';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { createCheckUploadRoute } from '../../lambdas/routes/check-upload';
import { createPresignRoute, type PresignAnswer } from '../../lambdas/routes/presign';
import { startEmbeddedS3, type EmbeddedS3 } from '../../infra/local/embedded-s3';
import { fakeLogger } from '../support/fake-logger';
import { REFUSED_SAMPLES, noisyPng } from '../support/image-fixtures';

const BUCKET = 'presign-it';
const CDN = 'https://cdn.example.com';

let dir: string;
let s3Server: EmbeddedS3;
let s3: S3Client;
const events: S3Event[] = [];

function presignRoute(nowMs?: () => number) {
  return createPresignRoute({
    signer: new S3UrlSigner({ credentials: s3.config.credentials, region: 'us-east-1', bucketName: BUCKET, endpoint: s3Server.endpoint, now: nowMs }),
    clientsByKeyId: new Map([['key-a', 'alice']]),
    publicBaseUrl: CDN,
    settings: { defaultExpiresSeconds: 3600, maxExpiresSeconds: 86_400, maxDirectUploadBytes: 50 * 1024 * 1024 },
    logger: fakeLogger(),
  });
}

const check = () =>
  createCheckUploadRoute({ store: new S3ImageStore(s3, BUCKET), limits: DEFAULT_UPLOAD_LIMITS, maxDirectUploadBytes: 50 * 1024 * 1024, logger: fakeLogger() });

async function presign(body: unknown, route = presignRoute()): Promise<PresignAnswer> {
  const event = { body: JSON.stringify(body), isBase64Encoded: false, requestContext: { identity: { apiKeyId: 'key-a' } } };
  const result = await route(event as never, { awsRequestId: 'it' });
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body) as PresignAnswer;
}

/** PUTs through a presigned URL, then hands the S3 events it caused to the check. */
async function uploadAndCheck(bytes: Buffer, contentType = 'image/png') {
  const answer = await presign({ method: 'PUT', contentType, contentLength: bytes.length });
  events.length = 0;
  const put = await fetch(answer.url, { method: 'PUT', headers: answer.headers, body: bytes });
  expect(put.status).toBe(200);
  await expect.poll(() => events.length).toBeGreaterThan(0);
  const outcomes = await check()(events[0]!);
  return { answer, outcomes };
}

async function exists(key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'presign-it-'));
  s3Server = await startEmbeddedS3({ directory: dir, bucketName: BUCKET });
  s3Server.onEvent((event) => events.push(event));
  s3 = createS3Client({ bucketName: BUCKET, publicBaseUrl: CDN, region: 'us-east-1', s3Endpoint: s3Server.endpoint });
});

afterAll(async () => {
  s3?.destroy();
  await s3Server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('presigned PUT against the embedded S3', () => {
  it('publishes a checked PNG under its public key, typed, immutable and with its sha256', async () => {
    // Prepare
    const png = await noisyPng(64, 64);

    // Act
    const { answer, outcomes } = await uploadAndCheck(png);

    // Assess
    expect(outcomes).toEqual(['published']);
    const published = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: answer.key }));
    expect(published.ContentType).toBe('image/png');
    expect(published.CacheControl).toBe('public, max-age=31536000, immutable');
    expect(published.Metadata?.sha256).toBe(createHash('sha256').update(png).digest('hex'));
    expect(await exists(`_incoming/${answer.key}`)).toBe(false);
    expect(answer.publicUrl).toBe(`${CDN}/${answer.key}`);
  });

  it.each([
    ['an SVG', REFUSED_SAMPLES.svg, 'image/png'],
    ['an HTML page', REFUSED_SAMPLES.html, 'image/png'],
    ['a renamed executable', REFUSED_SAMPLES.elf, 'image/jpeg'],
  ])('rejects %s uploaded that way and deletes it from quarantine', async (_name, bytes, contentType) => {
    // Act
    const { answer, outcomes } = await uploadAndCheck(bytes, contentType);

    // Assess
    expect(outcomes).toEqual(['rejected']);
    expect(await exists(answer.key)).toBe(false);
    expect(await exists(`_incoming/${answer.key}`)).toBe(false);
  });

  it('rejects a PNG signed as a JPEG', async () => {
    // Prepare
    const png = await noisyPng(8, 8);

    // Act
    const { answer, outcomes } = await uploadAndCheck(png, 'image/jpeg');

    // Assess
    expect(outcomes).toEqual(['rejected']);
    expect(await exists(answer.key)).toBe(false);
  });
});

describe('presigned GET against the embedded S3', () => {
  it('reads a published object back', async () => {
    // Prepare
    const png = await noisyPng(16, 16);
    const { answer: put } = await uploadAndCheck(png);

    // Act
    const get = await presign({ method: 'GET', key: put.key, expiresIn: 60 });
    const response = await fetch(get.url);

    // Assess
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
  });

  it('stops working once expired', async () => {
    // Prepare: signed two hours ago for one minute, by the route's injectable clock
    const png = await noisyPng(16, 16);
    const { answer: put } = await uploadAndCheck(png);
    const twoHoursAgo = () => Date.now() - 2 * 3600_000;

    // Act
    const stale = await presign({ method: 'GET', key: put.key, expiresIn: 60 }, presignRoute(twoHoursAgo));
    const response = await fetch(stale.url);

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
    expect(Date.parse(stale.expiresAt)).toBeLessThan(Date.now());
  });
});
