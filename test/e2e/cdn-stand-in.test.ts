import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { CDN_SECURITY_HEADERS } from '../../infra/edge-contract';
import { noisyPng } from '../support/image-fixtures';
import { sendRequest } from '../support/raw-http';
import { makeTempDir } from '../support/temp-dir';
import { embeddedS3Client } from '../support/stored-keys';

const dir = makeTempDir('cdn-e2e');
const apiKey = 'key-local';
let server: LocalServer;
let storage: S3Client;
let png: Buffer;
let url: string;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['local', apiKey]]) });
  storage = embeddedS3Client(server, server.cdnBaseUrl);
  png = await noisyPng(40, 30);
  const uploaded = await fetch(`${server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'image/png' },
    body: png,
  });
  expect(uploaded.status).toBe(201);
  url = ((await uploaded.json()) as { url: string }).url;
});

afterAll(async () => {
  storage?.destroy();
  await server?.close();
  dir.remove();
});

async function cdn(method: string, headers: Record<string, string> = {}, target = url) {
  const response = await fetch(target, { method, headers });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

function expectSecurityHeaders(response: Response): void {
  for (const [name, value] of Object.entries(CDN_SECURITY_HEADERS))
    expect(response.headers.get(name)).toBe(value);
}

describe('CDN stand-in answers like CloudFront', () => {
  it('sends the object with its validators, length and Accept-Ranges', async () => {
    // Act
    const { response, body } = await cdn('GET');

    // Assess
    expect(response.status).toBe(200);
    expect(body.equals(png)).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe(String(png.length));
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(response.headers.get('last-modified')!)).not.toBeNaN();
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(response);
  });

  it('answers HEAD with the same headers and no body', async () => {
    // Prepare
    const get = await cdn('GET');

    // Act
    const { response, body } = await cdn('HEAD');

    // Assess
    expect(response.status).toBe(200);
    expect(body.length).toBe(0);
    for (const name of [
      'content-type',
      'content-length',
      'etag',
      'last-modified',
      'accept-ranges',
      'cache-control',
    ]) {
      expect(response.headers.get(name)).toBe(get.response.headers.get(name));
    }
    expectSecurityHeaders(response);
  });

  it.each([
    ['its own ETag', (etag: string) => etag],
    ['a list holding it', (etag: string) => `"other", ${etag}`],
    ['its weak form', (etag: string) => `W/${etag}`],
    ['*', () => '*'],
  ])('answers 304 with no body to If-None-Match of %s', async (_name, ifNoneMatch) => {
    // Prepare
    const etag = (await cdn('HEAD')).response.headers.get('etag')!;

    // Act
    const { response, body } = await cdn('GET', { 'if-none-match': ifNoneMatch(etag) });

    // Assess
    expect(response.status).toBe(304);
    expect(body.length).toBe(0);
    expect(response.headers.get('etag')).toBe(etag);
    expectSecurityHeaders(response);
  });

  it('answers 200 to an If-None-Match that does not match', async () => {
    // Act
    const { response, body } = await cdn('GET', { 'if-none-match': '"not-this-one"' });

    // Assess
    expect(response.status).toBe(200);
    expect(body.equals(png)).toBe(true);
  });

  it('answers 304 to If-Modified-Since at its Last-Modified', async () => {
    // Prepare
    const lastModified = (await cdn('HEAD')).response.headers.get('last-modified')!;

    // Act
    const { response } = await cdn('GET', { 'if-modified-since': lastModified });

    // Assess
    expect(response.status).toBe(304);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, -1],
    ['bytes=-16', -16, -1],
    ['bytes=5-999999999', 5, -1],
  ])('answers %s with 206, Content-Range and exactly those bytes', async (range, first, last) => {
    // Prepare
    const start = first < 0 ? png.length + first : first;
    const end = last < 0 ? png.length - 1 : last;

    // Act
    const { response, body } = await cdn('GET', { range });

    // Assess
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${png.length}`);
    expect(response.headers.get('content-length')).toBe(String(end - start + 1));
    expect(body.equals(png.subarray(start, end + 1))).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/png');
    expectSecurityHeaders(response);
  });

  it.each(['bytes=999999999-', 'bytes=-0'])(
    'answers %s, which is past the end, with 416 and Content-Range bytes */size',
    async (range) => {
      // Act
      const { response, body } = await cdn('GET', { range });

      // Assess
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${png.length}`);
      expect(JSON.parse(body.toString())).toMatchObject({
        error: 'RANGE_NOT_SATISFIABLE',
        requestId: expect.any(String),
      });
    },
  );

  it('serves the whole object when If-Range no longer matches', async () => {
    // Act
    const { response, body } = await cdn('GET', { range: 'bytes=0-9', 'if-range': '"stale"' });

    // Assess
    expect(response.status).toBe(200);
    expect(body.equals(png)).toBe(true);
  });

  it('answers a missing object with 404 in the JSON error shape, with its request id', async () => {
    // Act
    const { response, body } = await cdn('GET', {}, `${server.cdnBaseUrl}/local/${'0'.repeat(64)}.png`);

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const json = JSON.parse(body.toString());
    expect(json).toEqual({ error: 'NOT_FOUND', message: 'no such object', requestId: expect.any(String) });
    expect(json.requestId).toBe(response.headers.get('x-amz-cf-id'));
    expectSecurityHeaders(response);
  });

  it('answers 405 with the JSON shape to other methods', async () => {
    // Act
    const { response, body } = await cdn('DELETE');

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(JSON.parse(body.toString())).toMatchObject({
      error: 'METHOD_NOT_ALLOWED',
      requestId: expect.any(String),
    });
  });
});

describe('nothing unsigned and nothing off the allow-list is served', () => {
  it.each([
    [
      'local/evil.svg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'image/svg+xml',
    ],
    ['local/x.png', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html'],
  ])(
    'refuses an unsigned PUT of %s to the embedded S3, and the CDN has nothing there',
    async (key, bytes, contentType) => {
      // Act
      const put = await sendRequest(
        server.s3Endpoint,
        'PUT',
        `/${server.bucketName}/${key}`,
        { 'content-type': contentType, 'content-length': String(bytes.length) },
        bytes,
      );
      const { response } = await cdn('GET', {}, `${server.cdnBaseUrl}/${key}`);

      // Assess
      expect(put.status).toBe(403);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    },
  );

  it.each([
    ['text/html', 'local/signed-html.png', '<html><script>alert(1)</script></html>'],
    ['image/svg+xml', 'local/signed.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ['application/octet-stream', 'local/blob.png', 'MZ'],
  ])('never serves an object stored (signed) as %s', async (contentType, key, text) => {
    // Prepare
    await storage.send(
      new PutObjectCommand({
        Bucket: server.bucketName,
        Key: key,
        Body: Buffer.from(text),
        ContentType: contentType,
      }),
    );

    // Act
    const get = await cdn('GET', {}, `${server.cdnBaseUrl}/${key}`);
    const head = await cdn('HEAD', {}, `${server.cdnBaseUrl}/${key}`);
    const ranged = await cdn('GET', { range: 'bytes=0-1' }, `${server.cdnBaseUrl}/${key}`);

    // Assess
    expect([get.response.status, head.response.status, ranged.response.status]).toEqual([404, 404, 404]);
    expect(get.body.toString()).not.toContain('<');
    expect(get.response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses an unsigned DELETE of a served object, which stays served', async () => {
    // Act
    const key = new URL(url).pathname.slice('/cdn/'.length);
    const deleted = await sendRequest(server.s3Endpoint, 'DELETE', `/${server.bucketName}/${key}`, {});
    const listed = await sendRequest(server.s3Endpoint, 'GET', `/${server.bucketName}?prefix=local%2F`, {});

    // Assess
    expect(deleted.status).toBe(403);
    expect(listed.status).toBe(403);
    expect((await cdn('GET')).response.status).toBe(200);
  });
});
