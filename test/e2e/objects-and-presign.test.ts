import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { foreignKeySpellings, foreignUrlSpellings } from '../support/key-spellings';
import { REFUSED_SAMPLES, noisyPng } from '../support/image-fixtures';

const KEYS = { alice: 'key-a', bob: 'key-b' } as const;
type Client = keyof typeof KEYS;

let dir: string;
let server: LocalServer;

async function api(client: Client, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.apiUrl}${path}`, {
    method,
    headers: { 'x-api-key': KEYS[client], ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
}

async function uploadViaApi(client: Client, bytes: Buffer): Promise<{ key: string; url: string; sha256: string }> {
  const result = await api(client, 'POST', '/uploads', { image: bytes.toString('base64') });
  expect(result.status).toBe(201);
  return result.json as { key: string; url: string; sha256: string };
}

async function presignedPut(client: Client, bytes: Buffer, contentType: string) {
  const answer = (await api(client, 'POST', '/presign', { method: 'PUT', contentType, contentLength: bytes.length })).json!;
  const put = await fetch(answer.url, { method: 'PUT', headers: answer.headers, body: bytes });
  expect(put.status).toBe(200);
  return answer as { key: string; publicUrl: string };
}

/** The CDN stand-in's status for a public URL (body drained). */
async function cdnStatus(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

/** Waits until the S3 events of every presigned PUT so far have been checked. */
async function checksSettled(key: string): Promise<void> {
  await expect.poll(async () => (await fetch(`${server.s3Endpoint}/${server.bucketName}/_incoming/${key}`, { method: "HEAD" })).status).toBe(404);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'presign-e2e-'));
  // The throttle is lifted: this suite fires hundreds of requests per client in a few seconds.
  server = await startLocalServer({
    port: 0,
    dataDir: dir,
    clients: new Map(Object.entries(KEYS)),
    env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('presigned uploads in local mode', () => {
  it('serves a 20 MB PNG uploaded through a presigned PUT once checked, as image/png', async () => {
    // Prepare
    const png = await noisyPng(2600, 2600);
    expect(png.length).toBeGreaterThan(20_000_000);

    // Act
    const answer = await presignedPut('alice', png, 'image/png');
    const uploaded = performance.now();
    const quarantined = await cdnStatus(`${server.cdnBaseUrl}/_incoming/${answer.key}`);
    await expect.poll(() => cdnStatus(answer.publicUrl), { timeout: 30_000, interval: 50 }).toBe(200);
    // A measurement for the README, not an assertion.
    console.info(`20 MB PNG servable ${Math.round(performance.now() - uploaded)} ms after its presigned PUT returned`);
    const served = await fetch(answer.publicUrl);
    const body = Buffer.from(await served.arrayBuffer());

    // Assess
    expect(quarantined).toBe(404);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(body.equals(png)).toBe(true);
  });

  it('never serves an SVG uploaded the same way', async () => {
    // Act
    const answer = await presignedPut('alice', REFUSED_SAMPLES.svg, 'image/png');
    const whileQuarantined = await cdnStatus(`${server.cdnBaseUrl}/_incoming/${answer.key}`);
    await checksSettled(answer.key);

    // Assess
    expect(whileQuarantined).toBe(404);
    expect(await cdnStatus(answer.publicUrl)).toBe(404);
    expect((await api('alice', 'GET', `/objects/${encodeURIComponent(answer.key)}`)).status).toBe(404);
  });
});

describe('objects API in local mode', () => {
  it('lists only the caller\'s objects, page by page', async () => {
    // Prepare
    const mine = await Promise.all([1, 2, 3].map(async () => uploadViaApi('bob', await noisyPng(4, 4))));

    // Act
    const first = await api('bob', 'GET', '/objects?limit=2');
    const second = await api('bob', 'GET', `/objects?limit=2&cursor=${first.json!.cursor}`);

    // Assess
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const listed = [...first.json!.items, ...second.json!.items];
    expect(first.json!.items).toHaveLength(2);
    expect(second.json!.cursor).toBeUndefined();
    expect(listed.map((item) => item.key).sort()).toEqual(mine.map((m) => m.key).sort());
    expect(listed[0]).toMatchObject({ contentType: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), url: expect.stringContaining('/cdn/bob/') });
  });

  it('answers info, then deletes by key and by URL, twice each, after which the CDN answers 404', async () => {
    // Prepare
    const [byKey, byUrl] = await Promise.all([uploadViaApi('alice', await noisyPng(5, 5)), uploadViaApi('alice', await noisyPng(6, 6))]);
    const info = await api('alice', 'GET', `/objects/${byKey.key}`);

    // Act
    const keyDeletes = [await api('alice', 'DELETE', `/objects/${byKey.key}`), await api('alice', 'DELETE', `/objects/${byKey.key}`)];
    const urlPath = `/objects?url=${encodeURIComponent(byUrl.url)}`;
    const urlDeletes = [await api('alice', 'DELETE', urlPath), await api('alice', 'DELETE', urlPath)];

    // Assess
    expect(info.json).toMatchObject({ key: byKey.key, contentType: 'image/png', sha256: byKey.sha256, url: byKey.url });
    expect([...keyDeletes, ...urlDeletes].map((r) => r.status)).toEqual([204, 204, 204, 204]);
    expect(await cdnStatus(byKey.url)).toBe(404);
    expect(await cdnStatus(byUrl.url)).toBe(404);
    expect((await api('alice', 'GET', `/objects/${byKey.key}`)).status).toBe(404);
  });
});

describe('client isolation in local mode', () => {
  let bob: { key: string; url: string; sha256: string };

  beforeAll(async () => {
    bob = await uploadViaApi('bob', await noisyPng(7, 7));
  });

  afterAll(async () => {
    // Whatever alice tried, bob's object is still there and still served.
    expect(await cdnStatus(bob.url)).toBe(200);
    expect((await api('bob', 'GET', `/objects/${bob.key}`)).status).toBe(200);
  });

  it.each(foreignKeySpellings().map(([name]) => name))('refuses alice every route on "%s"', async (name) => {
    // Prepare
    const spelling = new Map(foreignKeySpellings(bob.sha256)).get(name)!;
    const path = `/objects/${encodeURIComponent(spelling)}`;

    // Act
    const info = await api('alice', 'GET', path);
    const presigned = await api('alice', 'POST', '/presign', { method: 'GET', key: spelling });
    const deleted = await api('alice', 'DELETE', path);
    const listed = await api('alice', 'GET', `/objects?prefix=${encodeURIComponent(spelling)}`);

    // Assess
    // 400: the local gateway refuses a malformed request target (backslash, NUL) before routing.
    expect([400, 403, 404]).toContain(info.status);
    expect([403, 404]).toContain(presigned.status);
    expect(presigned.json).not.toHaveProperty('url');
    expect([400, 403, 404]).toContain(deleted.status);
    if (listed.status === 200) expect(listed.json!.items.every((item: { key: string }) => item.key.startsWith('alice/'))).toBe(true);
    else expect([400, 403]).toContain(listed.status);
  });

  it.each(foreignUrlSpellings('http://cdn.invalid').map(([name]) => name))('refuses alice DELETE by "%s"', async (name) => {
    // Prepare
    const url = new Map(foreignUrlSpellings(server.cdnBaseUrl, bob.sha256)).get(name)!;

    // Act
    const deleted = await api('alice', 'DELETE', `/objects?url=${encodeURIComponent(url)}`);

    // Assess
    expect([403, 404]).toContain(deleted.status);
  });
});
