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

async function uploadViaApi(
  client: Client,
  bytes: Buffer,
): Promise<{ key: string; url: string; sha256: string }> {
  const result = await api(client, 'POST', '/uploads', { image: bytes.toString('base64') });
  expect(result.status).toBe(201);
  return result.json as { key: string; url: string; sha256: string };
}

async function presignedPut(client: Client, bytes: Buffer, contentType: string) {
  const answer = (
    await api(client, 'POST', '/presign', { method: 'PUT', contentType, contentLength: bytes.length })
  ).json!;
  const put = await fetch(answer.url, { method: 'PUT', headers: answer.headers, body: bytes });
  expect(put.status).toBe(200);
  return answer as { uploadId: string; statusPath: string; url: string };
}

/** Polls `GET /uploads/{id}` until the check has decided. */
async function settled(client: Client, statusPath: string): Promise<Record<string, any>> {
  let status: Record<string, any> = {};
  await expect
    .poll(async () => (status = (await api(client, 'GET', statusPath)).json!).status, {
      timeout: 30_000,
      interval: 50,
    })
    .not.toBe('pending');
  return status;
}

/** The CDN stand-in's status for a public URL (body drained). */
async function cdnStatus(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
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
  it('serves a 20 MB PNG uploaded through a presigned PUT once checked, at full size with fit=original', async () => {
    // Prepare
    const png = await noisyPng(2600, 2600);
    expect(png.length).toBeGreaterThan(20_000_000);

    // Act
    const presigned = (
      await api('alice', 'POST', '/presign', {
        method: 'PUT',
        contentType: 'image/png',
        contentLength: png.length,
        fit: 'original',
      })
    ).json!;
    const put = await fetch(presigned.url, { method: 'PUT', headers: presigned.headers, body: png });
    const uploaded = performance.now();
    const quarantined = await cdnStatus(
      `${server.cdnBaseUrl}${new URL(presigned.url).pathname.replace(`/${server.bucketName}`, '')}`,
    );
    const status = await settled('alice', presigned.statusPath);
    // A measurement for the README, not an assertion.
    console.info(
      `20 MB PNG servable ${Math.round(performance.now() - uploaded)} ms after its presigned PUT returned`,
    );
    const served = await fetch(status.url);
    const body = Buffer.from(await served.arrayBuffer());

    // Assess
    expect(put.status).toBe(200);
    expect(quarantined).toBe(404);
    expect(status).toMatchObject({
      status: 'published',
      profile: 'original',
      method: 'as-uploaded',
      width: 2600,
      height: 2600,
    });
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(body.equals(png)).toBe(true);
  });

  it('never serves an SVG uploaded the same way, and tells its client why', async () => {
    // Prepare
    const before = (await api('alice', 'GET', '/objects')).json!.items;

    // Act
    const answer = await presignedPut('alice', REFUSED_SAMPLES.svg, 'image/png');
    const whileQuarantined = await cdnStatus(
      `${server.cdnBaseUrl}${new URL(answer.url).pathname.replace(`/${server.bucketName}`, '')}`,
    );
    const status = await settled('alice', answer.statusPath);

    // Assess
    expect(whileQuarantined).toBe(404);
    expect(status).toMatchObject({ status: 'refused', error: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await api('alice', 'GET', '/objects')).json!.items).toEqual(before);
  });

  it('never tells another client the outcome of an upload: it reads as pending', async () => {
    // Prepare
    const answer = await presignedPut('alice', REFUSED_SAMPLES.svg, 'image/png');
    await settled('alice', answer.statusPath);

    // Act
    const asBob = await api('bob', 'GET', answer.statusPath);

    // Assess
    expect(asBob.json).toEqual({ status: 'pending' });
  });
});

describe('objects API in local mode', () => {
  it("lists only the caller's objects, page by page", async () => {
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
    // Opaque keys (issue 19) name no digest: the bucket listing knows only the type from the name.
    expect(listed[0]).toMatchObject({ contentType: 'image/png', url: expect.stringContaining('/cdn/bob/') });
  });

  it('answers info, then deletes by key and by URL, twice each, after which the CDN answers 404', async () => {
    // Prepare
    const [byKey, byUrl] = await Promise.all([
      uploadViaApi('alice', await noisyPng(5, 5)),
      uploadViaApi('alice', await noisyPng(6, 6)),
    ]);
    const info = await api('alice', 'GET', `/objects/${byKey.key}`);

    // Act
    const keyDeletes = [
      await api('alice', 'DELETE', `/objects/${byKey.key}`),
      await api('alice', 'DELETE', `/objects/${byKey.key}`),
    ];
    const urlPath = `/objects?url=${encodeURIComponent(byUrl.url)}`;
    const urlDeletes = [await api('alice', 'DELETE', urlPath), await api('alice', 'DELETE', urlPath)];

    // Assess
    expect(info.json).toMatchObject({
      key: byKey.key,
      contentType: 'image/png',
      sha256: byKey.sha256,
      url: byKey.url,
    });
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
    if (listed.status === 200)
      expect(listed.json!.items.every((item: { key: string }) => item.key.startsWith('alice/'))).toBe(true);
    else expect([400, 403]).toContain(listed.status);
  });

  it.each(foreignUrlSpellings('http://cdn.invalid').map(([name]) => name))(
    'refuses alice DELETE by "%s"',
    async (name) => {
      // Prepare
      const url = new Map(foreignUrlSpellings(server.cdnBaseUrl, bob.sha256)).get(name)!;

      // Act
      const deleted = await api('alice', 'DELETE', `/objects?url=${encodeURIComponent(url)}`);

      // Assess
      expect([403, 404]).toContain(deleted.status);
    },
  );
});
