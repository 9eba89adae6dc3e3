import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IMMUTABLE_CACHE_CONTROL } from '../../lambdas/adapters/image-store';
import { DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';
import { StorageUnavailableError } from '../../lambdas/core/errors';
import * as renderImage from '../../lambdas/imaging/render-image';
import * as renderResized from '../../lambdas/imaging/render-resized';
import { type CdnRenditionAnswer, createCdnRenditionRoute } from '../../lambdas/routes/cdn-rendition';
import { emfData, parseEmfLines, printingMetrics, quietMetrics, valuesOf } from '../support/emf';
import { fakeLogger } from '../support/fake-logger';
import { makeMp4 } from '../support/image-fixtures';
import { captureLogs } from '../support/log-capture';
import { MemoryImageStore } from '../support/memory-image-store';

const SHA = 'a'.repeat(64);
const UPLOAD_SHA = 'b'.repeat(64);
const PUBLIC_KEY = `alice/${SHA}.jpg`;
const ORIGINAL_KEY = `_originals/alice/${UPLOAD_SHA}.png`;
const BOUNDS = { maxEdgePx: 4096, sizes: DEFAULT_RENDITION_SIZES };
const MAX_SOURCE_BYTES = 10 * 1024 * 1024;

let store: MemoryImageStore;
let logger: ReturnType<typeof fakeLogger>;
let publicJpeg: Buffer;
let originalPng: Buffer;

function route(metrics = quietMetrics('render')) {
  return createCdnRenditionRoute({
    store,
    bounds: BOUNDS,
    maxPixels: 100_000_000,
    maxSourceBytes: MAX_SOURCE_BYTES,
    logger,
    metrics,
  });
}

const get = (path: string, method = 'GET') => route()({ method, path, requestId: 'req-1' });
const json = (answer: CdnRenditionAnswer) => JSON.parse(answer.body.toString('utf8'));

beforeAll(async () => {
  // The public object (the universal rendition, 400×300) and the upload kept behind it (1600×1200).
  publicJpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#3366cc' } })
    .jpeg()
    .toBuffer();
  originalPng = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#cc3366' } })
    .png()
    .toBuffer();
});

beforeEach(() => {
  vi.restoreAllMocks();
  logger = fakeLogger();
  store = new MemoryImageStore()
    .seed(PUBLIC_KEY, publicJpeg, 'image/jpeg', { client: 'alice', source: ORIGINAL_KEY })
    .seed(ORIGINAL_KEY, originalPng, 'image/png', { client: 'alice' });
});

describe('the CDN rendition route: renditions', () => {
  it('renders a canonical path from the kept original, stores it once at its rendition key and answers 200', async () => {
    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800,format=webp`);

    // Assess
    expect(answer.status).toBe(200);
    const seen = await sharp(answer.body).metadata();
    expect(seen).toMatchObject({ format: 'webp', width: 800, height: 600 });
    expect(answer.headers).toEqual({
      'content-type': 'image/webp',
      'content-length': String(answer.body.length),
      'cache-control': IMMUTABLE_CACHE_CONTROL,
      etag: `"${createHash('md5').update(answer.body).digest('hex')}"`,
      'x-content-type-options': 'nosniff',
      vary: 'Accept',
    });
    expect(store.puts).toHaveLength(1);
    expect(store.puts[0]).toMatchObject({
      key: `_renditions/${PUBLIC_KEY}/w=800,format=webp`,
      contentType: 'image/webp',
      sha256Base64: createHash('sha256').update(answer.body).digest('base64'),
      metadata: expect.objectContaining({ client: 'alice', 'rendered-from': ORIGINAL_KEY }),
    });
    expect(store.puts[0]!.private).toBeUndefined();
    expect(Buffer.from(store.puts[0]!.bytes).equals(answer.body)).toBe(true);
  });

  it('answers HEAD with the same headers and an empty body, and stores the rendition', async () => {
    // Act
    const headAnswer = await get(`/_renditions/${PUBLIC_KEY}/w=256,h=256,fit=cover`, 'HEAD');
    const getAnswer = await get(`/_renditions/${PUBLIC_KEY}/w=256,h=256,fit=cover`);

    // Assess
    expect(headAnswer.status).toBe(200);
    expect(headAnswer.body).toHaveLength(0);
    expect(headAnswer.headers).toEqual(getAnswer.headers);
    expect(Number(headAnswer.headers['content-length'])).toBe(getAnswer.body.length);
    expect(store.puts[0]!.key).toBe(`_renditions/${PUBLIC_KEY}/w=256,h=256,fit=cover`);
  });

  it('decodes a percent-encoded path once', async () => {
    // Act
    const answer = await get(`/_renditions/alice/${SHA}.jpg/w%3D800%2Cformat%3Dwebp`);

    // Assess
    expect(answer.status).toBe(200);
    expect(store.puts.map((put) => put.key)).toEqual([`_renditions/${PUBLIC_KEY}/w=800,format=webp`]);
  });

  it('renders a legacy object that has no kept original from the object itself', async () => {
    // Prepare
    store = new MemoryImageStore().seed(PUBLIC_KEY, publicJpeg, 'image/jpeg', { client: 'alice' });

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=256`);

    // Assess
    expect(answer.status).toBe(200);
    expect(await sharp(answer.body).metadata()).toMatchObject({ format: 'jpeg', width: 256, height: 192 });
    expect(store.reads).toEqual([PUBLIC_KEY]);
    expect(store.puts[0]!.metadata['rendered-from']).toBe(PUBLIC_KEY);
  });

  it('falls back to the object itself when its kept original is gone', async () => {
    // Prepare
    store.objects.delete(ORIGINAL_KEY);

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=256`);

    // Assess
    expect(answer.status).toBe(200);
    expect(store.reads).toEqual([ORIGINAL_KEY, PUBLIC_KEY]);
  });

  it('never reads an original that belongs to another client', async () => {
    // Prepare
    const foreign = `_originals/bob/${UPLOAD_SHA}.png`;
    store
      .seed(PUBLIC_KEY, publicJpeg, 'image/jpeg', { source: foreign })
      .seed(foreign, originalPng, 'image/png');

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=256`);

    // Assess
    expect(answer.status).toBe(200);
    expect(store.reads).toEqual([PUBLIC_KEY]);
  });

  it('renders a model profile through the profile pipeline', async () => {
    // Prepare
    const profile = vi.spyOn(renderImage, 'renderForProfile');

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/fit=anthropic`);

    // Assess
    expect(answer.status).toBe(200);
    expect(profile).toHaveBeenCalledWith(
      originalPng,
      'png',
      expect.objectContaining({ name: 'anthropic' }),
      100_000_000,
    );
    expect(answer.headers['content-type']).toMatch(/^image\/(jpeg|png|webp)$/);
    expect(store.puts[0]!.key).toBe(`_renditions/${PUBLIC_KEY}/fit=anthropic`);
  });

  it('logs one line per rendition without image bytes', async () => {
    // Act
    await get(`/_renditions/${PUBLIC_KEY}/w=256`);

    // Assess
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith('rendition made', {
      requestId: 'req-1',
      key: `_renditions/${PUBLIC_KEY}/w=256`,
      spec: 'w=256',
      from: ORIGINAL_KEY,
      sourceBytes: originalPng.length,
      bytes: store.puts[0]!.bytes.byteLength,
      width: 256,
      height: 192,
      ms: expect.any(Number),
    });
  });

  it('counts RenditionsRendered and Requests for the render function and its client', async () => {
    // Prepare
    const capture = captureLogs();

    // Act
    try {
      await route(printingMetrics('render'))({
        method: 'GET',
        path: `/_renditions/${PUBLIC_KEY}/w=256`,
        requestId: 'req-1',
      });
    } finally {
      capture.stop();
    }

    // Assess
    const data = emfData(parseEmfLines(capture.text()));
    expect(valuesOf(data, 'RenditionsRendered', { function: 'render' })).toEqual([1]);
    expect(valuesOf(data, 'Requests', { route: 'cdn-rendition', client: 'alice' })).toEqual([1]);
  });
});

describe('the CDN rendition route: refusals', () => {
  it.each([
    ['a size off the snap list', `/_renditions/${PUBLIC_KEY}/w=801`],
    ['parameters out of order', `/_renditions/${PUBLIC_KEY}/format=webp,w=800`],
    ['a default written out', `/_renditions/${PUBLIC_KEY}/w=800,fit=inside`],
    ['the viewer’s query form', `/_renditions/${PUBLIC_KEY}/w=800&format=webp`],
    ['a plain public key (S3 missed a plain request)', `/alice/${SHA}.jpg`],
    ['a kept original', `/${ORIGINAL_KEY}`],
    ['no spec', `/_renditions/${PUBLIC_KEY}`],
    ['a doubly encoded spec', `/_renditions/${PUBLIC_KEY}/w%253D800`],
  ])('answers 404 NOT_FOUND for %s, rendering nothing', async (_, path) => {
    // Prepare
    const resized = vi.spyOn(renderResized, 'renderResized');

    // Act
    const answer = await get(path);

    // Assess
    expect(answer.status).toBe(404);
    expect(json(answer)).toEqual({ error: 'NOT_FOUND', message: expect.any(String), requestId: 'req-1' });
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(resized).not.toHaveBeenCalled();
    expect(store.reads).toEqual([]);
    expect(store.puts).toEqual([]);
  });

  it.each([
    ['a plain public key', `/alice/${SHA}.jpg`, 'no such object'],
    ['a kept original', `/${ORIGINAL_KEY}`, 'no such object'],
    ['a rendition path off the grammar', `/_renditions/${PUBLIC_KEY}/w=801`, 'no such rendition'],
  ])('names what is missing in the 404 of %s', async (_, path, message) => {
    // Act
    const answer = await get(path);

    // Assess
    expect(json(answer)).toMatchObject({ error: 'NOT_FOUND', message });
  });

  it('answers 404 when neither the object nor an original exists, storing nothing', async () => {
    // Act
    const answer = await get(`/_renditions/alice/${'c'.repeat(64)}.jpg/w=800`);

    // Assess
    expect(answer.status).toBe(404);
    expect(json(answer).error).toBe('NOT_FOUND');
    expect(store.puts).toEqual([]);
  });

  it('answers 405 with allow: GET, HEAD to other methods', async () => {
    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800`, 'POST');

    // Assess
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect(json(answer).error).toBe('METHOD_NOT_ALLOWED');
    expect(store.puts).toEqual([]);
  });

  it('answers 422 NOT_RENDERABLE for an MP4 clip without downloading it, storing nothing', async () => {
    // Prepare
    const clip = `alice/${SHA}.mp4`;
    store.seed(clip, makeMp4(), 'video/mp4', { client: 'alice' });

    // Act
    const answer = await get(`/_renditions/${clip}/w=800`);

    // Assess
    expect(answer.status).toBe(422);
    expect(json(answer)).toMatchObject({ error: 'NOT_RENDERABLE', message: expect.stringContaining('MP4') });
    expect(store.reads).toEqual([]);
    expect(store.puts).toEqual([]);
  });

  it('answers 422 NOT_RENDERABLE when the bytes are an MP4 whatever the stored type says', async () => {
    // Prepare
    store = new MemoryImageStore().seed(PUBLIC_KEY, makeMp4(), 'image/jpeg');

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800`);

    // Assess
    expect(answer.status).toBe(422);
    expect(json(answer).error).toBe('NOT_RENDERABLE');
    expect(store.puts).toEqual([]);
  });

  it('answers 422 INVALID_IMAGE for a damaged image, storing nothing', async () => {
    // Prepare
    store = new MemoryImageStore().seed(PUBLIC_KEY, publicJpeg.subarray(0, 300), 'image/jpeg');

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800`);

    // Assess
    expect(answer.status).toBe(422);
    expect(json(answer).error).toBe('INVALID_IMAGE');
    expect(store.puts).toEqual([]);
  });

  it('answers 413 for a source over the size cap, storing nothing', async () => {
    // Prepare
    store = new MemoryImageStore().seed(PUBLIC_KEY, Buffer.alloc(MAX_SOURCE_BYTES + 1, 0xff), 'image/jpeg');

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800`);

    // Assess
    expect(answer.status).toBe(413);
    expect(store.puts).toEqual([]);
  });

  it.each([
    ['reading', 'get', 503],
    ['looking up', 'head', 503],
    ['storing', 'put', 502],
  ] as const)(
    'answers %s failure of storage with the JSON error, retry-after and nothing leaked',
    async (_, operation, status) => {
      // Prepare
      const cause = Object.assign(new Error('SlowDown: secret-bucket-name internal detail'), {
        name: 'SlowDown',
      });
      store.failOn(operation, new StorageUnavailableError(status, status === 503 ? 2 : 1, { cause }));

      // Act
      const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800`);

      // Assess
      expect(answer.status).toBe(status);
      expect(json(answer)).toEqual({
        error: 'STORAGE_UNAVAILABLE',
        message: 'the service could not complete the request; retry later',
        requestId: 'req-1',
      });
      expect(answer.headers).toMatchObject({
        'retry-after': status === 503 ? '2' : '1',
        'cache-control': 'no-store',
      });
      expect(answer.body.toString()).not.toContain('secret');
      expect(store.puts).toEqual([]);
    },
  );

  it('answers an unexpected failure with a bare 500', async () => {
    // Prepare
    vi.spyOn(renderResized, 'renderResized').mockRejectedValue(new Error('libvips exploded at /var/task'));

    // Act
    const answer = await get(`/_renditions/${PUBLIC_KEY}/w=800`);

    // Assess
    expect(answer.status).toBe(500);
    expect(json(answer)).toEqual({ error: 'INTERNAL_ERROR', message: 'internal error', requestId: 'req-1' });
    expect(store.puts).toEqual([]);
  });
});
