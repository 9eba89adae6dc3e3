import { describe, expect, it } from 'vitest';
import { noisyPng } from '../support/image-fixtures';
import { s3ErrorElement } from '../support/s3-signing';
import {
  embedded,
  expectRefused,
  presignedPut,
  putWithSdk,
  send,
  stored,
  targetOf,
  urlSigner,
  useStrictS3,
} from '../support/strict-s3';

useStrictS3();

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
