import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { FaultMode } from '../support/fault-proxy';
import { REFUSED_SAMPLES, makeImage } from '../support/image-fixtures';
import { OPENAPI_PATH, type ResponseId } from '../support/openapi-contract';
import { sendRequest } from '../support/raw-http';
import { embeddedS3Client } from '../support/stored-keys';
import { DOCUMENTED_ERROR_CASES } from '../support/contract-error-cases';
import {
  api,
  type Call,
  call,
  contract,
  dynamoProxy,
  freshPng,
  KEY,
  presignedUpload,
  proxy,
  seen,
  server,
  stored,
  throttled,
  useContractServers,
} from '../support/contract-servers';

/**
 * Every route's answers, success and error, against openapi/openapi.json. (Every other e2e
 * suite is checked too, by test/support/contract-setup.ts; this one makes sure each documented
 * answer is actually produced and checked at least once.)
 */

/** Documented answers local mode cannot give, or that another suite produces (and the setup checks). */
const NOT_PRODUCED_HERE: Readonly<Record<string, string>> = {
  'gateway 204':
    'a CORS preflight, answered only when CORS_ORIGINS lists origins: test/e2e/cors.test.ts sends one, checked against this document',
  'gateway 403': 'every keyed operation documents 403 itself, and the keyless ones never answer it',
  'gateway 429': 'every keyed operation documents 429 itself; keyless methods are not metered per client',
  'gateway 415': "API Gateway's REQUEST_REJECTED (DEFAULT_4XX), on AWS only",
  'gateway 500': "API Gateway's own failure (DEFAULT_5XX), on AWS only",
  'gateway 502': 'a Lambda function that crashed, on AWS only',
  'gateway 504': 'a Lambda function past the 29 s integration timeout, on AWS only',
  'gateway 503':
    'SERVER_BUSY: test/e2e/abuse-limits.test.ts fills the memory budget (its answers are checked by the same setup)',
};
/** A well-formed erasure id that names no erasure. */
const UNKNOWN_ERASURE = '00000000-0000-4000-8000-000000000000';
/** A 500 is a bug: no request causes one on purpose (test/unit/upload-image-route.test.ts covers the mapping). */
const isBugAnswer = (id: ResponseId) => / 500$/.test(id) && !id.startsWith('gateway');

useContractServers();

describe('GET /openapi.json', () => {
  it('serves the committed document, without a key', async () => {
    // Act
    const response = await fetch(`${server.apiUrl}/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')));
  });

  it('answers 405 to another method, and 404 to a path below it', async () => {
    // Act
    const post = await api({ method: 'POST', path: '/openapi.json', key: 'none' });
    const below = await api({ method: 'GET', path: '/openapi.json/x', key: 'none' });

    // Assess
    expect([post.status, post.body.error]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect([below.status, below.body.error]).toEqual([404, 'ROUTE_NOT_FOUND']);
  });
});

describe('every route, success and error, against the document', () => {
  it('answers the successes of every route as documented', async () => {
    // Prepare
    const image = await freshPng();
    const uploaded = await stored();

    // Act
    const statuses = [
      (await api({ method: 'GET', path: '/health', key: 'none' })).status,
      (
        await api({
          method: 'POST',
          path: '/uploads',
          json: { image: image.toString('base64'), inline: true },
        })
      ).status,
      (await api({ method: 'POST', path: '/?fit=openai', raw: { bytes: image, contentType: 'image/png' } }))
        .status,
      (await api({ method: 'POST', path: '/renditions', json: { key: uploaded.key, fit: 'original' } }))
        .status,
      (await api({ method: 'POST', path: '/presign', json: { method: 'GET', key: uploaded.key } })).status,
      (
        await api({
          method: 'POST',
          path: '/presign',
          json: { items: [{ method: 'PUT', contentType: 'image/png', contentLength: 10, fit: 'gemini' }] },
        })
      ).status,
      (await api({ method: 'GET', path: `/uploads/${'0'.repeat(32)}` })).status,
      (await api({ method: 'GET', path: '/objects?limit=1' })).status,
      (await api({ method: 'GET', path: `/objects/${uploaded.key}` })).status,
      (await api({ method: 'PATCH', path: `/objects/${uploaded.key}`, json: { tags: ['a'] } })).status,
      (await api({ method: 'GET', path: '/stats' })).status,
      (await api({ method: 'GET', path: '/objects?folder=users/x&recursive=true' })).status,
      (await api({ method: 'DELETE', path: `/objects?url=${encodeURIComponent(uploaded.url)}` })).status,
      (await api({ method: 'DELETE', path: `/objects/${uploaded.key}` })).status,
      (await api({ method: 'DELETE', path: '/objects?folder=users/nobody' })).status,
    ];

    // Assess
    expect(statuses).toEqual([200, 201, 201, 201, 200, 200, 200, 200, 200, 200, 200, 200, 204, 204, 200]);
  });

  it('erases a large folder in the background: 202, then its status path until done; an unknown erasure is 404', async () => {
    // Prepare: two images in one folder, over the threshold of one
    const folder = 'erase/contract';
    for (let i = 0; i < 2; i++)
      await api({
        method: 'POST',
        path: '/uploads',
        json: { image: (await freshPng()).toString('base64'), folder },
      });

    // Act
    const started = await api({ method: 'DELETE', path: `/objects?folder=${folder}` });
    let status = await api({ method: 'GET', path: started.body.status });
    for (let tries = 0; status.body.state !== 'done' && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await api({ method: 'GET', path: started.body.status });
    }
    const unknown = await api({ method: 'GET', path: `/erasures/${UNKNOWN_ERASURE}` });

    // Assess
    expect(started.status).toBe(202);
    expect([status.status, status.body.state, status.body.deleted]).toEqual([200, 'done', 2]);
    expect([unknown.status, unknown.body.error]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers the outcome of presigned uploads, published and refused, as documented', async () => {
    // Act
    const published = await api({
      method: 'GET',
      path: await presignedUpload(await freshPng(), 'image/png'),
    });
    const refused = await api({
      method: 'GET',
      path: await presignedUpload(REFUSED_SAMPLES.svg, 'image/png'),
    });

    // Assess
    expect(published.body.status).toBe('published');
    expect(refused.body).toMatchObject({ status: 'refused', error: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each(DOCUMENTED_ERROR_CASES)('%s: %i %s', async (_, request, status, error) => {
    // Act
    const answer = await api(request);

    // Assess
    expect([answer.status, answer.body.error]).toEqual([status, error]);
  });

  it('answers a rendition of stored bytes the decoder cannot read with 422', async () => {
    // Prepare: an object stored before renditions existed, its bytes damaged
    const damaged = Buffer.concat([(await makeImage('png')).subarray(0, 40)]);
    const key = `alice/${createHash('sha256').update(damaged).digest('hex')}.png`;
    const s3 = embeddedS3Client(server, server.cdnBaseUrl);
    await s3.send(
      new PutObjectCommand({ Bucket: server.bucketName, Key: key, Body: damaged, ContentType: 'image/png' }),
    );
    s3.destroy();

    // Act
    const answer = await api({ method: 'POST', path: '/renditions', json: { key } });

    // Assess
    expect([answer.status, answer.body.error]).toEqual([422, 'INVALID_IMAGE']);
  });

  it('answers every keyed route without a key with 403, and over the rate with 429', async () => {
    // Prepare
    const routes: Call[] = [
      { method: 'POST', path: '/uploads', json: {} },
      { method: 'POST', path: '/', json: {} },
      { method: 'POST', path: '/renditions', json: {} },
      { method: 'POST', path: '/presign', json: {} },
      { method: 'GET', path: `/uploads/${'0'.repeat(32)}` },
      { method: 'GET', path: '/objects' },
      { method: 'DELETE', path: '/objects' },
      { method: 'GET', path: '/objects/alice/x.png' },
      { method: 'DELETE', path: '/objects/alice/x.png' },
      { method: 'PATCH', path: '/objects/alice/x.png', json: {} },
      { method: 'GET', path: '/stats' },
      { method: 'GET', path: `/erasures/${UNKNOWN_ERASURE}` },
    ];

    // Act
    const forbidden = await Promise.all(routes.map((route) => api({ ...route, key: 'none' })));
    await call(throttled, { method: 'GET', path: '/objects' }); // spends the burst of 1
    const limited = await Promise.all(routes.map((route) => call(throttled, route)));

    // Assess
    expect(forbidden.map((answer) => answer.body.error)).toEqual(routes.map(() => 'FORBIDDEN'));
    expect(limited.map((answer) => answer.body.error)).toEqual(routes.map(() => 'THROTTLED'));
  });

  it.each<[string, FaultMode, number]>([
    ['internal-error', 'internal-error', 502],
    ['slowdown', 'slowdown', 503],
  ])('answers every route that reads or writes storage with %s from S3 as %i', async (_, mode, status) => {
    // Prepare
    const object = await stored();
    const routes: Call[] = [
      { method: 'POST', path: '/uploads', json: { image: (await freshPng()).toString('base64') } },
      { method: 'POST', path: '/', json: { image: (await freshPng()).toString('base64') } },
      { method: 'POST', path: '/renditions', json: { key: object.key, fit: 'openai' } },
      { method: 'GET', path: `/uploads/${'0'.repeat(32)}` },
      { method: 'GET', path: '/objects' },
      { method: 'DELETE', path: `/objects?url=${encodeURIComponent(object.url)}` },
      { method: 'GET', path: `/objects/${object.key}` },
      { method: 'DELETE', path: `/objects/${object.key}` },
    ];

    // Act
    const answers = [];
    for (const route of routes) {
      proxy.inject(mode, { times: 1 });
      answers.push(await api(route));
      proxy.clear();
    }

    // Assess
    expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual(
      routes.map(() => [status, 'STORAGE_UNAVAILABLE']),
    );
  });

  it.each<[string, FaultMode, number]>([
    ['internal-error', 'internal-error', 502],
    ['throttling', 'slowdown', 503],
  ])(
    'answers every route that reads or writes the catalogue with %s from DynamoDB as %i',
    async (_, mode, status) => {
      // Prepare
      const object = await stored();
      const routes: Call[] = [
        { method: 'POST', path: '/uploads', json: { image: (await freshPng()).toString('base64') } },
        { method: 'PATCH', path: `/objects/${object.key}`, json: { tags: ['t'] } },
        { method: 'GET', path: '/stats' },
        { method: 'GET', path: '/objects?folder=users/x' },
        { method: 'DELETE', path: '/objects?folder=users/x' },
        { method: 'DELETE', path: `/objects/${object.key}` },
        { method: 'GET', path: `/erasures/${UNKNOWN_ERASURE}` },
      ];

      // Act: every attempt of the SDK (3) fails
      const answers = [];
      for (const route of routes) {
        dynamoProxy.inject(mode);
        answers.push(await api(route));
        dynamoProxy.clear();
      }

      // Assess
      expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual(
        routes.map(() => [status, 'STORAGE_UNAVAILABLE']),
      );
    },
  );

  it('answers malformed paths and oversized headers as the gateway documents', async () => {
    // Act
    const dotted = await sendRequest(server.apiUrl, 'GET', '/objects/../uploads', { 'x-api-key': KEY });
    const headers = await sendRequest(server.apiUrl, 'GET', '/objects', {
      'x-api-key': KEY,
      'x-big': 'a'.repeat(20_000),
    });

    // Assess
    expect([dotted.status, JSON.parse(dotted.body.toString()).error]).toEqual([400, 'BAD_REQUEST']);
    expect([headers.status, JSON.parse(headers.body.toString()).error]).toEqual([431, 'HEADERS_TOO_LARGE']);
  });

  it('has produced and checked every documented answer local mode can give', () => {
    // Act
    const expected = contract.responseIds().filter((id) => !NOT_PRODUCED_HERE[id] && !isBugAnswer(id));
    const missing = expected.filter((id) => !seen.has(id));

    // Assess
    expect(missing).toEqual([]);
    expect(Object.keys(NOT_PRODUCED_HERE).filter((id) => !contract.responseIds().includes(id))).toEqual([]);
  });
});

describe('the document catches drift', () => {
  /** A copy of `body` with the top-level field `from` renamed. */
  const renamed = (body: Record<string, unknown>, from: string) =>
    Object.fromEntries(
      Object.entries(body).map(([name, value]) => [name === from ? `${name}Renamed` : name, value]),
    );

  it('fails every real answer, success or error, once any one of its fields is renamed', () => {
    // Prepare
    const answers = [...seen].filter(
      ([id, answer]) =>
        !id.startsWith('GET /openapi.json') && answer.body.length > 0 && answer.method !== 'HEAD',
    );
    expect(answers.length).toBeGreaterThan(20);

    // Act
    const undetected = answers.flatMap(([id, answer]) => {
      const body = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
      expect(contract.check(answer).problems, id).toEqual([]);
      return Object.keys(body)
        .filter((field) => {
          const changed = { ...answer, body: Buffer.from(JSON.stringify(renamed(body, field))) };
          return contract.check(changed).problems.length === 0;
        })
        .map((field) => `${id}: ${field}`);
    });

    // Assess
    expect(undetected).toEqual([]);
  });

  it('fails a real upload answer whose nested field is renamed, or whose type changes', () => {
    // Prepare
    const [, answer] = [...seen].find(([id]) => id === 'POST /uploads 201')!;
    const body = JSON.parse(answer.body.toString('utf8'));
    const variants = [
      { ...body, tokens: renamed(body.tokens, 'openaiTiles') },
      { ...body, original: renamed(body.original, 'contentType') },
      { ...body, size: String(body.size) },
      { ...body, method: 'resized' },
    ];

    // Act
    const verdicts = variants.map((variant) => contract.check({ ...answer, body: JSON.stringify(variant) }));

    // Assess
    for (const verdict of verdicts) expect(verdict.problems).not.toEqual([]);
  });
});
