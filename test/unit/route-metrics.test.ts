import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createLogger } from '../../lambdas/adapters/logger';
import { InMemoryPresignQuota } from '../../lambdas/adapters/presign-quota';
import { S3UrlSigner } from '../../lambdas/adapters/url-signer';
import { SourceUnavailableError } from '../../lambdas/core/errors';
import { DEFAULT_UPLOAD_LIMITS } from '../../lambdas/core/limits';
import { METRICS, METRICS_NAMESPACE } from '../../lambdas/core/metric-catalogue';
import { createCheckUploadRoute } from '../../lambdas/routes/check-upload';
import { objectsCapability } from '../../lambdas/capabilities/objects';
import { createObjectsRoute } from '../../lambdas/routes/objects';
import { createPresignRoute } from '../../lambdas/routes/presign';
import { createRenditionRoute } from '../../lambdas/routes/rendition';
import { createUploadImageRoute } from '../../lambdas/routes/upload-image';
import {
  emfData,
  parseEmfLines,
  plainTextLines,
  printingMetrics,
  valuesOf,
  type EmfDatum,
} from '../support/emf';
import { DEFAULT_FITS } from '../support/fits';
import { makeImage, REFUSED_SAMPLES } from '../support/image-fixtures';
import { captureLogs } from '../support/log-capture';
import { proxyEvent } from '../support/proxy-events';

const s3Mock = mockClient(S3Client);
const store = () => new S3ImageStore(new S3Client({ region: 'eu-west-1' }), 'images');
const CDN = 'https://d1.cloudfront.net';
const ALICE = new Map([['key-alice', 'alice']]);
const UPLOAD_ID = '0123456789abcdef0123456789abcdef';
// The part of the SDK's stream mixin the store reads.
const body = (bytes: Buffer) => ({ transformToByteArray: async () => new Uint8Array(bytes) }) as never;
const context = { awsRequestId: 'fn-req-1' };

let png: Buffer;
beforeAll(async () => {
  png = await makeImage('png', 8, 6);
});
beforeEach(() => {
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({});
  s3Mock.on(DeleteObjectCommand).resolves({});
});
afterEach(() => vi.unstubAllEnvs());

/** Runs `act` and returns the EMF data points and the log text it printed. */
async function measured(act: () => Promise<unknown>): Promise<{ data: EmfDatum[]; logs: string }> {
  const capture = captureLogs();
  try {
    await act();
  } finally {
    capture.stop();
  }
  const logs = capture.text();
  return { data: emfData(parseEmfLines(logs)), logs };
}

function uploadRoute() {
  return createUploadImageRoute({
    store: store(),
    clientsByKeyId: ALICE,
    publicBaseUrl: CDN,
    limits: DEFAULT_UPLOAD_LIMITS,
    fits: DEFAULT_FITS,
    logger: createLogger(),
    metrics: printingMetrics('upload'),
  });
}

function presignRoute(quota = new InMemoryPresignQuota({ uploads: 3, windowSeconds: 3600 })) {
  return createPresignRoute({
    signer: new S3UrlSigner({
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
      region: 'eu-west-1',
      bucketName: 'images',
    }),
    clientsByKeyId: ALICE,
    publicBaseUrl: CDN,
    settings: { defaultExpiresSeconds: 3600, maxExpiresSeconds: 86_400, maxDirectUploadBytes: 1_000_000 },
    fits: DEFAULT_FITS,
    logger: createLogger(),
    metrics: printingMetrics('presign'),
    quota,
  });
}

const putItem = { method: 'PUT', contentType: 'image/png', contentLength: 100 };

describe('metrics of the API routes (EMF lines on stdout)', () => {
  it('upload: every metric in the namespace, with the function set and the route-and-client set', async () => {
    // Act
    const { data } = await measured(() =>
      uploadRoute()(proxyEvent({ body: JSON.stringify({ image: png.toString('base64') }) }), context),
    );

    // Assess
    expect(new Set(data.map((datum) => datum.namespace))).toEqual(new Set([METRICS_NAMESPACE]));
    for (const datum of data) {
      expect(datum.unit).toBe(METRICS[datum.name as keyof typeof METRICS].unit);
      expect(datum.dimensionSets).toEqual([
        { service: 'test', function: 'upload' },
        { service: 'test', route: 'upload', client: 'alice' },
      ]);
    }
    const byName = Object.fromEntries(data.map((datum) => [datum.name, datum.value]));
    expect(byName).toEqual({
      Requests: 1,
      Uploads: 1,
      UploadBytes: png.length,
      Renditions: 1,
      RenditionBytes: png.length, // an 8×6 PNG without metadata is served as it came
    });
  });

  it('upload: a refusal is counted by its error code, never as a server error', async () => {
    // Act
    const { data } = await measured(() =>
      uploadRoute()(
        proxyEvent({ body: JSON.stringify({ image: REFUSED_SAMPLES.svg.toString('base64') }) }),
        context,
      ),
    );

    // Assess
    expect(valuesOf(data, 'Refusals', { function: 'upload', errorCode: 'UNSUPPORTED_MEDIA_TYPE' })).toEqual([
      1,
    ]);
    expect(
      valuesOf(data, 'Refusals', { route: 'upload', client: 'alice', errorCode: 'UNSUPPORTED_MEDIA_TYPE' }),
    ).toEqual([1]);
    expect(valuesOf(data, 'Requests', { function: 'upload' })).toEqual([1]);
    expect(valuesOf(data, 'ServerErrors', { function: 'upload' })).toEqual([]);
    expect(valuesOf(data, 'Uploads', { function: 'upload' })).toEqual([]);
  });

  it('upload: a refusal prints valid EMF and nothing else, no plain-text warning', async () => {
    // Act
    const { logs } = await measured(() =>
      uploadRoute()(
        proxyEvent({ body: JSON.stringify({ image: REFUSED_SAMPLES.svg.toString('base64') }) }),
        context,
      ),
    );

    // Assess
    expect(plainTextLines(logs)).toEqual([]);
    const sets = parseEmfLines(logs).flatMap((line) => line._aws.CloudWatchMetrics[0]!.Dimensions);
    // Every dimension of every set is a key of its line (what CloudWatch requires of EMF).
    for (const line of parseEmfLines(logs))
      for (const set of line._aws.CloudWatchMetrics[0]!.Dimensions)
        for (const name of set) expect(line[name]).toEqual(expect.any(String));
    expect(sets).toContainEqual(['service', 'function', 'errorCode']);
    expect(sets).toContainEqual(['service', 'route', 'client', 'errorCode']);
  });

  it('upload: an unreachable source URL (502 SOURCE_UNAVAILABLE) is the client’s refusal, not a server error', async () => {
    // Prepare
    const route = createUploadImageRoute({
      store: store(),
      clientsByKeyId: ALICE,
      publicBaseUrl: CDN,
      limits: DEFAULT_UPLOAD_LIMITS,
      fits: DEFAULT_FITS,
      logger: createLogger(),
      metrics: printingMetrics('upload'),
      sourceFetcher: {
        policy: {
          allowHttp: false,
          allowedPorts: new Set([443]),
          denyRanges: [],
          headerAllowlist: new Set(['authorization']),
          loopbackExceptions: [],
        },
        limits: { maxRedirects: 3, timeoutMs: 1000, stallTimeoutMs: 500, maxBytes: 1000 },
        fetch: async () => {
          throw new SourceUnavailableError('the source answered 404', 404);
        },
      },
    });

    // Act
    let status = 0;
    const { data } = await measured(async () => {
      status = (
        await route(proxyEvent({ body: JSON.stringify({ sourceUrl: 'https://example.org/a.png' }) }), context)
      ).statusCode;
    });

    // Assess
    expect(status).toBe(502);
    expect(valuesOf(data, 'Refusals', { function: 'upload', errorCode: 'SOURCE_UNAVAILABLE' })).toEqual([1]);
    expect(valuesOf(data, 'ServerErrors', { function: 'upload' })).toEqual([]);
  });

  it('upload: a request of no known client is counted without a client dimension', async () => {
    // Act
    const { data } = await measured(() =>
      uploadRoute()(proxyEvent({ apiKeyId: 'unknown', body: '{}' }), context),
    );

    // Assess
    expect(valuesOf(data, 'Refusals', { route: 'upload', errorCode: 'FORBIDDEN' })).toEqual([1]);
  });

  it('rendition: counts the rendition and its bytes', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).resolves({ Metadata: {} });
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(png), ContentLength: png.length, ContentType: 'image/png' });
    const route = createRenditionRoute({
      store: store(),
      clientsByKeyId: ALICE,
      publicBaseUrl: CDN,
      limits: DEFAULT_UPLOAD_LIMITS,
      fits: DEFAULT_FITS,
      maxSourceBytes: 1_000_000,
      logger: createLogger(),
      metrics: printingMetrics('upload'),
    });

    // Act
    const { data } = await measured(() =>
      route(
        proxyEvent({
          resource: '/renditions',
          body: JSON.stringify({ key: `alice/${'a'.repeat(64)}.png`, fit: 'openai' }),
        }),
        context,
      ),
    );

    // Assess
    expect(valuesOf(data, 'Renditions', { route: 'rendition', client: 'alice' })).toEqual([1]);
    expect(valuesOf(data, 'RenditionBytes', { route: 'rendition', client: 'alice' })).toEqual([
      expect.any(Number),
    ]);
    expect(valuesOf(data, 'Requests', { function: 'upload' })).toEqual([1]);
  });

  it('presign: counts presigned uploads and reads of a batch', async () => {
    // Act
    const { data } = await measured(() =>
      presignRoute()(
        proxyEvent({
          resource: '/presign',
          body: JSON.stringify({ items: [putItem, putItem, { method: 'GET', key: 'alice/x.png' }] }),
        }),
        context,
      ),
    );

    // Assess
    expect(valuesOf(data, 'PresignedUploads', { route: 'presign', client: 'alice' })).toEqual([2]);
    expect(valuesOf(data, 'PresignedReads', { route: 'presign', client: 'alice' })).toEqual([1]);
  });

  it('presign: over the ceiling, the whole batch is refused with 429 PRESIGN_LIMIT_EXCEEDED and counted', async () => {
    // Prepare
    const route = presignRoute();
    const batch = (n: number) =>
      proxyEvent({ resource: '/presign', body: JSON.stringify({ items: Array(n).fill(putItem) }) });
    expect((await route(batch(2), context)).statusCode).toBe(200);

    // Act
    let refused: Awaited<ReturnType<typeof route>> | undefined;
    const { data } = await measured(async () => {
      refused = await route(batch(2), context);
    });
    const fits = await route(batch(1), context);

    // Assess
    expect(refused?.statusCode).toBe(429);
    expect(JSON.parse(refused!.body)).toMatchObject({ error: 'PRESIGN_LIMIT_EXCEEDED' });
    expect(Number(refused?.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(valuesOf(data, 'Refusals', { function: 'presign', errorCode: 'PRESIGN_LIMIT_EXCEEDED' })).toEqual([
      1,
    ]);
    expect(valuesOf(data, 'PresignedUploads', { function: 'presign' })).toEqual([]);
    expect(fits.statusCode).toBe(200); // the refused batch took nothing from the window
  });

  it.each([
    ['list', { httpMethod: 'GET', resource: '/objects' }, 'Requests'],
    [
      'info',
      { httpMethod: 'GET', resource: '/objects/{key+}', pathParameters: { key: 'alice/a.png' } },
      'Requests',
    ],
    [
      'delete',
      { httpMethod: 'DELETE', resource: '/objects/{key+}', pathParameters: { key: 'alice/a.png' } },
      'Deletes',
    ],
    [
      'upload-status',
      { httpMethod: 'GET', resource: '/uploads/{id}', pathParameters: { id: UPLOAD_ID } },
      'Requests',
    ],
  ] as const)('objects: a %s request is counted under its own route', async (route, fields, metric) => {
    // Prepare
    s3Mock.on(ListObjectsCommand).resolves({ Contents: [] });
    s3Mock.on(HeadObjectCommand).resolves({ Metadata: {}, ContentLength: 1 });
    s3Mock.on(GetObjectCommand).rejects(new NotFound({ message: 'nf', $metadata: { httpStatusCode: 404 } }));
    const objects = createObjectsRoute(
      {
        store: store(),
        invalidator: NO_CDN_INVALIDATION,
        clientsByKeyId: ALICE,
        publicBaseUrl: CDN,
        logger: createLogger(),
        metrics: printingMetrics('objects'),
      },
      objectsCapability.routes,
    );

    // Act
    const { data } = await measured(() => objects(proxyEvent(fields), context));

    // Assess
    expect(valuesOf(data, metric, { route, client: 'alice' })).toEqual([1]);
    expect(valuesOf(data, 'Requests', { function: 'objects' })).toEqual([1]);
  });
});

describe('a 5xx caused by storage', () => {
  it('is counted as a server error and a storage fault, and logged with the S3 status, request ids, function request id and cold start', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    s3Mock.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'SlowDown',
        $fault: 'server',
        $metadata: { httpStatusCode: 503, requestId: 'S3REQ123', extendedRequestId: 'ext/id2=', attempts: 3 },
        message: 'Please reduce your request rate.',
      }),
    );
    const route = uploadRoute();
    const event = proxyEvent({
      body: JSON.stringify({ image: png.toString('base64') }),
      requestContext: { requestId: 'api-req-9', identity: { apiKeyId: 'key-alice' } } as never,
    });

    // Act
    const { data, logs } = await measured(() => route(event, context));
    const second = await measured(() => route(event, { awsRequestId: 'fn-req-2' }));

    // Assess
    expect(valuesOf(data, 'ServerErrors', { function: 'upload' })).toEqual([1]);
    expect(valuesOf(data, 'StorageFaults', { function: 'upload', fault: 'throttled' })).toEqual([1]);
    expect(valuesOf(data, 'StorageFaults', { route: 'upload', client: 'alice', fault: 'throttled' })).toEqual(
      [1],
    );
    const line = logs
      .split('\n')
      .map((text) => (text.startsWith('{') ? JSON.parse(text) : {}))
      .find((entry) => entry.message === 'request failed');
    expect(line).toMatchObject({
      level: 'WARN',
      requestId: 'fn-req-1',
      apiRequestId: 'api-req-9',
      function_request_id: 'fn-req-1',
      cold_start: true,
      statusCode: 503,
      error: 'STORAGE_UNAVAILABLE',
      cause: {
        name: 'SlowDown',
        httpStatus: 503,
        requestId: 'S3REQ123',
        extendedRequestId: 'ext/id2=',
        attempts: 3,
        fault: 'throttled',
      },
    });
    expect(JSON.stringify(line)).not.toContain('reduce your request rate');
    expect(second.logs).toContain('"cold_start":false');
  });
});

describe('metrics of the check of presigned uploads', () => {
  const s3Event = (key: string, eventTime: string): S3Event =>
    ({ Records: [{ eventName: 'ObjectCreated:Put', eventTime, s3: { object: { key } } }] }) as never;
  const check = () =>
    createCheckUploadRoute({
      store: store(),
      limits: DEFAULT_UPLOAD_LIMITS,
      maxDirectUploadBytes: 1_000_000,
      publicBaseUrl: CDN,
      fits: DEFAULT_FITS,
      logger: createLogger(),
      metrics: printingMetrics('checkUpload'),
      now: () => Date.parse('2026-11-21T10:00:02.500Z'),
    });

  it('counts a published upload, its bytes, its outcome and its time to servable', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'nf', $metadata: { httpStatusCode: 404 } }));
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(png), ContentLength: png.length, ContentType: 'image/png', Metadata: {} });

    // Act
    const { data } = await measured(() =>
      check()(s3Event(`_incoming/alice/${UPLOAD_ID}.png`, '2026-11-21T10:00:00.000Z')),
    );

    // Assess
    const alice = { route: 'check', client: 'alice' };
    expect(valuesOf(data, 'Checks', { function: 'checkUpload', outcome: 'published' })).toEqual([1]);
    expect(valuesOf(data, 'Uploads', alice)).toEqual([1]);
    expect(valuesOf(data, 'UploadBytes', alice)).toEqual([png.length]);
    expect(valuesOf(data, 'Renditions', alice)).toEqual([1]);
    expect(valuesOf(data, 'TimeToServable', { function: 'checkUpload' })).toEqual([2500]);
  });

  it('counts a refused upload by outcome and error code', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'nf', $metadata: { httpStatusCode: 404 } }));
    s3Mock.on(GetObjectCommand).resolves({
      Body: body(REFUSED_SAMPLES.svg),
      ContentLength: REFUSED_SAMPLES.svg.length,
      ContentType: 'image/png',
      Metadata: {},
    });

    // Act
    const { data } = await measured(() =>
      check()(s3Event(`_incoming/alice/${UPLOAD_ID}.png`, '2026-11-21T10:00:00.000Z')),
    );

    // Assess
    expect(valuesOf(data, 'Checks', { route: 'check', client: 'alice', outcome: 'rejected' })).toEqual([1]);
    expect(
      valuesOf(data, 'Refusals', { route: 'check', client: 'alice', errorCode: 'UNSUPPORTED_MEDIA_TYPE' }),
    ).toEqual([1]);
  });

  it('counts a storage fault, logs its cause and rethrows so Lambda retries the event', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    s3Mock.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500, requestId: 'S3REQ500' },
        message: 'We encountered an internal error.',
      }),
    );
    const route = check();

    // Act
    let thrown: unknown;
    const { data, logs } = await measured(async () => {
      thrown = await route(s3Event(`_incoming/alice/${UPLOAD_ID}.png`, '2026-11-21T10:00:00.000Z'), {
        awsRequestId: 'fn-req-7',
      }).catch((err: unknown) => err);
    });

    // Assess
    expect(thrown).toMatchObject({ code: 'STORAGE_UNAVAILABLE', statusCode: 502 });
    expect(valuesOf(data, 'StorageFaults', { function: 'checkUpload', fault: 'server-error' })).toEqual([1]);
    expect(valuesOf(data, 'Checks', { function: 'checkUpload', outcome: 'published' })).toEqual([]);
    expect(logs).toContain('"requestId":"S3REQ500"');
    expect(logs).toContain('"httpStatus":500');
    expect(logs).toContain('"function_request_id":"fn-req-7"');
    expect(logs).toContain('"cold_start":true');
  });
});
