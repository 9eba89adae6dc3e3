import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type Json, storedObjects } from '../support/catalogue-client';
import { smoothJpeg } from '../support/model-ready-fixtures';
import { listStoredKeys } from '../support/stored-keys';
import { useLocalServer } from '../support/file-server';

const local = useLocalServer('catalogue-delete-e2e', { alice: 'key-alice' });
const api = local.api('alice');

const storedKeys = async () =>
  new Set(await listStoredKeys(local.server.s3Endpoint, local.server.bucketName));
const status = async (url: string) => (await fetch(url)).status;

async function uploaded(bytes: Buffer, query = ''): Promise<Json> {
  const answer = await api.upload(bytes, 'image/jpeg', query);
  expect(answer.status).toBe(201);
  return answer.json;
}

async function rendition(key: string, fit: string) {
  return api.postJson('/renditions', { key, fit });
}

describe('delete means gone (issue 19)', () => {
  it('deleting the openai key of a photo removes every profile, CDN rendition and the original, and nothing of another photo', async () => {
    // Prepare: a different photo beside it, with a CDN rendition, then what is stored
    const other = await uploaded(await smoothJpeg(2400, 1600));
    expect((await fetch(`${other.url}?w=640`)).status).toBe(200);
    const before = await storedKeys();
    const photo = await smoothJpeg(3000, 2000);
    const universal = await uploaded(photo);
    const openai = await uploaded(photo, '?fit=openai');
    expect(openai.key).not.toBe(universal.key);
    const cdnRendition = `${universal.url}?w=3840`;
    expect(await status(cdnRendition)).toBe(200);
    expect(await status(`${openai.url}?w=320`)).toBe(200);

    // Act
    const deleted = await api.call('DELETE', `/objects/${openai.key}`);

    // Assess: nothing of that upload is readable or stored; the other photo is whole
    expect(deleted.status).toBe(204);
    for (const url of [universal.url, openai.url, cdnRendition, `${openai.url}?w=320`])
      expect(await status(url)).toBe(404);
    for (const key of [universal.key, openai.key]) {
      expect((await rendition(key, 'original')).status).toBe(404);
      expect((await api.call('GET', `/objects/${key}`)).status).toBe(404);
    }
    expect(await storedKeys()).toEqual(before);
    const full = await rendition(other.key, 'original');
    expect(full.status).toBe(201);
    expect([full.json.width, full.json.height]).toEqual([2400, 1600]);
    expect(await status(other.url)).toBe(200);
    expect(await status(`${other.url}?w=3840`)).toBe(200);
  }, 120_000);

  it('gives the same photo with and without GPS their own URLs, and deleting the GPS one leaves no byte of its upload', async () => {
    // Prepare
    const base = await smoothJpeg(1200, 800);
    const withGps = await sharp(base)
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' } })
      .jpeg({ quality: 80 })
      .toBuffer();
    const gps = await uploaded(withGps);
    const plain = await uploaded(base);

    // Act
    expect(gps.key).not.toBe(plain.key);
    expect((await api.call('DELETE', `/objects?url=${encodeURIComponent(gps.url)}`)).status).toBe(204);

    // Assess: no stored object holds the GPS upload's bytes; the plain photo still serves
    const marker = withGps.subarray(0, 4096);
    for (const [key, bytes] of await storedObjects(local.server))
      expect(bytes.includes(marker), key).toBe(false);
    expect(await status(gps.url)).toBe(404);
    expect(await status(plain.url)).toBe(200);
    const info = await api.call('GET', `/objects/${plain.key}`);
    expect(info.json.original).toMatchObject({ width: 1200, height: 800 });
  }, 120_000);
});
