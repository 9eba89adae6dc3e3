import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../infra/local/local-server';
import { runCli } from '../../../clients/typescript/src/cli-main.ts';
import { ImageProxyClient, NotFoundError } from '../../../clients/typescript/src/index.ts';
import { makeNoisyPng, noisyPng } from '../../support/image-fixtures';
import { makeTempDir } from '../../support/temp-dir';

// The catalogue's calls of the TypeScript client and s3ip, end to end against local mode (the
// embedded S3 and DynamoDB behind the real handlers).
const KEY = 'catalogue-client-key';
const dir = makeTempDir('ts-client-catalogue');
let server: LocalServer;
let client: ImageProxyClient;
let seed = 0;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: join(dir.path, 'data'),
    clients: new Map([['carol', KEY]]),
    // Folders of more than one image are erased in the background: eraseFolder polls (202).
    env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000', ERASE_IN_BACKGROUND_ABOVE: '1' },
  });
  client = new ImageProxyClient({ apiUrl: server.apiUrl, apiKey: KEY });
});

afterAll(async () => {
  await server?.close();
  dir.remove();
});

const freshPng = () => makeNoisyPng(2_000, 31_000 + ++seed);

async function keysIn(folder: string, options: { recursive?: boolean; tags?: string[] } = {}) {
  const keys: string[] = [];
  for await (const item of client.list({ folder, ...options })) keys.push(item.key);
  return keys.sort();
}

describe('the TypeScript client and the catalogue, against local mode', () => {
  it('files raw-byte, base64 (with metadata) and presigned uploads with their folder, tags and metadata', async () => {
    // Prepare
    const folder = 'users/alice@example.com';

    // Act
    const raw = await client.upload(await freshPng(), { folder, tags: ['raw', 'a'] });
    const withMeta = await client.upload(await freshPng(), {
      folder,
      tags: ['b64'],
      metadata: { order: '42' },
    });
    const presigned = await client.upload(await freshPng(), {
      via: 'presigned',
      folder,
      tags: ['put'],
      metadata: { via: 'presign' },
    });

    // Assess
    expect(await client.info(raw.key)).toMatchObject({ folder, tags: ['raw', 'a'], source: 'upload' });
    expect(await client.info(withMeta.key)).toMatchObject({
      folder,
      tags: ['b64'],
      metadata: { order: '42' },
    });
    expect(await client.info(presigned.key)).toMatchObject({
      folder,
      tags: ['put'],
      metadata: { via: 'presign' },
      source: 'presign',
    });
  });

  it('lists one folder, a tree with recursive, and filters by tags', async () => {
    // Prepare
    const a = await client.upload(await freshPng(), { folder: 'tree/a', tags: ['x', 'y'] });
    const b = await client.upload(await freshPng(), { folder: 'tree/a/b', tags: ['x'] });

    // Act
    const flat = await keysIn('tree/a');
    const deep = await keysIn('tree', { recursive: true });
    const both = await keysIn('tree', { recursive: true, tags: ['x', 'y'] });

    // Assess
    expect(flat).toEqual([a.key]);
    expect(deep).toEqual([a.key, b.key].sort());
    expect(both).toEqual([a.key]);
  });

  it('changes tags, metadata and filename with updateImage, by key or URL', async () => {
    // Prepare
    const image = await client.upload(await freshPng(), {
      folder: 'patch',
      tags: ['old'],
      filename: 'a.png',
    });

    // Act
    const byKey = await client.updateImage(image.key, { tags: ['new'], metadata: { k: 'v' } });
    const byUrl = await client.updateImage(image.url, { filename: 'b.png' });

    // Assess
    expect(byKey).toMatchObject({ tags: ['new'], metadata: { k: 'v' } });
    expect(byUrl).toMatchObject({ tags: ['new'], metadata: { k: 'v' }, filename: 'b.png' });
    expect(await client.info(image.key)).toMatchObject({ filename: 'b.png', tags: ['new'] });
  });

  it('counts a folder with stats and erases it with eraseFolder (in the background, polled to done), leaving its neighbour', async () => {
    // Prepare
    const gone = [
      await client.upload(await freshPng(), { folder: 'erase/me' }),
      await client.upload(await freshPng(), { folder: 'erase/me/deeper' }),
    ];
    const kept = await client.upload(await freshPng(), { folder: 'erase/keep' });
    const before = await client.stats({ folder: 'erase/me' });

    // Act
    const answer = await client.eraseFolder('erase/me', { intervalMs: 50 });

    // Assess
    expect(before.images).toBe(2);
    expect(answer).toEqual({ deleted: 2 });
    expect((await client.stats({ folder: 'erase/me' })).images).toBe(0);
    for (const image of gone) await expect(client.info(image.key)).rejects.toThrow(NotFoundError);
    expect((await client.info(kept.key)).folder).toBe('erase/keep');
    expect((await client.stats({ folder: 'erase/keep' })).images).toBe(1);
  });

  it('throws the typed 400 of a hostile folder, tag or metadata, storing nothing', async () => {
    // Prepare
    const png = await freshPng();
    const before = await client.stats();

    // Act
    const folder = client.upload(png, { folder: '../etc' });
    const tags = client.upload(png, { tags: ['<script>'] });
    const metadata = client.upload(png, { metadata: { k: 'x'.repeat(3000) } });

    // Assess
    await expect(folder).rejects.toMatchObject({ code: 'INVALID_FOLDER', status: 400 });
    await expect(tags).rejects.toMatchObject({ code: 'INVALID_TAGS', status: 400 });
    await expect(metadata).rejects.toMatchObject({ code: 'INVALID_METADATA', status: 400 });
    expect(await client.stats()).toEqual(before);
  });
});

describe('s3ip and the catalogue, against local mode', () => {
  async function cli(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      env: { S3IP_API_URL: server.apiUrl, S3IP_API_KEY: KEY },
      cwd: dir.path,
    });
    return { code, stdout, stderr };
  }

  it('uploads into a folder with tags, lists and counts it, then erases it with --yes', async () => {
    // Prepare
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir.path, 'one.png'), await noisyPng(40, 30, 1));

    // Act
    const upload = await cli([
      'upload',
      'one.png',
      '--folder',
      'cli/f',
      '--tag',
      't1',
      '--tag',
      't2',
      '--json',
    ]);
    const ls = await cli(['ls', '--folder', 'cli', '--recursive', '--tag', 't2', '--json']);
    const stats = await cli(['stats', '--folder', 'cli/f', '--json']);
    const refused = await cli(['rm', '--folder', 'cli/f']);
    const erased = await cli(['rm', '--folder', 'cli/f', '--yes', '--json']);

    // Assess
    expect(upload.code).toBe(0);
    const [uploaded] = JSON.parse(upload.stdout);
    expect(JSON.parse(ls.stdout).map((item: { key: string }) => item.key)).toEqual([uploaded.key]);
    expect(JSON.parse(stats.stdout).images).toBe(1);
    expect(refused.code).toBe(2);
    expect(JSON.parse(erased.stdout)).toEqual({ folder: 'cli/f', deleted: 1 });
    expect(JSON.parse((await cli(['stats', '--folder', 'cli/f', '--json'])).stdout).images).toBe(0);
  });
});
