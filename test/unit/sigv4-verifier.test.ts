import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { SigV4Presigner, uriEscape } from '../../lambdas/core/sigv4-presign';
import { S3RequestRefusedError } from '../../infra/local/s3-refusal';
import { parseAmzDate, type ReceivedRequest } from '../../infra/local/sigv4-request';
import { MAX_CLOCK_SKEW_MS, SigV4Verifier } from '../../infra/local/sigv4-verifier';
import { signWithHeaders } from '../support/s3-signing';

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const ORIGIN = 'http://127.0.0.1:45123';
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const PNG_PUT = { 'content-type': 'image/png', 'content-length': '71' };

const verifierAt = (nowMs: number) =>
  new SigV4Verifier({
    credentials: new Map([[CREDENTIALS.accessKeyId, CREDENTIALS.secretAccessKey]]),
    now: () => nowMs,
  });
const presigner = new SigV4Presigner({
  credentials: CREDENTIALS,
  region: 'us-east-1',
  origin: ORIGIN,
  basePath: '/bucket',
});

/** The request a client makes with a presigned URL and the headers it binds. */
function requestFor(method: string, url: string, headers: Record<string, string> = {}): ReceivedRequest {
  const parsed = new URL(url);
  return { method, target: `${parsed.pathname}${parsed.search}`, headers: { host: parsed.host, ...headers } };
}

function presignedPut(nowMs = NOW, expiresInSeconds = 300, headers: Record<string, string> = PNG_PUT) {
  return requestFor(
    'PUT',
    presigner.presign({ method: 'PUT', key: '_incoming/alice/x.png', headers, expiresInSeconds, nowMs }),
    headers,
  );
}

async function refusal(
  verifier: SigV4Verifier,
  request: ReceivedRequest,
): Promise<{ code: string; message: string }> {
  const error = await verifier.verify(request).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(S3RequestRefusedError);
  return { code: (error as S3RequestRefusedError).code, message: (error as S3RequestRefusedError).message };
}

describe('SigV4Verifier, presigned URLs', () => {
  it('accepts a URL of the project presigner, binding its content-length, with an unsigned payload', async () => {
    // Act
    const verified = await verifierAt(NOW).verify(presignedPut());

    // Assess
    expect(verified).toEqual({ accessKeyId: 'S3RVER', signedContentLength: 71 });
  });

  it('accepts URLs of the SDK presigner (@aws-sdk/s3-request-presigner)', async () => {
    // Prepare
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: ORIGIN,
      forcePathStyle: true,
      credentials: CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const signingDate = new Date(NOW);
    const put = await getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: 'bucket',
        Key: 'a b/c+d.png',
        ContentType: 'image/png',
        ContentLength: 71,
      }),
      {
        expiresIn: 60,
        signingDate,
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    const get = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: 'bucket', Key: 'a b/c+d.png', ResponseContentType: 'image/png' }),
      { expiresIn: 60, signingDate },
    );

    // Act
    const verifiedPut = await verifierAt(NOW).verify(requestFor('PUT', put, PNG_PUT));
    const verifiedGet = await verifierAt(NOW).verify(requestFor('GET', get));

    // Assess
    expect(verifiedPut.accessKeyId).toBe('S3RVER');
    expect(verifiedGet.accessKeyId).toBe('S3RVER');
  });

  it.each([
    ['at its last second', 300_000, undefined],
    ['one second after it expired', 301_000, 'Request has expired'],
    ['signed more than 15 minutes in the future', -MAX_CLOCK_SKEW_MS - 1_000, 'Request is not valid yet'],
  ])('checks the clock: %s', async (_name, elapsedMs, message) => {
    // Act
    const outcome = verifierAt(NOW + elapsedMs).verify(presignedPut(NOW));

    // Assess
    if (message === undefined) await expect(outcome).resolves.toMatchObject({ accessKeyId: 'S3RVER' });
    else await expect(outcome).rejects.toMatchObject({ code: 'AccessDenied', statusCode: 403, message });
  });

  it.each<[string, (url: string) => string, string]>([
    [
      'without X-Amz-Signature',
      (url) => url.replace(/&X-Amz-Signature=[0-9a-f]+/, ''),
      'AuthorizationQueryParametersError',
    ],
    [
      'with an X-Amz-Expires over a week',
      (url) => url.replace('X-Amz-Expires=300', 'X-Amz-Expires=604801'),
      'AuthorizationQueryParametersError',
    ],
    [
      'with another algorithm',
      (url) => url.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1'),
      'AuthorizationQueryParametersError',
    ],
    [
      'with a credential of another day',
      (url) => url.replace(/%2F\d{8}%2F/, '%2F20260101%2F'),
      'AuthorizationQueryParametersError',
    ],
    [
      'for another service',
      (url) => url.replace('%2Fs3%2F', '%2Fec2%2F'),
      'AuthorizationQueryParametersError',
    ],
    [
      'with an unknown access key',
      (url) => url.replace('Credential=S3RVER', 'Credential=AKIAOTHER'),
      'InvalidAccessKeyId',
    ],
    [
      'with a SigV2 Signature parameter',
      (url) => `${url.slice(0, url.indexOf('?'))}?AWSAccessKeyId=S3RVER&Expires=1&Signature=abc`,
      'InvalidRequest',
    ],
    [
      'with its signature upper-cased',
      (url) =>
        url.replace(
          /X-Amz-Signature=([0-9a-f]+)/,
          (_, sig: string) => `X-Amz-Signature=${sig.toUpperCase()}`,
        ),
      'SignatureDoesNotMatch',
    ],
    ['with a parameter added', (url) => `${url}&response-content-type=text%2Fhtml`, 'SignatureDoesNotMatch'],
    [
      'with the host header left out of SignedHeaders',
      (url) =>
        url.replace(
          'X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost',
          'X-Amz-SignedHeaders=content-length%3Bcontent-type',
        ),
      'AccessDenied',
    ],
  ])('refuses a URL %s with %s', async (_name, tamper, code) => {
    // Prepare
    const request = presignedPut();

    // Act
    const outcome = await refusal(verifierAt(NOW), {
      ...request,
      target: tamper(`${ORIGIN}${request.target}`).slice(ORIGIN.length),
    });

    // Assess
    expect(outcome.code).toBe(code);
  });

  it('refuses a request carrying both a header and a query signature', async () => {
    // Prepare
    const request = presignedPut();

    // Act
    const outcome = await refusal(verifierAt(NOW), {
      ...request,
      headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' },
    });

    // Assess
    expect(outcome.code).toBe('InvalidArgument');
  });

  it('reads a parameter named __proto__ as a parameter, bound by the signature', async () => {
    // Prepare
    const request = presignedPut();
    const target = `${request.target.replace('?', '?__proto__=x&')}`;

    // Act
    const outcome = await refusal(verifierAt(NOW), { ...request, target });

    // Assess
    expect(outcome.code).toBe('SignatureDoesNotMatch');
  });
});

describe('SigV4Verifier, Authorization header', () => {
  const signedGet = (signingDate: Date) =>
    signWithHeaders({
      endpoint: ORIGIN,
      method: 'GET',
      path: `/bucket/${uriEscape('a b.png')}`,
      signingDate,
    });

  it.each([
    ['14 minutes behind', -14 * 60_000, undefined],
    ['14 minutes ahead', 14 * 60_000, undefined],
    ['16 minutes behind', -16 * 60_000, 'RequestTimeTooSkewed'],
    ['16 minutes ahead', 16 * 60_000, 'RequestTimeTooSkewed'],
  ])('allows 15 minutes of clock skew: a request %s is %s', async (_name, skewMs, code) => {
    // Prepare
    const signed = await signedGet(new Date(NOW + skewMs));

    // Act
    const outcome = verifierAt(NOW).verify({ method: 'GET', target: signed.target, headers: signed.headers });

    // Assess
    if (code === undefined)
      await expect(outcome).resolves.toMatchObject({ payloadSha256: expect.stringMatching(/^e3b0c442/) });
    else await expect(outcome).rejects.toMatchObject({ code, statusCode: 403 });
  });

  it.each([
    [
      'a malformed Authorization',
      { authorization: 'AWS4-HMAC-SHA256 Credential=S3RVER/20261121/us-east-1/s3/aws4_request' },
      'AuthorizationHeaderMalformed',
    ],
    ['another scheme', { authorization: 'Bearer abc' }, 'InvalidArgument'],
    ['no x-amz-date', { 'x-amz-date': undefined }, 'AccessDenied'],
    ['an impossible x-amz-date', { 'x-amz-date': '20261332T000000Z' }, 'AccessDenied'],
  ])('refuses %s', async (_name, change, code) => {
    // Prepare
    const signed = await signedGet(new Date(NOW));

    // Act
    const outcome = await refusal(verifierAt(NOW), {
      method: 'GET',
      target: signed.target,
      headers: { ...signed.headers, ...change },
    });

    // Assess
    expect(outcome.code).toBe(code);
  });

  it('refuses the same request under another method', async () => {
    // Prepare
    const signed = await signedGet(new Date(NOW));

    // Act
    const outcome = await refusal(verifierAt(NOW), {
      method: 'DELETE',
      target: signed.target,
      headers: signed.headers,
    });

    // Assess
    expect(outcome.code).toBe('SignatureDoesNotMatch');
  });
});

describe('parseAmzDate', () => {
  it.each([
    ['20261121T120000Z', NOW],
    ['20240229T000000Z', Date.UTC(2024, 1, 29)],
    ['20230229T000000Z', undefined],
    ['20261121T120000', undefined],
    ['2026-11-21T12:00:00Z', undefined],
  ])('reads %s', (text, expected) => {
    // Act
    const date = parseAmzDate(text);

    // Assess
    expect(date?.getTime()).toBe(expected);
  });
});
