import { PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { fitDimensions, profileNamed } from '../../lambdas/core/model-profiles';
import { sidewaysPhoneJpeg } from '../support/model-ready-fixtures';
import { embeddedS3Client, listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const dir = makeTempDir('cdn-renditions-e2e');
const apiKey = 'key-alice';
let server: LocalServer;
/** The public URL of a 12 MP phone JPEG (Orientation 6, GPS) uploaded once. */
let photoUrl: string;

const CHROME_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const SAFARI_17_ACCEPT =
  'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';
const SAFARI_15_ACCEPT = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5';

beforeAll(async () => {
  server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['alice', apiKey]]) });
  const photo = await sidewaysPhoneJpeg();
  const response = await fetch(`${server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'image/jpeg' },
    body: photo,
  });
  expect(response.status).toBe(201);
  photoUrl = ((await response.json()) as { url: string }).url;
}, 60_000);
afterAll(async () => {
  await server.close();
  dir.remove();
});

/** The size the anthropic profile gives the upright 3024×4032 photo. */
function anthropicSize(): [number, number] {
  const { width, height } = fitDimensions(3024, 4032, profileNamed('anthropic'));
  return [width, height];
}

const storedRenditions = async () =>
  (await listStoredKeys(server.s3Endpoint, server.bucketName)).filter((key) =>
    key.startsWith('_renditions/'),
  );

/** What a viewer gets: a direct 200 with exact type and length, decoded, with its top and bottom colours. */
async function fetchRendition(url: string, accept?: string) {
  const response = await fetch(url, { redirect: 'manual', headers: accept ? { accept } : {} });
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(response.headers.get('content-length')).toBe(String(bytes.length));
  const metadata = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
  ];
  const middle = Math.floor(info.width / 2);
  return {
    contentType: response.headers.get('content-type'),
    cacheControl: response.headers.get('cache-control'),
    metadata,
    top: pixel(middle, 2),
    bottom: pixel(middle, info.height - 3),
  };
}

describe('renditions at the CDN, over real HTTP in local mode', () => {
  it.each([
    ['?w=256&h=256&fit=cover', undefined, 'image/jpeg', 256, 256],
    ['?w=800&format=webp', undefined, 'image/webp', 800, 1067],
    ['?format=auto', CHROME_ACCEPT, 'image/avif', 3024, 4032],
    ['?format=auto', SAFARI_17_ACCEPT, 'image/avif', 3024, 4032],
    ['?format=auto', SAFARI_15_ACCEPT, 'image/webp', 3024, 4032],
    ['?fit=anthropic', undefined, 'image/jpeg', ...anthropicSize()],
  ])(
    '%s (Accept %s) serves %s %i×%i, upright, with no metadata',
    async (query, accept, type, width, height) => {
      // Act
      const served = await fetchRendition(`${photoUrl}${query}`, accept);

      // Assess
      expect(served.contentType).toBe(type);
      expect({ width: served.metadata.width, height: served.metadata.height }).toEqual({ width, height });
      // Stored sideways with its left half red; upright, red is on top and blue below.
      expect(served.top[0]).toBeGreaterThan(180);
      expect(served.bottom[2]).toBeGreaterThan(180);
      const { exif, xmp, iptc, icc } = served.metadata;
      expect({ exif, xmp, iptc, icc }).toEqual({
        exif: undefined,
        xmp: undefined,
        iptc: undefined,
        icc: undefined,
      });
      expect(served.metadata.orientation ?? 1).toBe(1);
      expect(served.cacheControl).toBe('public, max-age=31536000, immutable');
    },
    60_000,
  );

  it('says Vary: Accept on a format=auto rendition, when rendered and when served from storage later', async () => {
    // Prepare
    const url = `${photoUrl}?w=320&format=auto`;
    const made = server.renditionsMade();

    // Act
    const rendered = await fetch(url, { headers: { accept: CHROME_ACCEPT } });
    await rendered.arrayBuffer();
    const renderedCount = server.renditionsMade();
    const stored = await fetch(url, { headers: { accept: CHROME_ACCEPT } });
    await stored.arrayBuffer();

    // Assess
    expect(renderedCount).toBe(made + 1);
    expect(server.renditionsMade()).toBe(renderedCount); // the second came from storage
    expect([rendered.status, stored.status]).toEqual([200, 200]);
    expect(rendered.headers.get('vary')).toBe('Accept');
    expect(stored.headers.get('vary')).toBe('Accept');
    expect(stored.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serves a second identical request, and another spelling of it, from storage without rendering again', async () => {
    // Prepare
    await fetchRendition(`${photoUrl}?w=640&format=webp`);
    const made = server.renditionsMade();
    const stored = await storedRenditions();

    // Act
    const again = await fetchRendition(`${photoUrl}?w=640&format=webp`);
    const respelled = await fetchRendition(`${photoUrl}?FORMAT=webp&fit=inside&w=630`);

    // Assess
    expect(server.renditionsMade()).toBe(made);
    expect(await storedRenditions()).toEqual(stored);
    expect(again.contentType).toBe('image/webp');
    expect(respelled.metadata.width).toBe(640);
  }, 60_000);

  it.each([
    ['w=0', 'w'],
    ['w=99999', 'w'],
    ['format=svg', 'format'],
    ['fit=../../x', 'fit'],
    [
      Array.from({ length: 50 }, (_, i) => `p${i}${Math.random().toString(36).slice(2, 6)}=1`).join('&'),
      undefined,
    ],
  ])('answers ?%s with 400 naming the parameter, never reaching the renderer', async (query, parameter) => {
    // Prepare
    const made = server.renditionsMade();
    const stored = await storedRenditions();

    // Act
    const response = await fetch(`${photoUrl}?${query}`);
    const body = (await response.json()) as { error: string; message: string; parameter?: string };

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(['INVALID_PARAMETER', 'UNKNOWN_PARAMETER']).toContain(body.error);
    if (parameter) expect(body.parameter).toBe(parameter);
    expect(server.renditionsMade()).toBe(made);
    expect(await storedRenditions()).toEqual(stored);
  });

  it('answers a rendition of a missing image with a JSON 404, storing nothing', async () => {
    // Prepare
    const missing = photoUrl.replace(/\/[0-9a-f]{40,64}\./, `/${'f'.repeat(40)}.`);
    expect(missing).not.toBe(photoUrl);
    const stored = await storedRenditions();

    // Act
    const response = await fetch(`${missing}?w=256`);

    // Assess
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toBe('NOT_FOUND');
    expect(await storedRenditions()).toEqual(stored);
  });

  it('answers 422 for an image the decoder refuses, storing nothing', async () => {
    // Prepare: bytes that claim to be a PNG, put straight into storage under a servable key.
    const key = `alice/${'e'.repeat(64)}.png`;
    const s3 = embeddedS3Client(server, server.cdnBaseUrl);
    const broken = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]);
    await s3.send(
      new PutObjectCommand({ Bucket: server.bucketName, Key: key, Body: broken, ContentType: 'image/png' }),
    );
    s3.destroy();
    const stored = await storedRenditions();

    // Act
    const response = await fetch(`${server.cdnBaseUrl}/${key}?w=256`);

    // Assess
    expect(response.status).toBe(422);
    expect(await storedRenditions()).toEqual(stored);
  });

  it("answers 404 for a deleted image's renditions, and stores none of them any more", async () => {
    // Prepare
    const photo = await sidewaysPhoneJpeg(1200, 900);
    const uploaded = await fetch(`${server.apiUrl}/uploads`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'image/jpeg' },
      body: photo,
    });
    const { url } = (await uploaded.json()) as { url: string };
    await fetchRendition(`${url}?w=256&h=256&fit=cover`);
    const key = new URL(url).pathname.replace(/^\/cdn\//, '');
    expect((await storedRenditions()).some((stored) => stored.startsWith(`_renditions/${key}/`))).toBe(true);

    // Act
    const deleted = await fetch(`${server.apiUrl}/objects/${key}`, {
      method: 'DELETE',
      headers: { 'x-api-key': apiKey },
    });
    const after = await fetch(`${url}?w=256&h=256&fit=cover`);

    // Assess
    expect(deleted.status).toBe(204);
    expect(after.status).toBe(404);
    expect(((await after.json()) as { error: string }).error).toBe('NOT_FOUND');
    expect((await storedRenditions()).some((stored) => stored.startsWith(`_renditions/${key}/`))).toBe(false);
  }, 60_000);

  it('never serves a private key, with or without parameters', async () => {
    // Act
    const statuses = await Promise.all(
      [
        `_originals/${new URL(photoUrl).pathname.slice(5)}`,
        `_originals/${new URL(photoUrl).pathname.slice(5)}?w=256`,
      ].map(async (path) => (await fetch(`${server.cdnBaseUrl}/${path}`)).status),
    );

    // Assess
    expect(statuses).toEqual([404, 404]);
  });
});
