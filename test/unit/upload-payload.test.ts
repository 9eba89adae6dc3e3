import { describe, expect, it } from 'vitest';
import {
  decodeImagePayload,
  decodeUploadPayload,
  type UploadRequest,
} from '../../lambdas/core/upload-payload';

const bytes = Buffer.from('89504e470d0a1a0a0000', 'hex');
const b64 = bytes.toString('base64');
const json = (body: unknown, contentType: string | undefined = 'application/json'): UploadRequest => ({
  body: JSON.stringify(body),
  isBase64Encoded: false,
  contentType,
});

describe('decodeImagePayload', () => {
  it.each([
    ['older proxy JSON', json({ image: b64, imageType: 'png' }), ['png']],
    ['JSON without imageType', json({ image: b64 }), []],
    ['a data: URI', json({ image: `data:image/png;base64,${b64}` }), ['image/png']],
    [
      'a data: URI with parameters and imageType',
      json({ image: `data:image/png;name=a.png;base64,${b64}`, imageType: 'png' }),
      ['png', 'image/png'],
    ],
    ['JSON sent as form-urlencoded (curl -d)', json({ image: b64 }, 'application/x-www-form-urlencoded'), []],
    ['JSON with no Content-Type', json({ image: b64 }, undefined), []],
    ['JSON with charset', json({ image: b64 }, 'application/json; charset=utf-8'), []],
    ['a raw image/png body', { body: b64, isBase64Encoded: true, contentType: 'image/png' }, ['image/png']],
    [
      'a raw octet-stream body',
      { body: b64, isBase64Encoded: true, contentType: 'application/octet-stream' },
      [],
    ],
  ] as [string, UploadRequest, string[]][])('decodes %s', (_, request, declared) => {
    // Act
    const payload = decodeImagePayload(request, 1_000);

    // Assess
    expect(payload.bytes.equals(bytes)).toBe(true);
    expect(payload.declaredTypes).toEqual(declared);
  });

  it('keeps the filename of JSON and of ?filename=', () => {
    expect(decodeImagePayload(json({ image: b64, filename: 'cat.png' }), 1_000).filename).toBe('cat.png');
    expect(
      decodeImagePayload(
        { body: b64, isBase64Encoded: true, contentType: 'image/png', filenameParam: 'dog.png' },
        1_000,
      ).filename,
    ).toBe('dog.png');
  });

  it.each([
    [
      'malformed JSON',
      { body: '{"image": ', isBase64Encoded: false, contentType: 'application/json' },
      400,
      'INVALID_JSON',
    ],
    ['a JSON array', json([b64]), 400, 'INVALID_REQUEST'],
    ['JSON null', json(null), 400, 'INVALID_REQUEST'],
    ['image missing', json({ imageType: 'png' }), 400, 'INVALID_REQUEST'],
    ['image a number', json({ image: 42 }), 400, 'INVALID_REQUEST'],
    ['imageType an object', json({ image: b64, imageType: { png: true } }), 400, 'INVALID_REQUEST'],
    ['filename a number', json({ image: b64, filename: 7 }), 400, 'INVALID_REQUEST'],
    ['a data: URI without base64', json({ image: 'data:image/png,%89PNG' }), 400, 'INVALID_DATA_URI'],
    ['invalid base64', json({ image: 'iVBOR!!w0KGgo' }), 400, 'INVALID_BASE64'],
    [
      'multipart/form-data',
      { body: '--x', isBase64Encoded: false, contentType: 'multipart/form-data; boundary=x' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'text/html',
      { body: '<html>', isBase64Encoded: false, contentType: 'text/html' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'image/svg+xml raw',
      { body: 'PHN2Zz4=', isBase64Encoded: true, contentType: 'image/svg+xml' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ] as [string, UploadRequest, number, string][])('refuses %s with %i %s', (_, request, statusCode, code) => {
    expect(() => decodeImagePayload(request, 1_000)).toThrow(expect.objectContaining({ statusCode, code }));
  });

  it.each([
    ['base64 JSON', json({ image: Buffer.alloc(2_000).toString('base64') })],
    [
      'a raw body',
      { body: Buffer.alloc(2_000).toString('base64'), isBase64Encoded: true, contentType: 'image/png' },
    ],
  ] as [string, UploadRequest][])('refuses %s over the limit with 413 naming POST /presign', (_, request) => {
    expect(() => decodeImagePayload(request, 1_000)).toThrow(
      expect.objectContaining({
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringContaining('POST /presign'),
      }),
    );
  });

  it('accepts an image of exactly the limit', () => {
    expect(
      decodeImagePayload(json({ image: Buffer.alloc(1_000).toString('base64') }), 1_000).bytes.length,
    ).toBe(1_000);
  });
});

describe('decodeUploadPayload: uploads from a URL', () => {
  const allow = new Set(['authorization']);

  it('reads sourceUrl, sourceHeaders and the options of any upload', () => {
    // Act
    const payload = decodeUploadPayload(
      json({
        sourceUrl: 'https://matrix.example.org/_matrix/client/v1/media/download/example.org/abc#x',
        sourceHeaders: { Authorization: 'Bearer syt_x' },
        imageType: 'jpg',
        filename: 'cat.jpg',
        fit: 'openai',
        inline: true,
      }),
      1_000,
      allow,
    );

    // Assess
    expect(payload.kind).toBe('source');
    if (payload.kind !== 'source') return;
    expect(payload.source.url.href).toBe(
      'https://matrix.example.org/_matrix/client/v1/media/download/example.org/abc',
    );
    expect(payload.source.headers).toEqual({ authorization: 'Bearer syt_x' });
    expect(payload).toMatchObject({
      declaredTypes: ['jpg'],
      filename: 'cat.jpg',
      fit: 'openai',
      inline: true,
    });
  });

  it.each([
    ['both image and sourceUrl', { image: b64, sourceUrl: 'https://example.org/a.png' }, 'INVALID_REQUEST'],
    [
      'sourceHeaders without sourceUrl',
      { image: b64, sourceHeaders: { Authorization: 'x' } },
      'INVALID_REQUEST',
    ],
    ['a sourceUrl that is not a URL', { sourceUrl: 'not a url' }, 'INVALID_SOURCE_URL'],
    ['a sourceUrl that is not a string', { sourceUrl: ['https://example.org/a.png'] }, 'INVALID_SOURCE_URL'],
    [
      'a header off the allow list',
      { sourceUrl: 'https://example.org/a.png', sourceHeaders: { Cookie: 'a=b' } },
      'INVALID_REQUEST',
    ],
  ])('refuses %s with 400 %s', (_, body, code) => {
    // Assess
    expect(() => decodeUploadPayload(json(body), 1_000, allow)).toThrow(
      expect.objectContaining({ statusCode: 400, code }),
    );
  });

  it('keeps decodeImagePayload to bytes: a sourceUrl body is refused there', () => {
    // Assess
    expect(() => decodeImagePayload(json({ sourceUrl: 'https://example.org/a.png' }), 1_000)).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });
});
