import { describe, expect, it } from 'vitest';
import { s3ErrorElement, signWithHeaders } from '../support/s3-signing';
import {
  BUCKET,
  embedded,
  expectRefused,
  pathOf,
  send,
  sha256Hex,
  stored,
  useStrictS3,
} from '../support/strict-s3';

useStrictS3();

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
