import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { makeImage } from '../support/image-fixtures';
import {
  animatedGif,
  cmykJpeg,
  heicBomb,
  phoneHeic,
  polyglots,
  screenshotPngWithAlpha,
  sidewaysPhoneJpeg,
  sixteenBitPng,
  smoothJpeg,
} from '../support/model-ready-fixtures';
import { embeddedS3Client, listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const dir = makeTempDir('model-ready-e2e');
const apiKey = 'key-alice';
let server: LocalServer;

// `any`: the answers are checked field by field (biome.json allows it in tests).
type Json = any;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['alice', apiKey]]) });
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(`${server.apiUrl}${path}`, {
    method,
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Uploads through the base64 route, or a presigned PUT (polling its status) when too big. */
async function upload(
  bytes: Buffer,
  contentType: string,
  fit?: string,
): Promise<{ status: number; json: Json }> {
  if (bytes.length <= 4_400_000)
    return api('POST', '/uploads', { image: bytes.toString('base64'), ...(fit && { fit }) });
  const presigned = await api('POST', '/presign', {
    method: 'PUT',
    contentType,
    contentLength: bytes.length,
    ...(fit && { fit }),
  });
  expect(presigned.status).toBe(200);
  const put = await fetch(presigned.json.url, {
    method: 'PUT',
    headers: presigned.json.headers,
    body: bytes,
  });
  expect(put.status).toBe(200);
  let status: Json;
  await expect
    .poll(async () => (status = (await api('GET', presigned.json.statusPath)).json).status, {
      timeout: 30_000,
    })
    .not.toBe('pending');
  return status.status === 'published' ? { status: 201, json: status } : { status: 422, json: status };
}

/** What a model fetching the URL gets: a direct 200 with exact type and length, decoded. */
async function fetchServed(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(response.headers.get('content-length')).toBe(String(bytes.length));
  const metadata = await sharp(bytes).metadata();
  return { bytes, contentType: response.headers.get('content-type'), metadata };
}

const anthropicTokens = (w: number, h: number) => Math.ceil(w / 28) * Math.ceil(h / 28);
const openaiPatches = (w: number, h: number) => Math.ceil(w / 32) * Math.ceil(h / 32);

describe('model-ready renditions (universal), over real HTTP', () => {
  it.each([
    ['a 12 MP phone JPEG with GPS and Orientation 6', () => sidewaysPhoneJpeg(), 'image/jpeg'],
    ['a phone HEIC with GPS', async () => phoneHeic(), 'image/heic'],
    ['an AVIF', () => makeImage('avif', 2000, 1500), 'image/avif'],
    ['an animated GIF', () => animatedGif(), 'image/gif'],
    ['a PNG screenshot with alpha', () => screenshotPngWithAlpha(), 'image/png'],
    ['a CMYK JPEG', () => cmykJpeg(), 'image/jpeg'],
    ['a 16-bit PNG', () => sixteenBitPng(), 'image/png'],
    ['a 12000×300 panorama', () => smoothJpeg(12_000, 300), 'image/jpeg'],
    ['an 8000×8000 JPEG', () => smoothJpeg(8000, 8000), 'image/jpeg'],
  ])('%s gives a URL every provider accepts unchanged', async (_, make, contentType) => {
    // Prepare
    const bytes = await make();

    // Act
    const { status, json } = await upload(bytes, contentType);
    const served = await fetchServed(json.url);

    // Assess
    expect(status).toBe(201);
    expect(['image/jpeg', 'image/png', 'image/webp']).toContain(served.contentType);
    expect(served.contentType).toBe(json.contentType);
    const { width, height } = served.metadata;
    expect({ width, height }).toEqual({ width: json.width, height: json.height });
    expect(Math.max(width, height)).toBeLessThanOrEqual(1568);
    expect(anthropicTokens(width, height)).toBeLessThanOrEqual(1568);
    expect(openaiPatches(width, height)).toBeLessThanOrEqual(2500);
    expect(served.bytes.length).toBeLessThanOrEqual(5 * 1024 * 1024);
    const { exif, xmp, iptc, icc, pages } = served.metadata;
    expect({ exif, xmp, iptc, icc, pages }).toEqual({
      exif: undefined,
      xmp: undefined,
      iptc: undefined,
      icc: undefined,
      pages: undefined,
    });
    expect(served.metadata.orientation ?? 1).toBe(1);
    expect(served.metadata.depth).toBe('uchar');
    expect(json.tokens.anthropic).toBe(anthropicTokens(width, height));
    expect(json.tokens.openai).toBe(openaiPatches(width, height));
    expect(json.sha256).toBe(sha256(served.bytes));
    expect(json.original).toMatchObject({ contentType, size: bytes.length });
    expect(json.prompt.anthropic).toEqual({ type: 'image', source: { type: 'url', url: json.url } });
    expect(json.prompt.gemini).toEqual({ fileData: { mimeType: json.contentType, fileUri: json.url } });
  });

  it('serves a sideways phone photo upright: red on top, blue below', async () => {
    // Prepare: stored 400×300 with the left half red; Orientation 6 turns it a quarter clockwise.
    const bytes = await sidewaysPhoneJpeg(400, 300);

    // Act
    const { json } = await upload(bytes, 'image/jpeg');
    const served = await fetchServed(json.url);
    const { data, info } = await sharp(served.bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];

    // Assess
    expect({ width: info.width, height: info.height }).toEqual({ width: 300, height: 400 });
    expect(pixel(150, 50)[0]).toBeGreaterThan(180);
    expect(pixel(150, 350)[2]).toBeGreaterThan(180);
    expect(served.bytes.includes('Apple')).toBe(false);
  });

  it('serves an already-fit PNG without metadata byte for byte as uploaded', async () => {
    // Prepare
    const png = await makeImage('png', 640, 480);

    // Act
    const { json } = await upload(png, 'image/png');
    const served = await fetchServed(json.url);

    // Assess
    expect(json.method).toBe('as-uploaded');
    expect(sha256(served.bytes)).toBe(sha256(png));
    // The URL is opaque (issue 19): it never carries the served bytes' digest.
    expect(json.url).toMatch(/\/[0-9a-f]{40}\.png$/);
    expect(json.url).not.toContain(sha256(png));
  });

  it('removes only the metadata of an upright JPEG that already fits, keeping its image data', async () => {
    // Prepare
    const jpeg = await sharp(await smoothJpeg(800, 600))
      .withExif({ IFD0: { Make: 'Apple' } })
      .toBuffer();

    // Act
    const { json } = await upload(jpeg, 'image/jpeg');
    const served = await fetchServed(json.url);

    // Assess
    expect(json.method).toBe('metadata-stripped');
    expect(served.metadata.exif).toBeUndefined();
    const scan = (b: Buffer) => b.subarray(b.lastIndexOf(Buffer.from([0xff, 0xda])));
    expect(scan(served.bytes).equals(scan(jpeg))).toBe(true);
  });
});

describe('hostile images', () => {
  it.each(['jpegHtml', 'jpegZip', 'gifScript'] as const)(
    '%s: the served object holds no trace of the appended data',
    async (name) => {
      // Prepare
      const { bytes, trace } = (await polyglots())[name];

      // Act
      const { status, json } = await upload(bytes, 'image/jpeg');

      // Assess
      if (status !== 201) return expect(status).toBe(422);
      const served = await fetchServed(json.url);
      expect(served.bytes.includes(trace)).toBe(false);
    },
  );

  it('refuses the HEIC whose later size record is 30000×30000 (422, nothing stored)', async () => {
    // Prepare
    const before = await listStoredKeys(server.s3Endpoint, server.bucketName);

    // Act
    const { status, json } = await api('POST', '/uploads', { image: heicBomb().toString('base64') });

    // Assess
    expect(status).toBe(422);
    expect(json.error).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(await listStoredKeys(server.s3Endpoint, server.bucketName)).toEqual(before);
  });

  it('answers 400 naming the profiles for a fit that does not exist, storing nothing', async () => {
    // Prepare
    const before = await listStoredKeys(server.s3Endpoint, server.bucketName);

    // Act
    const { status, json } = await api('POST', '/uploads', {
      image: (await makeImage('png')).toString('base64'),
      fit: 'gpt-9',
    });

    // Assess
    expect(status).toBe(400);
    expect(json.error).toBe('UNKNOWN_PROFILE');
    expect(json.message).toContain('universal');
    expect(await listStoredKeys(server.s3Endpoint, server.bucketName)).toEqual(before);
  });
});

describe('profiles', () => {
  it('makes another profile of a stored image from the kept upload, not from the smaller rendition', async () => {
    // Prepare
    const { json: universal } = await upload(await smoothJpeg(3000, 2000), 'image/jpeg');

    // Act
    const { status, json: original } = await api('POST', '/renditions', {
      key: universal.key,
      fit: 'original',
    });
    const { json: openai } = await api('POST', '/renditions', { url: universal.url, fit: 'openai' });

    // Assess
    expect(status).toBe(201);
    expect({ w: original.width, h: original.height }).toEqual({ w: 3000, h: 2000 });
    expect(Math.max(openai.width, openai.height)).toBeLessThanOrEqual(2048);
    expect(openaiPatches(openai.width, openai.height)).toBeLessThanOrEqual(2500);
    expect(openai.width).toBeGreaterThan(1568);
  });

  it('answers a rendition inline as base64, with blocks for providers that take no URL', async () => {
    // Act
    const { json } = await api('POST', '/uploads', {
      image: (await smoothJpeg(800, 600)).toString('base64'),
      inline: true,
    });

    // Assess
    expect(Buffer.from(json.base64, 'base64').length).toBe(json.size);
    expect(json.promptInline.anthropic).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/jpeg', data: json.base64 },
    });
  });

  it('reports width, height and profile in GET /objects/{key}', async () => {
    // Prepare
    const { json: uploaded } = await upload(await smoothJpeg(3000, 2000), 'image/jpeg', 'anthropic');

    // Act
    const { json } = await api('GET', `/objects/${uploaded.key}`);

    // Assess
    expect(json).toMatchObject({ width: uploaded.width, height: uploaded.height, profile: 'anthropic' });
    expect(json.original).toMatchObject({ contentType: 'image/jpeg', width: 3000, height: 2000 });
  });
});

describe('objects stored before renditions existed', () => {
  it('keep working: info without rendition fields, another profile made from them, delete', async () => {
    // Prepare: a raw JPEG with EXIF, stored the way uploads were before this pipeline.
    const jpeg = await sharp(await smoothJpeg(2400, 1600))
      .withExif({ IFD0: { Make: 'Apple' } })
      .toBuffer();
    const key = `alice/${sha256(jpeg)}.jpg`;
    const s3 = embeddedS3Client(server, server.cdnBaseUrl);
    await s3.send(
      new PutObjectCommand({
        Bucket: server.bucketName,
        Key: key,
        Body: jpeg,
        ContentType: 'image/jpeg',
        Metadata: { client: 'alice', sha256: sha256(jpeg) },
      }),
    );

    // Act
    const info = await api('GET', `/objects/${key}`);
    const rendition = await api('POST', '/renditions', { key, fit: 'universal' });
    const deleted = await fetch(`${server.apiUrl}/objects/${key}`, {
      method: 'DELETE',
      headers: { 'x-api-key': apiKey },
    });

    // Assess
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ key, contentType: 'image/jpeg', sha256: sha256(jpeg) });
    expect(info.json.width).toBeUndefined();
    expect(rendition.status).toBe(201);
    expect(rendition.json).toMatchObject({
      width: 1344,
      height: 896,
      original: { width: 2400, height: 1600 },
    });
    expect((await fetchServed(rendition.json.url)).metadata.exif).toBeUndefined();
    expect(deleted.status).toBe(204);
    expect((await api('GET', `/objects/${key}`)).status).toBe(404);
    s3.destroy();
  });
});
