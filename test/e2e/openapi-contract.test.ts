import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TappedAnswer } from '../../infra/local/answer-tap';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../support/fault-proxy';
import { REFUSED_SAMPLES, makeImage, makeNoisyPng } from '../support/image-fixtures';
import { OPENAPI_PATH, OpenApiContract, type ResponseId } from '../support/openapi-contract';
import { sendRequest } from '../support/raw-http';
import { makeTempDir } from '../support/temp-dir';
import { embeddedS3Client } from '../support/stored-keys';

/**
 * Every route's answers, success and error, against openapi/openapi.json. (Every other e2e
 * suite is checked too, by test/support/contract-setup.ts; this one makes sure each documented
 * answer is actually produced and checked at least once.)
 */

const KEY = 'contract-key';
const contract = OpenApiContract.load();
/** The documented response each answer matched, with the first answer that matched it. */
const seen = new Map<ResponseId, TappedAnswer>();
const record = (answer: TappedAnswer) => {
  const { response } = contract.check(answer);
  if (response && !seen.has(response)) seen.set(response, answer);
};

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

const dir = makeTempDir('openapi-contract');
const throttledDir = makeTempDir('openapi-contract-throttled');
let server: LocalServer;
let throttled: LocalServer;
let proxy: FaultProxy;
let dynamoProxy: FaultProxy;
let seed = 0;

beforeAll(async () => {
  [server, throttled] = await Promise.all([
    startLocalServer({
      port: 0,
      dataDir: dir.path,
      clients: new Map([
        ['alice', KEY],
        ['bob', 'bob-key'],
      ]),
      onApiAnswer: record,
      // One attempt per S3 call and short budgets: a storage fault answers at once.
      env: {
        THROTTLE_RATE_PER_SECOND: '10000',
        THROTTLE_BURST: '5000',
        S3_MAX_ATTEMPTS: '1',
        S3_CONNECT_TIMEOUT_MS: '500',
        S3_REQUEST_TIMEOUT_MS: '2000',
        // A folder of more than one image is erased in the background: 202 and its status path.
        ERASE_IN_BACKGROUND_ABOVE: '1',
      },
      s3EndpointOverride: async (embedded) => {
        proxy = await startFaultProxy(embedded);
        return proxy.endpoint;
      },
      dynamoEndpointOverride: async (embedded) => {
        dynamoProxy = await startFaultProxy(embedded, 'dynamodb');
        return dynamoProxy.endpoint;
      },
    }),
    startLocalServer({
      port: 0,
      dataDir: throttledDir.path,
      clients: new Map([['alice', KEY]]),
      onApiAnswer: record,
      env: { THROTTLE_RATE_PER_SECOND: '1', THROTTLE_BURST: '1' },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), throttled?.close()]);
  await proxy?.close();
  await dynamoProxy?.close();
  dir.remove();
  throttledDir.remove();
});

interface Call {
  readonly method: string;
  readonly path: string;
  readonly json?: unknown;
  readonly raw?: { readonly bytes: Buffer; readonly contentType: string };
  /** `none` sends no key. @default KEY */
  readonly key?: string;
}

async function call(target: LocalServer, request: Call): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (request.key !== 'none') headers['x-api-key'] = request.key ?? KEY;
  let body: string | Buffer | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.raw) {
    headers['content-type'] = request.raw.contentType;
    body = request.raw.bytes;
  }
  const response = await fetch(`${target.apiUrl}${request.path}`, { method: request.method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const api = (request: Call) => call(server, request);

async function freshPng(): Promise<Buffer> {
  return makeNoisyPng(3_000, 500 + ++seed);
}

/** An object of alice's, uploaded through the API. */
async function stored(): Promise<{ key: string; url: string }> {
  const answer = await api({
    method: 'POST',
    path: '/uploads',
    json: { image: (await freshPng()).toString('base64') },
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

/** A presigned upload of `bytes` as `contentType`, PUT, then polled until the check decided. */
async function presignedUpload(bytes: Buffer, contentType: string): Promise<string> {
  const signed = await api({
    method: 'POST',
    path: '/presign',
    json: { method: 'PUT', contentType, contentLength: bytes.length },
  });
  const put = await fetch(signed.body.url, { method: 'PUT', headers: signed.body.headers, body: bytes });
  expect(put.status).toBe(200);
  await expect
    .poll(async () => (await api({ method: 'GET', path: signed.body.statusPath })).body.status, {
      timeout: 30_000,
      interval: 50,
    })
    .not.toBe('pending');
  return signed.body.statusPath;
}

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

  it.each<[string, Call, number, string]>([
    [
      'POST /uploads: bad JSON',
      { method: 'POST', path: '/uploads', raw: { bytes: Buffer.from('{'), contentType: 'application/json' } },
      400,
      'INVALID_JSON',
    ],
    ['POST /: bad base64', { method: 'POST', path: '/', json: { image: '!!!' } }, 400, 'INVALID_BASE64'],
    [
      'POST /uploads: over the base64 limit',
      { method: 'POST', path: '/uploads', json: { image: 'A'.repeat(6_000_000) } },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'POST /: over the base64 limit',
      { method: 'POST', path: '/', json: { image: 'A'.repeat(6_000_000) } },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'POST /uploads: SVG',
      { method: 'POST', path: '/uploads', json: { image: REFUSED_SAMPLES.svg.toString('base64') } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'POST /: SVG',
      { method: 'POST', path: '/', raw: { bytes: REFUSED_SAMPLES.svg, contentType: 'image/png' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'POST /uploads: truncated PNG',
      { method: 'POST', path: '/uploads', json: { image: 'iVBORw0KGgo=' } },
      422,
      'INVALID_IMAGE',
    ],
    [
      'POST /: truncated PNG',
      { method: 'POST', path: '/', json: { image: 'iVBORw0KGgo=' } },
      422,
      'INVALID_IMAGE',
    ],
    [
      'POST /renditions: no key or url',
      { method: 'POST', path: '/renditions', json: { fit: 'openai' } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'POST /renditions: no such object',
      { method: 'POST', path: '/renditions', json: { key: `alice/${'a'.repeat(64)}.png` } },
      404,
      'NOT_FOUND',
    ],
    [
      'POST /presign: bad expiry',
      { method: 'POST', path: '/presign', json: { method: 'GET', key: 'alice/x.png', expiresIn: 0 } },
      400,
      'INVALID_EXPIRY',
    ],
    [
      "POST /presign: another client's key",
      { method: 'POST', path: '/presign', json: { method: 'GET', key: `bob/${'a'.repeat(64)}.png` } },
      404,
      'NOT_FOUND',
    ],
    [
      'POST /presign: too large',
      {
        method: 'POST',
        path: '/presign',
        json: { method: 'PUT', contentType: 'image/png', contentLength: 2 ** 40 },
      },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'POST /presign: not an image type',
      {
        method: 'POST',
        path: '/presign',
        json: { method: 'PUT', contentType: 'image/svg+xml', contentLength: 10 },
      },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['GET /uploads/{id}: not an upload id', { method: 'GET', path: '/uploads/nope' }, 404, 'NOT_FOUND'],
    ['GET /objects: bad limit', { method: 'GET', path: '/objects?limit=0' }, 400, 'INVALID_LIMIT'],
    [
      "GET /objects: another client's prefix",
      { method: 'GET', path: '/objects?prefix=bob/' },
      403,
      'FORBIDDEN',
    ],
    ['DELETE /objects: no url', { method: 'DELETE', path: '/objects' }, 400, 'INVALID_REQUEST'],
    [
      'DELETE /objects: URL of another host',
      { method: 'DELETE', path: `/objects?url=${encodeURIComponent('https://example.com/alice/a.png')}` },
      404,
      'NOT_FOUND',
    ],
    [
      'GET /objects/{key}: no such object',
      { method: 'GET', path: `/objects/alice/${'b'.repeat(64)}.png` },
      404,
      'NOT_FOUND',
    ],
    [
      "DELETE /objects/{key}: another client's key",
      { method: 'DELETE', path: `/objects/bob/${'b'.repeat(64)}.png` },
      404,
      'NOT_FOUND',
    ],
    [
      'PATCH /objects/{key}: no such image',
      { method: 'PATCH', path: `/objects/alice/${'b'.repeat(40)}.png`, json: { tags: ['a'] } },
      404,
      'NOT_FOUND',
    ],
    [
      'PATCH /objects/{key}: hostile tags',
      { method: 'PATCH', path: `/objects/alice/${'b'.repeat(40)}.png`, json: { tags: ['<b>'] } },
      400,
      'INVALID_TAGS',
    ],
    ['GET /stats: hostile folder', { method: 'GET', path: '/stats?folder=../bob' }, 400, 'INVALID_FOLDER'],
    ['unknown route', { method: 'GET', path: '/nowhere' }, 404, 'ROUTE_NOT_FOUND'],
    ['known path, other method', { method: 'PUT', path: '/uploads' }, 405, 'METHOD_NOT_ALLOWED'],
    [
      "body over Lambda's 6 MiB (the gateway's 413)",
      {
        method: 'POST',
        path: '/renditions',
        raw: { bytes: Buffer.alloc(7 * 1024 * 1024), contentType: 'application/octet-stream' },
      },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('%s: %i %s', async (_, request, status, error) => {
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
