import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { makeImage, makeNoisyPng, REFUSED_SAMPLES } from '../support/image-fixtures';
import { listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const dir = makeTempDir('local-e2e');
const apiKey = 'test-key-alice';
let server: LocalServer;
let png: Buffer;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['alice', apiKey]]) });
  png = await makeImage('png', 16, 16);
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// `any`: the answers are checked field by field (biome.json allows it in tests).
type Json = any;

async function post(
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Response & { json(): Promise<Json> }> {
  return fetch(`${server.apiUrl}${path}`, {
    method: 'POST',
    body,
    headers: { 'x-api-key': apiKey, ...headers },
  });
}

function storedKeys(): Promise<string[]> {
  return listStoredKeys(server.s3Endpoint, server.bucketName);
}

describe('local mode, over real HTTP', () => {
  it('answers GET /health without a key', async () => {
    const response = await fetch(`${server.apiUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it.each([
    [
      'base64 JSON to /uploads',
      '/uploads',
      () => JSON.stringify({ image: png.toString('base64'), imageType: 'png' }),
      'application/json',
    ],
    [
      'a data: URI',
      '/uploads',
      () => JSON.stringify({ image: `data:image/png;base64,${png.toString('base64')}` }),
      'application/json',
    ],
    ['a raw image/png body', '/uploads', () => png, 'image/png'],
    [
      'the older proxy API at POST /',
      '/',
      () => JSON.stringify({ image: png.toString('base64'), imageType: 'png' }),
      'application/json',
    ],
  ])('stores %s and its URL serves the same bytes as image/png', async (_, path, body, contentType) => {
    // Act
    const response = await post(path, body(), { 'content-type': contentType });

    // Assess
    expect(response.status).toBe(201);
    const answer: Json = await response.json();
    expect(answer).toMatchObject({ contentType: 'image/png', size: png.length, sha256: sha256(png) });
    const served = await fetch(answer.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(png));
  });

  it('gives the same URL for the same bytes and stores one object', async () => {
    // Prepare
    const image = await makeImage('webp', 20, 10);
    const body = JSON.stringify({ image: image.toString('base64') });

    // Act
    const first: Json = await (await post('/uploads', body)).json();
    const second: Json = await (await post('/uploads', body)).json();

    // Assess
    expect(second.url).toBe(first.url);
    expect((await storedKeys()).filter((key) => key === first.key)).toHaveLength(1);
  });

  it.each([
    ['no key', undefined],
    ['a wrong key', 'not-the-key'],
    ['a key differing in its last character', `${apiKey.slice(0, -1)}X`],
  ])('answers 403 in the JSON error shape with %s and stores nothing', async (_, key) => {
    // Prepare
    const before = await storedKeys();
    const image = await makeImage('gif', 3, 3);

    // Act
    const response = await fetch(`${server.apiUrl}/uploads`, {
      method: 'POST',
      body: JSON.stringify({ image: image.toString('base64') }),
      headers: key === undefined ? {} : { 'x-api-key': key },
    });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'FORBIDDEN', requestId: expect.any(String) });
    expect(await storedKeys()).toEqual(before);
  });

  it.each([
    ['invalid base64', 400, 'INVALID_BASE64', () => ({ image: 'iVBORw0K!!!' })],
    ['an empty image', 400, 'EMPTY_IMAGE', () => ({ image: '' })],
    [
      'a GIF sent as png',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      async () => ({ image: (await makeImage('gif')).toString('base64'), imageType: 'png' }),
    ],
    ['an SVG', 415, 'UNSUPPORTED_MEDIA_TYPE', () => ({ image: REFUSED_SAMPLES.svg.toString('base64') })],
    [
      'an HTML page',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      () => ({ image: REFUSED_SAMPLES.html.toString('base64') }),
    ],
    [
      'a text file',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      () => ({ image: REFUSED_SAMPLES.text.toString('base64') }),
    ],
    [
      'an image over the limit',
      413,
      'PAYLOAD_TOO_LARGE',
      async () => ({ image: (await makeNoisyPng(4_500_000)).toString('base64') }),
    ],
  ])('refuses %s with %i %s and stores nothing', async (_, status, code, makeBody) => {
    // Prepare
    const before = await storedKeys();

    // Act
    const response = await post('/uploads', JSON.stringify(await makeBody()), {
      'content-type': 'application/json',
    });

    // Assess
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: code, message: expect.any(String) });
    expect(await storedKeys()).toEqual(before);
  });

  it('answers raw image bytes sent with no Content-Type by saying which Content-Type to send, storing nothing', async () => {
    // Prepare
    const before = await storedKeys();

    // Act: fetch sends a Uint8Array body without any Content-Type.
    const response = await fetch(`${server.apiUrl}/uploads`, {
      method: 'POST',
      body: new Uint8Array(png),
      headers: { 'x-api-key': apiKey },
    });

    // Assess
    expect(response.status).toBe(400);
    const answer = (await response.json()) as Json;
    expect(answer.error).toBe('INVALID_JSON');
    expect(answer.message).toMatch(
      /has no Content-Type: send raw image bytes with their type \(Content-Type: image\/png/,
    );
    expect(await storedKeys()).toEqual(before);
  });

  it('refuses a body over the 6 MiB Lambda limit with 413 pointing to POST /presign', async () => {
    // Act
    const response = await post('/uploads', Buffer.alloc(7 * 1024 * 1024, 0x41), {
      'content-type': 'application/json',
    });

    // Assess
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('POST /presign'),
    });
  });

  it('names the image limit the caller meets (4,400,000 bytes), not the 6 MiB envelope, for a 5.8 MB image', async () => {
    // Act: raw bytes reach Lambda as base64, so 5.8 MB is over 6 MiB there.
    const response = await post('/uploads', Buffer.alloc(5_800_000, 0x41), { 'content-type': 'image/png' });

    // Assess
    expect(response.status).toBe(413);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain('4,400,000 bytes');
    expect(message).not.toContain('6291456');
  });

  it('answers unknown routes with 404 and wrong methods with 405, as JSON', async () => {
    const unknown = await fetch(`${server.apiUrl}/nope`, { headers: { 'x-api-key': apiKey } });
    const wrongMethod = await fetch(`${server.apiUrl}/uploads`, {
      method: 'PUT',
      headers: { 'x-api-key': apiKey },
    });
    expect([unknown.status, ((await unknown.json()) as Json).error]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect([wrongMethod.status, ((await wrongMethod.json()) as Json).error]).toEqual([
      405,
      'METHOD_NOT_ALLOWED',
    ]);
  });

  it('keeps objects across a restart over the same data folder', async () => {
    // Prepare
    const image = await makeImage('jpeg', 9, 9);
    const { url, key }: Json = await (await post('/uploads', image, { 'content-type': 'image/jpeg' })).json();
    await server.close();

    // Act
    server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['alice', apiKey]]) });
    const served = await fetch(`${server.cdnBaseUrl}/${key}`);

    // Assess
    expect(url).toContain(key);
    expect(served.status).toBe(200);
    expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(image));
  });
});
