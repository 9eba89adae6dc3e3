import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FaultMode } from '../support/fault-proxy';
import { makeNoisyPng } from '../support/image-fixtures';
import { localKeyOf } from '../support/local-keys';
import { listStoredKeys } from '../support/stored-keys';
import { UNTHROTTLED, useLocalServer } from '../support/file-server';

const API_KEY = 'fault-key';
const MAX_ATTEMPTS = 3;
let seed = 0;

const local = useLocalServer(
  'storage-faults',
  { alice: API_KEY },
  {
    // Small budgets keep the hang cases short; the counts, not the clock, are asserted.
    env: {
      S3_CONNECT_TIMEOUT_MS: '500',
      S3_REQUEST_TIMEOUT_MS: '800',
      S3_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      ...UNTHROTTLED,
    },
    s3FaultProxy: true,
  },
);

beforeEach(() => local.proxy.clear());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A PNG no other test sent, and the URL its (opaque) key will have. */
async function freshImage(): Promise<{ bytes: Buffer; key: string; url: string }> {
  const bytes = await makeNoisyPng(20_000, 1_000 + ++seed);
  const key = localKeyOf(local.dataDir, 'alice', bytes);
  return { bytes, key, url: `${local.server.cdnBaseUrl}/${key}` };
}

function upload(bytes: Buffer): Promise<Response> {
  return fetch(`${local.server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ image: bytes.toString('base64') }),
  });
}

const putAttempts = () => local.proxy.log.filter((entry) => entry.method === 'PUT').length;
const stored = () => listStoredKeys(local.server.s3Endpoint, local.server.bucketName);

describe('uploads when S3 fails', () => {
  it.each<[FaultMode, number]>([
    ['slowdown', 503],
    ['internal-error', 502],
    ['reset', 503],
    ['hang', 503],
    ['truncate', 503],
  ])(
    '%s on every attempt: %i with Retry-After after exactly 3 attempts, nothing stored or served, then the retry succeeds at the same URL',
    async (mode, status) => {
      // Prepare
      const image = await freshImage();
      local.proxy.inject(mode, { method: 'PUT' });

      // Act
      const failed = await upload(image.bytes);
      const attempts = putAttempts();
      const keysAfterFailure = await stored();
      const servedAfterFailure = await fetch(image.url);
      local.proxy.clear();
      const retried = await upload(image.bytes);

      // Assess
      expect(failed.status).toBe(status);
      expect(failed.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await failed.json()).toMatchObject({
        error: 'STORAGE_UNAVAILABLE',
        message: expect.not.stringMatching(/SlowDown|InternalError|ECONNRESET|socket/i),
      });
      expect(attempts).toBe(MAX_ATTEMPTS);
      expect(keysAfterFailure).not.toContain(image.key);
      expect(servedAfterFailure.status).toBe(404);
      expect(retried.status).toBe(201);
      expect(((await retried.json()) as { url: string }).url).toBe(image.url);
      const served = await fetch(image.url);
      expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(image.bytes));
    },
  );

  it.each<FaultMode>(['slowdown', 'internal-error', 'reset', 'hang'])(
    '%s on the first 2 attempts only: the SDK retries and the upload succeeds',
    async (mode) => {
      // Prepare
      const image = await freshImage();
      local.proxy.inject(mode, { method: 'PUT', times: 2 });

      // Act
      const response = await upload(image.bytes);

      // Assess
      expect(response.status).toBe(201);
      expect(local.proxy.log.filter((entry) => entry.method === 'PUT').map((entry) => entry.fault)).toEqual([
        mode,
        mode,
        'pass',
      ]);
      expect(sha256(new Uint8Array(await (await fetch(image.url)).arrayBuffer()))).toBe(sha256(image.bytes));
    },
  );

  it('stores whole bytes when S3 wrote the object but its answer was lost, and the retry is idempotent', async () => {
    // Prepare
    const image = await freshImage();
    local.proxy.inject('lose-answer', { method: 'PUT' });

    // Act
    const failed = await upload(image.bytes);
    local.proxy.clear();
    const retried = await upload(image.bytes);

    // Assess
    expect(failed.status).toBe(503);
    expect(retried.status).toBe(201);
    expect(((await retried.json()) as { url: string }).url).toBe(image.url);
    expect((await stored()).filter((key) => key === image.key)).toHaveLength(1);
    expect(sha256(new Uint8Array(await (await fetch(image.url)).arrayBuffer()))).toBe(sha256(image.bytes));
  });
});

describe('the CDN stand-in when S3 fails', () => {
  it('answers 502 STORAGE_UNAVAILABLE with Retry-After, never a partial body, and serves again after recovery', async () => {
    // Prepare
    const image = await freshImage();
    expect((await upload(image.bytes)).status).toBe(201);
    local.proxy.inject('internal-error', { method: 'GET' });

    // Act
    const failed = await fetch(image.url);
    local.proxy.clear();
    const recovered = await fetch(image.url);

    // Assess
    expect(failed.status).toBe(502);
    expect(failed.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await failed.json()).toMatchObject({ error: 'STORAGE_UNAVAILABLE' });
    expect(recovered.status).toBe(200);
    expect(sha256(new Uint8Array(await recovered.arrayBuffer()))).toBe(sha256(image.bytes));
  });
});
