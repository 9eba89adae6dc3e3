import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Json } from '../support/catalogue-client';
import { HOSTILE_FOLDERS, HOSTILE_METADATA, HOSTILE_TAGS } from '../support/hostile-labels';
import { makeNoisyPng } from '../support/image-fixtures';
import { smoothJpeg } from '../support/model-ready-fixtures';
import { listStoredKeys } from '../support/stored-keys';
import { UNTHROTTLED, useLocalServer } from '../support/file-server';

const local = useLocalServer('catalogue-folders-e2e', { alice: 'key-alice' }, { env: UNTHROTTLED });
const api = local.api('alice');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const storedKeys = () => listStoredKeys(local.server.s3Endpoint, local.server.bucketName);
const list = async (query: string): Promise<Json[]> => {
  const answer = await api.call('GET', `/objects?${query}`);
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return answer.json.items;
};

describe('folders', () => {
  it('gives two end users the same photo under two opaque URLs, and erasing one folder leaves the other exact', async () => {
    // Prepare
    const photo = await smoothJpeg(900, 600);
    const folders = ['users/alice@example.com', 'users/bob@example.com'];

    // Act
    const [alice, bob] = await Promise.all(
      folders.map(
        async (folder) =>
          (await api.upload(photo, 'image/jpeg', `?folder=${encodeURIComponent(folder)}`)).json,
      ),
    );
    const served = Buffer.from(await (await fetch(alice.url)).arrayBuffer());
    const bobBefore = await api.call('GET', `/stats?folder=${encodeURIComponent(folders[1]!)}`);
    const erased = await api.call('DELETE', `/objects?folder=${encodeURIComponent(folders[0]!)}`);

    // Assess: two URLs, neither naming its folder or the served bytes' digest
    expect(alice.url).not.toBe(bob.url);
    for (const url of [alice.url, bob.url]) {
      expect(url.slice(local.server.cdnBaseUrl.length)).not.toMatch(/users|example|%40|@|bob/);
      expect(url).not.toContain(sha256(served));
      expect(url).not.toContain(sha256(photo));
    }
    expect(erased.json).toEqual({ deleted: 1 });
    expect((await fetch(alice.url)).status).toBe(404);
    expect((await fetch(bob.url)).status).toBe(200);
    expect(await list(`folder=${encodeURIComponent(folders[0]!)}`)).toEqual([]);
    expect((await list(`folder=${encodeURIComponent(folders[1]!)}`)).map((item) => item.key)).toEqual([
      bob.key,
    ]);
    expect((await api.call('GET', `/stats?folder=${encodeURIComponent(folders[1]!)}`)).json).toEqual(
      bobBefore.json,
    );
    expect((await api.call('GET', `/stats?folder=${encodeURIComponent(folders[0]!)}`)).json).toMatchObject({
      images: 0,
      bytes: { served: 0, originals: 0 },
    });
  }, 60_000);

  it('lists newest first with filters and stable cursors, and PATCH changes what the listing says', async () => {
    // Prepare
    const folder = 'shop/42';
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await api.postJson('/uploads', {
        image: (await makeNoisyPng(2_000, 500 + i)).toString('base64'),
        folder,
        tags: i === 0 ? ['red', 'big'] : ['red'],
        metadata: { n: String(i) },
        filename: `Item-${i}.png`,
      });
      expect(answer.status).toBe(201);
      keys.push(answer.json.key);
    }

    // Act
    const newestFirst = await list(`folder=${folder}`);
    const page1 = await api.call('GET', `/objects?folder=${folder}&limit=2`);
    const page2 = await api.call('GET', `/objects?folder=${folder}&limit=2&cursor=${page1.json.cursor}`);
    const patched = await api.call(
      'PATCH',
      `/objects/${keys[1]}`,
      JSON.stringify({ tags: ['big'], filename: 'x.png' }),
      {
        'content-type': 'application/json',
      },
    );

    // Assess
    expect(newestFirst.map((item) => item.key)).toEqual([...keys].reverse());
    expect(newestFirst[0]).toMatchObject({
      folder,
      filename: 'Item-2.png',
      tags: ['red'],
      metadata: { n: '2' },
      source: 'upload',
    });
    expect([...page1.json.items, ...page2.json.items].map((item: Json) => item.key)).toEqual(
      [...keys].reverse(),
    );
    expect(page2.json.cursor).toBeUndefined();
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      key: keys[1],
      tags: ['big'],
      filename: 'x.png',
      metadata: { n: '1' },
    });
    expect((await list(`folder=${folder}&tag=red&tag=big`)).map((item) => item.key)).toEqual([keys[0]]);
    expect((await list(`folder=${folder}&tag=big`)).map((item) => item.key)).toEqual([keys[1], keys[0]]);
    expect((await list(`folder=shop&recursive=true&q=item-2`)).map((item) => item.key)).toEqual([keys[2]]);
    expect(await list(`folder=shop`)).toEqual([]);
    expect((await list(`folder=${folder}&source=presign`)).length).toBe(0);
  }, 60_000);
});

describe('hostile folders, tags and metadata (issue 19)', () => {
  const image = () => makeNoisyPng(500, 7);
  type Way = (value: unknown) => Promise<{ status: number; json: Json }>;
  const ways: Record<string, { folder: Way; tags: Way; metadata?: Way }> = {
    'JSON upload': {
      folder: async (folder) =>
        api.postJson('/uploads', { image: (await image()).toString('base64'), folder }),
      tags: async (tags) => api.postJson('/uploads', { image: (await image()).toString('base64'), tags }),
      metadata: async (metadata) =>
        api.postJson('/', { image: (await image()).toString('base64'), metadata }),
    },
    'raw upload query': {
      folder: async (folder) =>
        api.upload(await image(), 'image/png', `?folder=${encodeURIComponent(String(folder))}`),
      tags: async (tags) =>
        api.upload(
          await image(),
          'image/png',
          `?${[tags]
            .flat()
            .map((t) => `tag=${encodeURIComponent(String(t))}`)
            .join('&')}`,
        ),
    },
    presign: {
      folder: (folder) =>
        api.postJson('/presign', { method: 'PUT', contentType: 'image/png', contentLength: 10, folder }),
      tags: (tags) =>
        api.postJson('/presign', { method: 'PUT', contentType: 'image/png', contentLength: 10, tags }),
    },
  };
  const cases = Object.entries(ways).flatMap(([way, send]) => [
    ...HOSTILE_FOLDERS.filter((f) => way !== 'raw upload query' || typeof f === 'string').map(
      (value) => [way, 'folder', value, 'INVALID_FOLDER', send.folder] as const,
    ),
    ...HOSTILE_TAGS.filter(
      (t) => way !== 'raw upload query' || (Array.isArray(t) && t.every((x) => typeof x === 'string')),
    ).map((value) => [way, 'tags', value, 'INVALID_TAGS', send.tags] as const),
    ...(send.metadata
      ? HOSTILE_METADATA.map((value) => [way, 'metadata', value, 'INVALID_METADATA', send.metadata!] as const)
      : []),
  ]);

  it.each(cases)('%s: %s %j is 400 %s, and nothing is stored', async (_way, _field, value, code, send) => {
    // Prepare
    const before = await storedKeys();

    // Act
    const answer = await send(value);

    // Assess
    expect([answer.status, answer.json.error]).toEqual([400, code]);
    expect(await storedKeys()).toEqual(before);
  });
});
