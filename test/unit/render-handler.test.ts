import { Writable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { noisyPng } from '../support/image-fixtures';

const s3Mock = mockClient(S3Client);
const SHA = 'a'.repeat(64);
const ORIGINAL = `_originals/alice/${'b'.repeat(64)}.png`;

/** What the Lambda runtime's response stream received: the prelude (status, headers) and the body. */
class RecordingStream extends Writable {
  prelude: { statusCode: number; headers: Record<string, string> } | undefined;
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

// The part of the Lambda Node.js runtime's `awslambda` global the handler uses.
const fakeAwsLambda = {
  streamifyResponse: (handler: unknown) => handler,
  HttpResponseStream: {
    from: (stream: RecordingStream, prelude: RecordingStream['prelude']) => {
      stream.prelude = prelude;
      return stream;
    },
  },
};

const event = (rawPath: string, method = 'GET') =>
  ({
    rawPath,
    requestContext: { http: { method }, requestId: 'url-req-1' },
  }) as unknown as LambdaFunctionURLEvent;
// The part of the SDK's stream mixin the store reads.
const body = (bytes: Buffer) => ({ transformToByteArray: async () => new Uint8Array(bytes) }) as never;

function storedSource(bytes: Buffer): void {
  s3Mock.on(HeadObjectCommand).resolves({ ContentType: 'image/png', Metadata: { source: ORIGINAL } });
  s3Mock
    .on(GetObjectCommand, { Key: ORIGINAL })
    .resolves({ Body: body(bytes), ContentLength: bytes.length, ContentType: 'image/png', Metadata: {} });
  s3Mock.on(PutObjectCommand).resolves({});
}

async function invoke(rawPath: string, method = 'GET'): Promise<RecordingStream> {
  const { handler } = await import('../../lambdas/handlers/render');
  const stream = new RecordingStream();
  await handler(event(rawPath, method), stream as never, {} as Context);
  return stream;
}

beforeEach(() => {
  s3Mock.reset();
  vi.resetModules();
  vi.stubGlobal('awslambda', fakeAwsLambda);
  vi.stubEnv('BUCKET_NAME', 'images');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe('the render function (function URL, RESPONSE_STREAM)', () => {
  it('streams the status, the headers and the rendition’s bytes, after storing it', async () => {
    // Prepare
    storedSource(
      await sharp({ create: { width: 1024, height: 768, channels: 3, background: '#3366cc' } })
        .png()
        .toBuffer(),
    );

    // Act
    const stream = await invoke(`/_renditions/alice/${SHA}.png/w=256,format=webp`);

    // Assess
    expect(stream.prelude).toEqual({
      statusCode: 200,
      headers: expect.objectContaining({
        'content-type': 'image/webp',
        'content-length': String(stream.body.length),
        'cache-control': 'public, max-age=31536000, immutable',
      }),
    });
    expect(await sharp(stream.body).metadata()).toMatchObject({ format: 'webp', width: 256, height: 192 });
    expect(stream.writableFinished).toBe(true);
    expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'images',
      Key: `_renditions/alice/${SHA}.png/w=256,format=webp`,
      ContentType: 'image/webp',
      CacheControl: 'public, max-age=31536000, immutable',
    });
  });

  it('streams a 7 MB rendition whole: no 6 MB cap of a buffered response', async () => {
    // Prepare: an incompressible 1530×1530 PNG, kept byte for byte by the `original` profile
    const png = await noisyPng(1530, 1530, 7);
    expect(png.length).toBeGreaterThan(7_000_000);
    storedSource(png);

    // Act
    const stream = await invoke(`/_renditions/alice/${SHA}.png/fit=original`);

    // Assess
    expect(stream.prelude?.statusCode).toBe(200);
    expect(stream.prelude?.headers['content-length']).toBe(String(png.length));
    expect(stream.body.equals(png)).toBe(true);
  });

  it('answers HEAD with the headers and no body', async () => {
    // Prepare
    storedSource(
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366cc' } })
        .png()
        .toBuffer(),
    );

    // Act
    const stream = await invoke(`/_renditions/alice/${SHA}.png/w=32`, 'HEAD');

    // Assess
    expect(stream.prelude?.statusCode).toBe(200);
    expect(Number(stream.prelude?.headers['content-length'])).toBeGreaterThan(0);
    expect(stream.body).toHaveLength(0);
    expect(stream.writableFinished).toBe(true);
  });

  it('streams the JSON error of a missing source as a 404', async () => {
    // Prepare
    s3Mock.on(HeadObjectCommand).rejects(new NotFound({ message: 'nf', $metadata: { httpStatusCode: 404 } }));

    // Act
    const stream = await invoke(`/_renditions/alice/${SHA}.png/w=256`);

    // Assess
    expect(stream.prelude).toMatchObject({
      statusCode: 404,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
    expect(JSON.parse(stream.body.toString())).toEqual({
      error: 'NOT_FOUND',
      message: expect.any(String),
      requestId: 'url-req-1',
    });
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it.each([
    [{ BUCKET_NAME: '' }, 'BUCKET_NAME'],
    [{ MAX_IMAGE_PIXELS: 'many' }, 'MAX_IMAGE_PIXELS'],
    [{ MAX_DIRECT_UPLOAD_BYTES: '0' }, 'MAX_DIRECT_UPLOAD_BYTES'],
    [{ RENDITION_MAX_EDGE_PX: '99999' }, 'RENDITION_MAX_EDGE_PX'],
    [{ RENDITION_SIZES: '800,big' }, 'RENDITION_SIZES'],
    [{ S3_MAX_ATTEMPTS: '9' }, 'S3_MAX_ATTEMPTS'],
  ])('fails at cold start on %j, naming %s', async (env, name) => {
    // Prepare
    for (const [variable, value] of Object.entries(env)) vi.stubEnv(variable, value);

    // Act
    const load = import('../../lambdas/handlers/render');

    // Assess
    await expect(load).rejects.toThrow(name);
  });

  it('needs neither PUBLIC_BASE_URL nor CLIENT_KEY_IDS', async () => {
    // Prepare
    vi.stubEnv('PUBLIC_BASE_URL', undefined);
    vi.stubEnv('CLIENT_KEY_IDS', undefined);

    // Act
    const load = import('../../lambdas/handlers/render');

    // Assess
    await expect(load).resolves.toHaveProperty('handler');
  });
});
