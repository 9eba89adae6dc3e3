import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  ImageProxyClient,
  InvalidImageError,
  NotFoundError,
  renditionUrl,
  UnsupportedMediaTypeError,
  type ObjectListItem,
  type UploadProgress,
} from '../../../clients/typescript/src/index.ts';
import { KEY, served, sha256 } from '../../support/client-local';
import { UNTHROTTLED, useLocalServer } from '../../support/file-server';
import { makeNoisyPng, noisyPng, REFUSED_SAMPLES } from '../../support/image-fixtures';

const local = useLocalServer(
  'ts-client',
  { alice: KEY, bob: 'bob-key' },
  { env: { ...UNTHROTTLED, S3_MAX_ATTEMPTS: '1' }, s3FaultProxy: true },
);
let client: ImageProxyClient;
let seed = 0;

beforeAll(() => {
  client = new ImageProxyClient({ apiUrl: local.server.apiUrl, apiKey: KEY });
});

const freshPng = () => makeNoisyPng(4_000, 7_000 + ++seed);

describe('the TypeScript client against local mode', () => {
  it('uploads bytes through POST /uploads and answers the model-ready URL', async () => {
    // Prepare
    const png = await freshPng();
    const progress: UploadProgress[] = [];

    // Act
    const answer = await client.upload(png, { filename: 'small.png', onProgress: (p) => progress.push(p) });

    // Assess
    expect(answer).toMatchObject({ contentType: 'image/png', method: 'as-uploaded', sha256: sha256(png) });
    expect((await served(answer.url)).equals(png)).toBe(true);
    expect(progress.map((p) => [p.via, p.phase])).toEqual([
      ['direct', 'sending'],
      ['direct', 'done'],
    ]);
    expect((await client.info(answer.key)).filename).toBe('small.png');
  });

  it('uploads a 20 MB PNG file through a presigned PUT, reporting progress, and waits until it is published', async () => {
    // Prepare
    const png = await noisyPng(2600, 2600, 99);
    const path = join(local.dataDir, 'big.png');
    writeFileSync(path, png);
    const progress: UploadProgress[] = [];

    // Act
    const answer = await client.uploadFile(path, { fit: 'original', onProgress: (p) => progress.push(p) });

    // Assess
    expect(png.length).toBeGreaterThan(20_000_000);
    expect(answer).toMatchObject({ width: 2600, height: 2600, profile: 'original', method: 'as-uploaded' });
    expect(answer).not.toHaveProperty('status');
    expect(sha256(await served(answer.url))).toBe(sha256(png));
    expect(new Set(progress.map((p) => p.via))).toEqual(new Set(['presigned']));
    const sending = progress.filter((p) => p.phase === 'sending').map((p) => p.sentBytes);
    expect(sending.length).toBeGreaterThan(100);
    expect(sending).toEqual([...sending].sort((a, b) => a - b));
    expect(sending.at(-1)).toBe(png.length);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', sentBytes: png.length, totalBytes: png.length });
    expect((await client.info(answer.url)).filename).toBe('big.png');
  });

  it('uploads a stream of known size through a presigned PUT', async () => {
    // Prepare
    const png = await freshPng();

    // Act
    const answer = await client.upload(new Blob([png]).stream(), { size: png.length, via: 'presigned' });

    // Assess
    expect(answer.sha256).toBe(sha256(png));
  });

  it('throws the typed error of a presigned upload the check refused, with its upload id', async () => {
    // Act
    const refused = client.upload(REFUSED_SAMPLES.svg, { via: 'presigned', contentType: 'image/png' });

    // Assess
    await expect(refused).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    await expect(refused).rejects.toMatchObject({
      status: 415,
      uploadId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('throws the typed error of a direct upload the service refused', async () => {
    // Act / Assess
    await expect(client.upload(Buffer.from('iVBORw0KGgo=', 'base64'))).rejects.toBeInstanceOf(
      InvalidImageError,
    );
  });

  it('falls back to a presigned PUT when the service answers 413 to a direct upload', async () => {
    // Prepare: a client that believes in a higher limit than the deployment's
    const generous = new ImageProxyClient({
      apiUrl: local.server.apiUrl,
      apiKey: KEY,
      maxDirectUploadBytes: 8_000_000,
    });
    const png = await makeNoisyPng(5_000_000, 8_000 + ++seed);
    const progress: UploadProgress[] = [];

    // Act
    const answer = await generous.upload(png, { fit: 'original', onProgress: (p) => progress.push(p) });

    // Assess
    expect(answer.sha256).toBe(sha256(png));
    expect(progress[0]!.via).toBe('direct');
    expect(progress.at(-1)!.via).toBe('presigned');
  });

  it('presigns, lists page by page, reads info, makes renditions and deletes by key and by URL', async () => {
    // Prepare
    const uploaded = [];
    for (let i = 0; i < 3; i++) uploaded.push(await client.upload(await freshPng()));
    const [first, second, third] = uploaded as [
      (typeof uploaded)[0],
      (typeof uploaded)[0],
      (typeof uploaded)[0],
    ];

    // Act
    const get = await client.presignGet(first.key, { expiresIn: 60 });
    const read = await fetch(get.url);
    const readBytes = Buffer.from(await read.arrayBuffer());
    const batch = await client.presignBatch([
      { method: 'GET', key: second.key },
      { method: 'PUT', contentType: 'image/png', contentLength: 10 },
    ]);
    const pages: number[] = [];
    for await (const page of client.listPages({ pageSize: 2 })) pages.push(page.items.length);
    const items: ObjectListItem[] = [];
    for await (const item of client.list({ pageSize: 2 })) items.push(item);
    const rendition = await client.rendition(third.url, { fit: 'openai' });
    await client.delete(first.key);
    await client.delete(second.url);
    await client.delete(second.url);

    // Assess
    expect([read.status, get.key, sha256(readBytes)]).toEqual([200, first.key, first.sha256]);
    expect(batch.map((item) => item.method)).toEqual(['GET', 'PUT']);
    expect(pages.reduce((sum, n) => sum + n, 0)).toBe(items.length);
    expect(pages.length).toBe(Math.ceil(items.length / 2));
    expect(items.map((item) => item.key)).toEqual([...items.map((item) => item.key)].sort());
    expect(items.map((item) => item.key)).toEqual(expect.arrayContaining(uploaded.map((u) => u.key)));
    expect(rendition.profile).toBe('openai');
    await expect(client.info(first.key)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.info(second.key)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect((await client.openApiDocument()).openapi).toMatch(/^3\.1\./);
  });

  it('uploads an image and fetches a rendition of it at the CDN by the URL renditionUrl writes', async () => {
    // Prepare
    const answer = await client.upload(await noisyPng(200, 150, 9_000 + ++seed));
    const url = renditionUrl(answer.url, { w: 64, h: 64, fit: 'cover', format: 'webp' });

    // Act
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());

    // Assess
    expect(url).toBe(`${answer.url}?w=64&h=64&fit=cover&format=webp`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'image/webp']);
    const { format, width, height } = await sharp(bytes).metadata();
    expect({ format, width, height }).toEqual({ format: 'webp', width: 64, height: 64 });
  });

  it('throws ForbiddenError for a wrong key, without retrying', async () => {
    // Prepare
    const stranger = new ImageProxyClient({ apiUrl: local.server.apiUrl, apiKey: 'wrong' });

    // Act / Assess
    await expect(stranger.upload(await freshPng())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(stranger.list().next()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('retries a 503 from storage after its Retry-After, and succeeds at the same URL', async () => {
    // Prepare
    const png = await freshPng();
    local.proxy.clear();
    local.proxy.inject('slowdown', { times: 1, method: 'PUT' });

    // Act
    const answer = await client.upload(png);

    // Assess
    expect(local.proxy.log.filter((entry) => entry.method === 'PUT').map((entry) => entry.fault)).toEqual([
      'slowdown',
      'pass',
    ]);
    expect(answer.sha256).toBe(sha256(png));
    local.proxy.clear();
  });
});
