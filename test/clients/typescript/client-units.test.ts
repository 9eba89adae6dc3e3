import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bodySourceOf, sniffContentType } from '../../../clients/typescript/src/body-source.ts';
import { keyOf } from '../../../clients/typescript/src/client.ts';
import { expandFiles } from '../../../clients/typescript/src/cli-files.ts';
import { formatBytes, ProgressBar, renderProgress } from '../../../clients/typescript/src/cli-progress.ts';
import {
  API_ERROR_CLASSES,
  ApiError,
  apiErrorFor,
  ForbiddenError,
  NetworkError,
  refusedUploadError,
  ThrottledError,
  TimeoutError,
  UnsupportedMediaTypeError,
} from '../../../clients/typescript/src/errors.ts';
import {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
} from '../../../clients/typescript/src/retry.ts';
import { API_TYPES_PATH, readSpec, renderApiTypes } from '../../../scripts/openapi-types';
import { makeHeif, makeImage, makeMp4, REFUSED_SAMPLES } from '../../support/image-fixtures';
import { makeTempDir } from '../../support/temp-dir';

const spec = readSpec() as any;

describe('types of the TypeScript client', () => {
  it('are the ones generated from openapi/openapi.json (npm run openapi:types)', () => {
    // Act
    const generated = renderApiTypes(spec);

    // Assess
    expect(readFileSync(API_TYPES_PATH, 'utf8')).toBe(generated);
  });

  it('follow a renamed field of the document', () => {
    // Prepare
    const renamed = structuredClone(spec);
    const fields = renamed.components.schemas.UploadAnswerFields;
    fields.properties.publicUrl = fields.properties.url;
    delete fields.properties.url;

    // Act
    const generated = renderApiTypes(renamed);

    // Assess
    expect(generated).toMatch(/readonly publicUrl: string;/);
    expect(generated).not.toBe(renderApiTypes(spec));
  });
});

describe('errors of the TypeScript client', () => {
  const pascal = (code: string) =>
    code
      .toLowerCase()
      .split('_')
      .map((word) => word[0]!.toUpperCase() + word.slice(1))
      .join('');

  it('has one class per error code of the document, named after it', () => {
    // Act
    const codes = API_ERROR_CLASSES.map((cls) => cls.code);

    // Assess
    expect([...codes].sort()).toEqual([...spec.components.schemas.ErrorCode.enum].sort());
    for (const cls of API_ERROR_CLASSES)
      expect(cls.name).toBe(`${pascal(cls.code).replace(/Error$/, '')}Error`);
  });

  it.each(API_ERROR_CLASSES.map((cls) => [cls.code, cls] as const))(
    'turns an answer with %s into its class, keeping status, request id and Retry-After',
    (code, cls) => {
      // Act
      const err = apiErrorFor({ code, message: 'm', status: 429, requestId: 'r-1', retryAfterSeconds: 2 });

      // Assess
      expect(err).toBeInstanceOf(cls);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ code, message: 'm', status: 429, requestId: 'r-1', retryAfterSeconds: 2 });
      expect(err.name).toBe(cls.name);
    },
  );

  it('keeps a code it does not know yet as a plain ApiError', () => {
    // Act
    const err = apiErrorFor({ code: 'SOMETHING_NEW', message: 'm', status: 400 });

    // Assess
    expect(err.constructor).toBe(ApiError);
    expect(err.code).toBe('SOMETHING_NEW');
  });

  it('gives a refused presigned upload the status the base64 route gives, and its upload id', () => {
    // Act
    const err = refusedUploadError('UNSUPPORTED_MEDIA_TYPE', 'an SVG', 'abc');

    // Assess
    expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
    expect(err).toMatchObject({ status: 415, uploadId: 'abc' });
  });
});

describe('retries', () => {
  const policy = DEFAULT_RETRY_POLICY;
  const api = (status: number, code: string, retryAfterSeconds?: number) =>
    apiErrorFor({ code, message: '', status, retryAfterSeconds });

  it.each([
    ['429 THROTTLED', api(429, 'THROTTLED'), true],
    ['429 QUOTA_EXCEEDED (resets with its period)', api(429, 'QUOTA_EXCEEDED'), false],
    ['502 STORAGE_UNAVAILABLE', api(502, 'STORAGE_UNAVAILABLE'), true],
    ['503 SERVER_BUSY', api(503, 'SERVER_BUSY'), true],
    ['504 INTERNAL_ERROR', api(504, 'INTERNAL_ERROR'), true],
    ['500 INTERNAL_ERROR (a bug)', api(500, 'INTERNAL_ERROR'), false],
    ['400 INVALID_JSON', api(400, 'INVALID_JSON'), false],
    ['403 FORBIDDEN', api(403, 'FORBIDDEN'), false],
    ['a lost connection', new NetworkError('reset'), true],
    ['a timeout', new TimeoutError('slow'), true],
    ['anything else', new Error('bug'), false],
  ])('%s: retryable %s', (_, err, retryable) => {
    // Assess
    expect(isRetryable(err)).toBe(retryable);
  });

  it('backs off exponentially with full jitter, up to the ceiling', () => {
    // Act
    const highest = [1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      retryDelayMs({ ...policy, maxAttempts: 10 }, attempt, new NetworkError('x'), () => 0.999_999),
    );
    const lowest = retryDelayMs(policy, 1, new NetworkError('x'), () => 0);

    // Assess
    expect(highest.map((ms) => Math.round(ms!))).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000]);
    expect(lowest).toBe(0);
  });

  it('waits at least Retry-After, plus up to one base delay of jitter', () => {
    // Act
    const delays = [0, 0.5, 0.999].map((r) => retryDelayMs(policy, 1, api(429, 'THROTTLED', 2), () => r));

    // Assess
    expect(delays).toEqual([2000, 2125, 2000 + 0.999 * 250]);
  });

  it('gives up after maxAttempts, on what is not retryable, and on a Retry-After past maxRetryAfterMs', () => {
    // Assess
    expect(retryDelayMs(policy, policy.maxAttempts, new NetworkError('x'))).toBeUndefined();
    expect(retryDelayMs(policy, 1, api(403, 'FORBIDDEN'))).toBeUndefined();
    expect(retryDelayMs(policy, 1, api(503, 'STORAGE_UNAVAILABLE', 3600))).toBeUndefined();
  });

  it.each([
    ['2', 2],
    [' 10 ', 10],
    ['Wed, 21 Oct 2015 07:28:05 GMT', 5],
    ['', undefined],
    ['soon', undefined],
    [null, undefined],
  ])('reads Retry-After %j as %s seconds', (value, seconds) => {
    // Act
    const parsed = parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'));

    // Assess
    expect(parsed).toBe(seconds);
  });
});

describe('bodies', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['avif', 'image/avif'],
  ] as const)('tells %s bytes made by sharp as %s', async (format, type) => {
    // Prepare
    const bytes = await makeImage(format);

    // Act / Assess
    expect(sniffContentType(bytes)).toBe(type);
  });

  it('tells HEIC, HEIF and MP4 containers, and nothing else', () => {
    // Assess
    expect(sniffContentType(makeHeif('heic'))).toBe('image/heic');
    expect(sniffContentType(makeHeif('mif1'))).toBe('image/heif');
    expect(sniffContentType(makeMp4())).toBe('video/mp4');
    for (const refused of Object.values(REFUSED_SAMPLES)) expect(sniffContentType(refused)).toBeUndefined();
  });

  it('sends a stream of known size as it comes, its first bytes peeked for the type, once', async () => {
    // Prepare
    const png = await makeImage('png', 64, 64);
    const chunks = [png.subarray(0, 10), png.subarray(10, 50), png.subarray(50)];
    async function* stream() {
      yield* chunks;
    }

    // Act
    const source = await bodySourceOf(stream(), png.length);
    const sent = Buffer.from(await new Response(source.open() as ReadableStream).arrayBuffer());

    // Assess
    expect(source).toMatchObject({ size: png.length, replayable: false });
    expect(sniffContentType(source.head)).toBe('image/png');
    expect(sent.equals(png)).toBe(true);
    expect(() => source.open()).toThrow(/only once/);
  });

  it('reads a stream of unknown size whole, so it can be measured and sent again', async () => {
    // Prepare
    const png = await makeImage('png');

    // Act
    const source = await bodySourceOf(new Blob([png]).stream());

    // Assess
    expect(source).toMatchObject({ size: png.length, replayable: true });
    expect(Buffer.from(source.open() as Uint8Array).equals(png)).toBe(true);
  });
});

describe('keys and URLs', () => {
  it.each([
    ['alice/abc.png', 'alice/abc.png'],
    ['https://d111.cloudfront.net/alice/abc.png', 'alice/abc.png'],
    ['http://127.0.0.1:3000/cdn/alice/abc.png', 'alice/abc.png'],
    ['https://images.example.com/alice/a%2Db.png', 'alice/a-b.png'],
  ])('the key of %s is %s', (input, key) => {
    // Assess
    expect(keyOf(input)).toBe(key);
  });
});

describe('CLI helpers', () => {
  const dir = makeTempDir('cli-files');
  afterAll(() => dir.remove());

  it('expands paths and globs (*, ?, [..], **) to files, each once, and reports what matched nothing', async () => {
    // Prepare
    mkdirSync(join(dir.path, 'shots', 'deep'), { recursive: true });
    mkdirSync(join(dir.path, '.hidden'));
    for (const name of ['a.png', 'b.png', 'c.jpg', 'shots/d.png', 'shots/deep/e.png', '.hidden/f.png'])
      writeFileSync(join(dir.path, name), name);

    // Act
    const { files, unmatched } = await expandFiles(
      ['a.png', '*.png', '[bc].*', 'shots/**/*.png', 'nothing-*.gif', 'missing.png', 'shots'],
      dir.path,
    );

    // Assess
    expect(files.map((file) => file.name)).toEqual([
      'a.png',
      'b.png',
      'c.jpg',
      join('shots', 'd.png'),
      join('shots', 'deep', 'e.png'),
    ]);
    expect(files[0]!.size).toBe(5);
    expect(unmatched).toEqual(['nothing-*.gif', 'missing.png', 'shots']);
  });

  it('formats sizes and the progress line for people', () => {
    // Assess
    expect([formatBytes(999), formatBytes(20_123_456), formatBytes(4_400_000), formatBytes(1_234)]).toEqual([
      '999 B',
      '20.1 MB',
      '4.40 MB',
      '1.23 kB',
    ]);
    expect(
      renderProgress({
        sentBytes: 10_000_000,
        totalBytes: 20_000_000,
        done: 1,
        files: 2,
        current: 'big.png',
        width: 10,
      }),
    ).toBe('[#####-----]   50%  10.0 MB / 20.0 MB  1 of 2 done  big.png');
  });

  it('draws the bar in place, only when enabled, and prints lines above it', () => {
    // Prepare
    const out: string[] = [];
    const sink = { write: (text: string) => out.push(text) };
    const off = new ProgressBar(sink, { enabled: false, totalBytes: 10, files: 1 });
    const on = new ProgressBar(sink, { enabled: true, totalBytes: 10, files: 1, intervalMs: 0 });

    // Act
    off.update('a', 5);
    off.finish('a', 10);
    const whenOff = out.length;
    on.update('a', 5);
    on.log('a done', sink);
    on.finish('a', 10);
    on.end();

    // Assess
    expect(whenOff).toBe(0);
    expect(out.join('')).toContain('\r\x1b[2K[');
    expect(out).toContain('a done\n');
    expect(out.join('')).toContain('100%');
    expect(out.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('typed errors are errors', () => {
  it('narrows with instanceof', () => {
    // Prepare
    const err: unknown = apiErrorFor({ code: 'FORBIDDEN', message: 'no', status: 403 });

    // Assess
    expect(err instanceof ForbiddenError && err.status).toBe(403);
    expect(err instanceof ThrottledError).toBe(false);
    expect(err instanceof Error).toBe(true);
  });
});
