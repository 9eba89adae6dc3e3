import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { S3UrlSigner } from '../../lambdas/adapters/url-signer';
import { noisyPng } from '../support/image-fixtures';
import { sendRequest, type RawAnswer } from '../support/raw-http';
import { s3ErrorCode, s3ErrorElement, signWithHeaders } from '../support/s3-signing';
import { useEmbeddedS3 } from '../support/embedded-s3-fixture';

const BUCKET = 'strict-s3';
const embedded = useEmbeddedS3('strict-s3', BUCKET, 'https://cdn.test');
let urlSigner: S3UrlSigner;

beforeAll(() => {
  urlSigner = embedded.urlSigner();
});

const pathOf = (key: string) => `/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;
const targetOf = (url: string) => url.slice(new URL(url).origin.length);
const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Sends one request to the embedded S3 exactly as given (target, headers, body). */
const send = (method: string, target: string, headers: Record<string, string> = {}, body?: Buffer) =>
  sendRequest(embedded.server.endpoint, method, target, headers, body);

async function stored(key: string): Promise<Buffer | undefined> {
  return embedded.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then(
    async (object) => Buffer.from(await object.Body!.transformToByteArray()),
    () => undefined,
  );
}

async function putWithSdk(key: string, bytes: Buffer): Promise<void> {
  await embedded.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'image/png' }),
  );
}

/** A presigned PUT from the project's own signer, binding type and length as POST /presign does. */
async function presignedPut(key: string, bytes: Buffer, extra: Record<string, string> = {}) {
  const headers = { 'content-type': 'image/png', 'content-length': String(bytes.length), ...extra };
  const { url } = await urlSigner.sign({ method: 'PUT', key, headers, expiresInSeconds: 300 });
  return { url, headers };
}

function expectRefused(answer: RawAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: s3ErrorCode(answer) }).toEqual({ status, code });
  expect(answer.headers['content-type']).toBe('application/xml');
  expect(answer.body.toString()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>/);
}

describe('requests the project makes still work through the SigV4 check', () => {
  it('serves put, get, head, list, copy and delete made with the AWS SDK', async () => {
    // Prepare
    const png = await noisyPng(8, 8);

    // Act
    await putWithSdk('sdk/a b+c.png', png);
    const head = await embedded.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sdk/a b+c.png' }));
    await embedded.s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'sdk/copy.png', CopySource: `${BUCKET}/sdk/a b+c.png` }),
    );
    const listed = await embedded.s3.send(
      new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'sdk/', Marker: 'sdk/', MaxKeys: 10 }),
    );
    await embedded.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sdk/copy.png' }));
    await embedded.s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'sdk/gone.png' }] } }),
    );

    // Assess
    expect(head.ContentLength).toBe(png.length);
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['sdk/a b+c.png', 'sdk/copy.png']);
    expect((await stored('sdk/a b+c.png'))?.equals(png)).toBe(true);
    expect(await stored('sdk/copy.png')).toBeUndefined();
  });

  it('accepts a presigned PUT sending exactly the headers it binds, and a presigned GET', async () => {
    // Prepare
    const png = await noisyPng(8, 9);
    const put = await presignedPut('presigned/ok.png', png, {
      'x-amz-meta-original-filename': 'cat%20photo.png',
    });

    // Act
    const uploaded = await fetch(put.url, { method: 'PUT', headers: put.headers, body: png });
    const get = await fetch(
      (await urlSigner.sign({ method: 'GET', key: 'presigned/ok.png', expiresInSeconds: 60 })).url,
    );

    // Assess
    expect(uploaded.status).toBe(200);
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe('Expect: 100-continue (the SDK sends it for bodies over 2 MB)', () => {
  it('stores a 3 MB object put with the SDK', async () => {
    // Prepare
    const bytes = randomBytes(3_000_000);

    // Act
    await putWithSdk('continue/big.bin', bytes);

    // Assess
    expect((await stored('continue/big.bin'))?.equals(bytes)).toBe(true);
  });

  it('refuses an unsigned PUT before asking for its body', async () => {
    // Prepare
    const { hostname, port } = new URL(embedded.server.endpoint);
    let continued = false;

    // Act: the body is only sent once the server says 100 Continue
    const answer = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = request({
          host: hostname,
          port,
          method: 'PUT',
          path: pathOf('continue/unsigned.png'),
          agent: false,
          headers: { expect: '100-continue', 'content-length': '1000000' },
        });
        req.on('continue', () => {
          continued = true;
          req.end(Buffer.alloc(1_000_000));
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        });
        req.on('error', reject);
        req.flushHeaders();
      },
    );

    // Assess
    expect(answer).toEqual({ status: 403, connection: 'close' });
    expect(continued).toBe(false);
    expect(await stored('continue/unsigned.png')).toBeUndefined();
  });
});

describe('unsigned requests are refused with AccessDenied, as by a private bucket', () => {
  it.each([
    [
      'PUT',
      'open/evil.svg',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      'image/svg+xml',
    ],
    ['PUT', 'open/x.png', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html'],
  ])('refuses an unsigned %s of %s and stores nothing', async (method, key, body, contentType) => {
    // Act
    const answer = await send(
      method,
      pathOf(key),
      { 'content-type': contentType, 'content-length': String(body.length) },
      body,
    );

    // Assess
    expectRefused(answer, 403, 'AccessDenied');
    expect(await stored(key)).toBeUndefined();
  });

  it.each([
    ['GET', 'the object', pathOf('unsigned/kept.png')],
    ['DELETE', 'the object', pathOf('unsigned/kept.png')],
    ['GET', 'a listing (v1)', `/${BUCKET}?prefix=unsigned%2F`],
    ['GET', 'a listing (v2)', `/${BUCKET}?list-type=2`],
    ['GET', 'the bucket list', '/'],
  ])('refuses an unsigned %s of %s and leaves the object in place', async (method, _what, target) => {
    // Prepare
    const png = await noisyPng(4, 4);
    await putWithSdk('unsigned/kept.png', png);

    // Act
    const answer = await send(method, target);

    // Assess
    expectRefused(answer, 403, 'AccessDenied');
    expect(answer.body.toString()).not.toContain('kept.png');
    expect((await stored('unsigned/kept.png'))?.equals(png)).toBe(true);
  });

  it('answers an unsigned HEAD with 403 and no body', async () => {
    // Act
    const answer = await send('HEAD', pathOf('unsigned/kept.png'));

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.body.length).toBe(0);
  });
});

describe('a presigned PUT binds its method, key, type, length, metadata and expiry', () => {
  it('refuses a wrong content-type with SignatureDoesNotMatch', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/type.png', png);

    // Act
    const answer = await send('PUT', targetOf(put.url), { ...put.headers, 'content-type': 'text/html' }, png);

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
    expect(await stored('bound/type.png')).toBeUndefined();
  });

  it('refuses a 3-byte body against a signed length of 71', async () => {
    // Prepare
    const put = await presignedPut('bound/length.png', Buffer.alloc(71));

    // Act
    const answer = await send(
      'PUT',
      targetOf(put.url),
      { 'content-type': 'image/png', 'content-length': '3' },
      Buffer.from('abc'),
    );

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
    expect(await stored('bound/length.png')).toBeUndefined();
  });

  it('refuses a forged X-Amz-Signature', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/forged.png', png);
    const forged = put.url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`);

    // Act
    const answer = await send('PUT', targetOf(forged), put.headers, png);

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
    expect(s3ErrorElement(answer, 'SignatureProvided')).toBe('0'.repeat(64));
    expect(await stored('bound/forged.png')).toBeUndefined();
  });

  it('refuses the URL with its signature stripped as unsigned', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/stripped.png', png);

    // Act
    const answer = await send('PUT', new URL(put.url).pathname, put.headers, png);

    // Assess
    expectRefused(answer, 403, 'AccessDenied');
    expect(await stored('bound/stripped.png')).toBeUndefined();
  });

  it('refuses the URL pointed at another key', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/mine.png', png);

    // Act
    const answer = await send('PUT', targetOf(put.url).replace('/mine.png', '/theirs.png'), put.headers, png);

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
    expect(await stored('bound/theirs.png')).toBeUndefined();
  });

  it('refuses a longer X-Amz-Expires than the one signed', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/expires.png', png);

    // Act
    const answer = await send(
      'PUT',
      targetOf(put.url).replace('X-Amz-Expires=300', 'X-Amz-Expires=604800'),
      put.headers,
      png,
    );

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
  });

  it('refuses a changed signed x-amz-meta value', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/meta.png', png, { 'x-amz-meta-original-filename': 'cat.png' });

    // Act
    const answer = await send(
      'PUT',
      targetOf(put.url),
      { ...put.headers, 'x-amz-meta-original-filename': 'evil.svg' },
      png,
    );

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
  });

  it('refuses an x-amz-meta header the URL did not sign, naming it', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    const put = await presignedPut('bound/extra-meta.png', png);

    // Act
    const answer = await send('PUT', targetOf(put.url), { ...put.headers, 'x-amz-meta-client': 'bob' }, png);

    // Assess
    expectRefused(answer, 403, 'AccessDenied');
    expect(s3ErrorElement(answer, 'HeadersNotSigned')).toBe('x-amz-meta-client');
    expect(await stored('bound/extra-meta.png')).toBeUndefined();
  });

  it('refuses a presigned GET used to DELETE', async () => {
    // Prepare
    const png = await noisyPng(8, 8);
    await putWithSdk('bound/get-only.png', png);
    const { url } = await urlSigner.sign({ method: 'GET', key: 'bound/get-only.png', expiresInSeconds: 60 });

    // Act
    const answer = await send('DELETE', targetOf(url));

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
    expect((await stored('bound/get-only.png'))?.equals(png)).toBe(true);
  });

  it('refuses an expired URL with AccessDenied "Request has expired"', async () => {
    // Prepare: signed two hours ago for one minute
    const png = await noisyPng(8, 8);
    await putWithSdk('bound/old.png', png);
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    const stale = embedded.urlSigner(() => twoHoursAgo);
    const { url } = await stale.sign({ method: 'GET', key: 'bound/old.png', expiresInSeconds: 60 });

    // Act
    const answer = await send('GET', targetOf(url));

    // Assess
    expectRefused(answer, 403, 'AccessDenied');
    expect(s3ErrorElement(answer, 'Message')).toBe('Request has expired');
  });
});

describe('a header signature binds the body, the signed headers, the key and the time', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

  it('refuses a body swapped after signing with XAmzContentSHA256Mismatch, and stores nothing', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'PUT',
      path: pathOf('header/swapped.png'),
      body: png,
      headers: { 'content-type': 'image/png' },
    });
    const swapped = Buffer.from(png.map((byte) => byte ^ 0xff));

    // Act
    const answer = await send('PUT', signed.target, signed.headers, swapped);

    // Assess
    expectRefused(answer, 400, 'XAmzContentSHA256Mismatch');
    expect(s3ErrorElement(answer, 'S3ComputedContentSHA256')).toBe(sha256Hex(swapped));
    expect(await stored('header/swapped.png')).toBeUndefined();
  });

  it('stores the body it signed', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'PUT',
      path: pathOf('header/kept.png'),
      body: png,
      headers: { 'content-type': 'image/png' },
    });

    // Act
    const answer = await send('PUT', signed.target, signed.headers, png);

    // Assess
    expect(answer.status).toBe(200);
    expect((await stored('header/kept.png'))?.equals(png)).toBe(true);
  });

  it.each([
    [
      'a signed header changed',
      (headers: Record<string, string>) => ({ ...headers, 'x-amz-meta-client': 'bob' }),
      403,
      'SignatureDoesNotMatch',
    ],
    [
      'an unsigned x-amz-meta header added',
      (headers: Record<string, string>) => ({ ...headers, 'x-amz-meta-extra': '1' }),
      403,
      'AccessDenied',
    ],
    [
      'the content type changed',
      (headers: Record<string, string>) => ({ ...headers, 'content-type': 'text/html' }),
      403,
      'SignatureDoesNotMatch',
    ],
    [
      'the payload hash header removed',
      ({ 'x-amz-content-sha256': _, ...headers }: Record<string, string>) => headers,
      400,
      'InvalidRequest',
    ],
    [
      'the date moved',
      (headers: Record<string, string>) => ({
        ...headers,
        'x-amz-date': headers['x-amz-date']!.replace(
          /\d{2}Z$/,
          (s) => `${`${(Number(s.slice(0, 2)) + 1) % 60}`.padStart(2, '0')}Z`,
        ),
      }),
      403,
      'SignatureDoesNotMatch',
    ],
  ])('refuses a PUT with %s', async (_name, tamper, status, code) => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'PUT',
      path: pathOf('header/tampered.png'),
      body: png,
      headers: { 'content-type': 'image/png', 'x-amz-meta-client': 'alice' },
    });

    // Act
    const answer = await send('PUT', signed.target, tamper(signed.headers), png);

    // Assess
    expectRefused(answer, status, code);
    expect(await stored('header/tampered.png')).toBeUndefined();
  });

  it('refuses a signature made with another secret', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'GET',
      path: pathOf('header/kept.png'),
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guessed' },
    });

    // Act
    const answer = await send('GET', signed.target, signed.headers);

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
  });

  it('refuses an access key it does not know', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'GET',
      path: pathOf('header/kept.png'),
      credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' },
    });

    // Act
    const answer = await send('GET', signed.target, signed.headers);

    // Assess
    expectRefused(answer, 403, 'InvalidAccessKeyId');
  });

  it('refuses a request signed 20 minutes ago (a replay) with RequestTimeTooSkewed', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'GET',
      path: pathOf('header/kept.png'),
      signingDate: new Date(Date.now() - 20 * 60_000),
    });

    // Act
    const answer = await send('GET', signed.target, signed.headers);

    // Assess
    expectRefused(answer, 403, 'RequestTimeTooSkewed');
  });

  it('refuses a signed listing whose query was changed', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'GET',
      path: `/${BUCKET}`,
      query: { prefix: 'alice/' },
    });

    // Act
    const answer = await send('GET', signed.target.replace('alice', 'bob'), signed.headers);

    // Assess
    expectRefused(answer, 403, 'SignatureDoesNotMatch');
  });

  it('refuses an aws-chunked body, which s3rver would store with its chunk signatures, as NotImplemented', async () => {
    // Prepare
    const signed = await signWithHeaders({
      endpoint: embedded.server.endpoint,
      method: 'PUT',
      path: pathOf('header/chunked.png'),
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(png.length) },
    });

    // Act
    const answer = await send('PUT', signed.target, signed.headers, png);

    // Assess
    expectRefused(answer, 501, 'NotImplemented');
    expect(await stored('header/chunked.png')).toBeUndefined();
  });

  it('refuses a SigV2 signature with InvalidRequest', async () => {
    // Act
    const answer = await send('GET', pathOf('header/kept.png'), {
      authorization: 'AWS S3RVER:c2lnbmF0dXJl',
      date: new Date().toUTCString(),
    });

    // Assess
    expectRefused(answer, 400, 'InvalidRequest');
  });
});
