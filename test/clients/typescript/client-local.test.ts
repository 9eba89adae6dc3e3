import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TappedAnswer } from '../../../infra/local/answer-tap';
import {
  ForbiddenError,
  ImageProxyClient,
  InvalidImageError,
  NotFoundError,
  renditionUrl,
  SourceForbiddenError,
  SourceUnavailableError,
  ThrottledError,
  TimeoutError,
  UnsupportedMediaTypeError,
  type ObjectListItem,
  type UploadProgress,
} from '../../../clients/typescript/src/index.ts';
import { runCli } from '../../../clients/typescript/src/cli-main.ts';
import { UNTHROTTLED, useLocalServer } from '../../support/file-server';
import { makeImage, makeNoisyPng, noisyPng, REFUSED_SAMPLES } from '../../support/image-fixtures';
import {
  answerStatus,
  serveBytes,
  serveBytesWithAuthorization,
  startSourceServer,
  type SourceServer,
} from '../../support/source-servers';

const KEY = 'client-key';
const local = useLocalServer(
  'ts-client',
  { alice: KEY, bob: 'bob-key' },
  { env: { ...UNTHROTTLED, S3_MAX_ATTEMPTS: '1' }, s3FaultProxy: true },
);
let client: ImageProxyClient;
let seed = 0;

beforeAll(() => {
  client = new ImageProxyClient({ apiUrl: local.server.apiUrl, apiKey: KEY });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const freshPng = () => makeNoisyPng(4_000, 7_000 + ++seed);

async function served(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('the TypeScript client against local mode', () => {
  it('uploads bytes through POST /uploads and answers the model-ready URL', async () => {
    // Prepare
    const png = await freshPng();
    const progress: UploadProgress[] = [];

    // Act
    const answer = await client.upload(png, { filename: 'small.png', onProgress: (p) => progress.push(p) });

    // Assess
    expect(answer).toMatchObject({ contentType: 'image/png', method: 'as-uploaded', sha256: sha256(png) });
    expect((await served(answer.url)).equals(png)).toBe(true);
    expect(progress.map((p) => [p.via, p.phase])).toEqual([
      ['direct', 'sending'],
      ['direct', 'done'],
    ]);
    expect((await client.info(answer.key)).filename).toBe('small.png');
  });

  it('uploads a 20 MB PNG file through a presigned PUT, reporting progress, and waits until it is published', async () => {
    // Prepare
    const png = await noisyPng(2600, 2600, 99);
    const path = join(local.dataDir, 'big.png');
    writeFileSync(path, png);
    const progress: UploadProgress[] = [];

    // Act
    const answer = await client.uploadFile(path, { fit: 'original', onProgress: (p) => progress.push(p) });

    // Assess
    expect(png.length).toBeGreaterThan(20_000_000);
    expect(answer).toMatchObject({ width: 2600, height: 2600, profile: 'original', method: 'as-uploaded' });
    expect(answer).not.toHaveProperty('status');
    expect(sha256(await served(answer.url))).toBe(sha256(png));
    expect(new Set(progress.map((p) => p.via))).toEqual(new Set(['presigned']));
    const sending = progress.filter((p) => p.phase === 'sending').map((p) => p.sentBytes);
    expect(sending.length).toBeGreaterThan(100);
    expect(sending).toEqual([...sending].sort((a, b) => a - b));
    expect(sending.at(-1)).toBe(png.length);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', sentBytes: png.length, totalBytes: png.length });
    expect((await client.info(answer.url)).filename).toBe('big.png');
  });

  it('uploads a stream of known size through a presigned PUT', async () => {
    // Prepare
    const png = await freshPng();

    // Act
    const answer = await client.upload(new Blob([png]).stream(), { size: png.length, via: 'presigned' });

    // Assess
    expect(answer.sha256).toBe(sha256(png));
  });

  it('throws the typed error of a presigned upload the check refused, with its upload id', async () => {
    // Act
    const refused = client.upload(REFUSED_SAMPLES.svg, { via: 'presigned', contentType: 'image/png' });

    // Assess
    await expect(refused).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    await expect(refused).rejects.toMatchObject({
      status: 415,
      uploadId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('throws the typed error of a direct upload the service refused', async () => {
    // Act / Assess
    await expect(client.upload(Buffer.from('iVBORw0KGgo=', 'base64'))).rejects.toBeInstanceOf(
      InvalidImageError,
    );
  });

  it('falls back to a presigned PUT when the service answers 413 to a direct upload', async () => {
    // Prepare: a client that believes in a higher limit than the deployment's
    const generous = new ImageProxyClient({
      apiUrl: local.server.apiUrl,
      apiKey: KEY,
      maxDirectUploadBytes: 8_000_000,
    });
    const png = await makeNoisyPng(5_000_000, 8_000 + ++seed);
    const progress: UploadProgress[] = [];

    // Act
    const answer = await generous.upload(png, { fit: 'original', onProgress: (p) => progress.push(p) });

    // Assess
    expect(answer.sha256).toBe(sha256(png));
    expect(progress[0]!.via).toBe('direct');
    expect(progress.at(-1)!.via).toBe('presigned');
  });

  it('presigns, lists page by page, reads info, makes renditions and deletes by key and by URL', async () => {
    // Prepare
    const uploaded = [];
    for (let i = 0; i < 3; i++) uploaded.push(await client.upload(await freshPng()));
    const [first, second, third] = uploaded as [
      (typeof uploaded)[0],
      (typeof uploaded)[0],
      (typeof uploaded)[0],
    ];

    // Act
    const get = await client.presignGet(first.key, { expiresIn: 60 });
    const read = await fetch(get.url);
    const readBytes = Buffer.from(await read.arrayBuffer());
    const batch = await client.presignBatch([
      { method: 'GET', key: second.key },
      { method: 'PUT', contentType: 'image/png', contentLength: 10 },
    ]);
    const pages: number[] = [];
    for await (const page of client.listPages({ pageSize: 2 })) pages.push(page.items.length);
    const items: ObjectListItem[] = [];
    for await (const item of client.list({ pageSize: 2 })) items.push(item);
    const rendition = await client.rendition(third.url, { fit: 'openai' });
    await client.delete(first.key);
    await client.delete(second.url);
    await client.delete(second.url);

    // Assess
    expect([read.status, get.key, sha256(readBytes)]).toEqual([200, first.key, first.sha256]);
    expect(batch.map((item) => item.method)).toEqual(['GET', 'PUT']);
    expect(pages.reduce((sum, n) => sum + n, 0)).toBe(items.length);
    expect(pages.length).toBe(Math.ceil(items.length / 2));
    expect(items.map((item) => item.key)).toEqual([...items.map((item) => item.key)].sort());
    expect(items.map((item) => item.key)).toEqual(expect.arrayContaining(uploaded.map((u) => u.key)));
    expect(rendition.profile).toBe('openai');
    await expect(client.info(first.key)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.info(second.key)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect((await client.openApiDocument()).openapi).toMatch(/^3\.1\./);
  });

  it('uploads an image and fetches a rendition of it at the CDN by the URL renditionUrl writes', async () => {
    // Prepare
    const answer = await client.upload(await noisyPng(200, 150, 9_000 + ++seed));
    const url = renditionUrl(answer.url, { w: 64, h: 64, fit: 'cover', format: 'webp' });

    // Act
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());

    // Assess
    expect(url).toBe(`${answer.url}?w=64&h=64&fit=cover&format=webp`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'image/webp']);
    const { format, width, height } = await sharp(bytes).metadata();
    expect({ format, width, height }).toEqual({ format: 'webp', width: 64, height: 64 });
  });

  it('throws ForbiddenError for a wrong key, without retrying', async () => {
    // Prepare
    const stranger = new ImageProxyClient({ apiUrl: local.server.apiUrl, apiKey: 'wrong' });

    // Act / Assess
    await expect(stranger.upload(await freshPng())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(stranger.list().next()).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('retries a 503 from storage after its Retry-After, and succeeds at the same URL', async () => {
    // Prepare
    const png = await freshPng();
    local.proxy.clear();
    local.proxy.inject('slowdown', { times: 1, method: 'PUT' });

    // Act
    const answer = await client.upload(png);

    // Assess
    expect(local.proxy.log.filter((entry) => entry.method === 'PUT').map((entry) => entry.fault)).toEqual([
      'slowdown',
      'pass',
    ]);
    expect(answer.sha256).toBe(sha256(png));
    local.proxy.clear();
  });
});

describe('the TypeScript client against a throttled local mode', () => {
  const answers: TappedAnswer[] = [];
  const throttled = useLocalServer(
    'ts-client-throttled',
    { alice: KEY },
    {
      env: { THROTTLE_RATE_PER_SECOND: '2', THROTTLE_BURST: '1' },
      onApiAnswer: (answer) => answers.push(answer),
    },
  );

  it('succeeds after 429s, each retry waiting at least its Retry-After', async () => {
    // Prepare
    const patient = new ImageProxyClient({
      apiUrl: throttled.server.apiUrl,
      apiKey: KEY,
      retry: { maxAttempts: 10 },
    });
    const images = await Promise.all([1, 2, 3, 4].map((i) => makeNoisyPng(2_000, 9_000 + i)));
    const started = performance.now();

    // Act
    const uploaded = await Promise.all(images.map((png) => patient.upload(png)));

    // Assess
    expect(uploaded.map((answer) => answer.sha256)).toEqual(images.map(sha256));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    // Three uploads waited for a token: the last needed at least three Retry-After seconds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it('throws ThrottledError, with Retry-After, once its attempts are spent', async () => {
    // Prepare
    const hasty = new ImageProxyClient({ apiUrl: throttled.server.apiUrl, apiKey: KEY, retry: false });
    await hasty
      .list()
      .next()
      .catch(() => undefined);

    // Act
    const results = await Promise.allSettled([1, 2, 3].map(() => hasty.list().next()));

    // Assess
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    for (const err of refused) expect(err).toBeInstanceOf(ThrottledError);
    expect(refused[0].retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});

describe('timeouts and aborts', () => {
  let silent: Server;
  let silentUrl: string;
  let requests = 0;

  beforeAll(async () => {
    // Reads each request and never answers.
    silent = createServer((req) => {
      requests++;
      req.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('throws TimeoutError after each attempt timed out', async () => {
    // Prepare
    const before = requests;
    const impatient = new ImageProxyClient({
      apiUrl: silentUrl,
      apiKey: KEY,
      timeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 10 },
    });

    // Act / Assess
    await expect(impatient.info('alice/a.png')).rejects.toBeInstanceOf(TimeoutError);
    expect(requests - before).toBe(2);
  });

  it('stops at once when its AbortSignal aborts, with the signal’s reason', async () => {
    // Prepare
    const waiting = new ImageProxyClient({ apiUrl: silentUrl, apiKey: KEY });
    const controller = new AbortController();
    const reason = new Error('user gave up');

    // Act
    const pending = waiting.upload(await makeImage('png'), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);

    // Assess
    await expect(pending).rejects.toBe(reason);
  });

  it('stops waiting for a presigned upload when aborted', async () => {
    // Prepare
    const controller = new AbortController();
    const reason = new Error('enough');
    setTimeout(() => controller.abort(reason), 100);

    // Act / Assess
    await expect(client.waitForUpload('0'.repeat(32), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('gives up waiting for a presigned upload after timeoutMs, naming it', async () => {
    // Act / Assess
    await expect(
      client.waitForUpload('0'.repeat(32), { timeoutMs: 200, intervalMs: 50 }),
    ).rejects.toMatchObject({
      code: 'UPLOAD_PENDING',
      uploadId: '0'.repeat(32),
    });
  });
});

describe('uploads from a URL through the TypeScript client and s3ip', () => {
  const TOKEN = 'Bearer source-token-5b2e';
  let source: SourceServer;
  let png: Buffer;

  beforeAll(async () => {
    png = await makeNoisyPng(3_000, 31);
    source = await startSourceServer({
      '/cat.png': serveBytes(png, 'application/octet-stream'),
      '/private.png': serveBytesWithAuthorization(png, TOKEN, 'image/png'),
      '/gone.png': answerStatus(404),
    });
  });
  // Registered before the server's own: after hooks run last-first, so the server closes first.
  afterAll(async () => {
    await source.close();
  });

  const fetching = useLocalServer('ts-client-source', { alice: KEY }, () => ({
    // Loopback sources are refused but for this one server: local mode's test allowance.
    env: { SOURCE_ALLOW_HTTP: 'true', LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${source.port}` },
  }));

  it('has the service fetch an image, with the header its source needs', async () => {
    // Prepare
    const proxy = new ImageProxyClient({ apiUrl: fetching.server.apiUrl, apiKey: KEY });

    // Act
    const fetched = await proxy.uploadFromUrl(`${source.origin}/cat.png`, { filename: 'cat.png' });
    const authorised = await proxy.uploadFromUrl(`${source.origin}/private.png`, {
      sourceHeaders: { Authorization: TOKEN },
      fit: 'openai',
    });

    // Assess
    expect(fetched.sha256).toBe(sha256(png));
    expect((await served(fetched.url)).equals(png)).toBe(true);
    expect(authorised.profile).toBe('openai');
  });

  it('throws SourceUnavailableError with the status the source answered, without retrying a 4xx', async () => {
    // Prepare
    const proxy = new ImageProxyClient({ apiUrl: fetching.server.apiUrl, apiKey: KEY });
    const before = source.requests.length;

    // Act
    const gone = proxy.uploadFromUrl(`${source.origin}/gone.png`);

    // Assess
    await expect(gone).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(gone).rejects.toMatchObject({ status: 502, sourceStatus: 404 });
    expect(source.requests.length - before).toBe(1);
    await expect(proxy.uploadFromUrl('http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(
      SourceForbiddenError,
    );
  });

  it('uploads URLs given to s3ip upload, files alongside', async () => {
    // Prepare
    const file = join(fetching.dataDir, 'local.png');
    writeFileSync(file, await makeNoisyPng(2_000, 32));
    let stdout = '';

    // Act
    const code = await runCli(['upload', `${source.origin}/cat.png`, 'local.png', '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: { S3IP_API_URL: fetching.server.apiUrl, S3IP_API_KEY: KEY },
      cwd: fetching.dataDir,
    });

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((r: any) => [r.file, r.via, r.sha256])).toEqual([
      [`${source.origin}/cat.png`, 'url', sha256(png)],
      ['local.png', 'direct', expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
  });
});
