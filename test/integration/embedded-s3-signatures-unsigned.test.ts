import { describe, expect, it } from 'vitest';
import { noisyPng } from '../support/image-fixtures';
import { BUCKET, expectRefused, pathOf, putWithSdk, send, stored, useStrictS3 } from '../support/strict-s3';

useStrictS3();

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
