import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ForbiddenError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../lambdas/core/errors';
import { DEFAULT_LIST_LIMIT, encodeListCursor, parseListRequest } from '../../lambdas/core/list-request';
import { parsePresignRequest, type PresignSettings } from '../../lambdas/core/presign-request';

const SETTINGS: PresignSettings = {
  defaultExpiresSeconds: 3600,
  maxExpiresSeconds: 7200,
  maxDirectUploadBytes: 1000,
};
const body = (value: unknown) => JSON.stringify(value);

describe('parsePresignRequest', () => {
  it('reads a PUT, binding the canonical content type and the size', () => {
    // Act
    const request = parsePresignRequest(
      body({ method: 'put', contentType: 'image/JPG', contentLength: 1000, filename: 'C:\\x\\cat.jpg' }),
      SETTINGS,
    );

    // Assess
    expect(request).toEqual({
      batch: false,
      items: [
        {
          method: 'PUT',
          format: 'jpeg',
          contentType: 'image/jpeg',
          contentLength: 1000,
          filename: 'cat.jpg',
          folder: '',
          expiresInSeconds: 3600,
        },
      ],
    });
  });

  it('reads a GET with its own expiry, and a batch of both', () => {
    // Act
    const request = parsePresignRequest(
      body({
        items: [
          { method: 'GET', key: 'alice/a.png', expiresIn: 60 },
          { method: 'PUT', contentType: 'image/png', contentLength: 5 },
        ],
      }),
      SETTINGS,
    );

    // Assess
    expect(request.batch).toBe(true);
    expect(request.items).toEqual([
      { method: 'GET', key: 'alice/a.png', expiresInSeconds: 60 },
      {
        method: 'PUT',
        format: 'png',
        contentType: 'image/png',
        contentLength: 5,
        filename: undefined,
        folder: '',
        expiresInSeconds: 3600,
      },
    ]);
  });

  it.each([
    ['invalid JSON', '{', BadRequestError, 'INVALID_JSON'],
    ['an array body', body([]), BadRequestError, 'INVALID_REQUEST'],
    ['an unknown method', body({ method: 'DELETE', key: 'alice/a.png' }), BadRequestError, 'INVALID_REQUEST'],
    ['a GET without key', body({ method: 'GET' }), BadRequestError, 'INVALID_REQUEST'],
    [
      'an SVG content type',
      body({ method: 'PUT', contentType: 'image/svg+xml', contentLength: 5 }),
      UnsupportedMediaTypeError,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'an HTML content type',
      body({ method: 'PUT', contentType: 'text/html', contentLength: 5 }),
      UnsupportedMediaTypeError,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no content type', body({ method: 'PUT', contentLength: 5 }), BadRequestError, 'INVALID_REQUEST'],
    [
      'a size over the limit',
      body({ method: 'PUT', contentType: 'image/png', contentLength: 1001 }),
      PayloadTooLargeError,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a zero size',
      body({ method: 'PUT', contentType: 'image/png', contentLength: 0 }),
      BadRequestError,
      'INVALID_REQUEST',
    ],
    [
      'a fractional size',
      body({ method: 'PUT', contentType: 'image/png', contentLength: 1.5 }),
      BadRequestError,
      'INVALID_REQUEST',
    ],
    [
      'a size as a string',
      body({ method: 'PUT', contentType: 'image/png', contentLength: '5' }),
      BadRequestError,
      'INVALID_REQUEST',
    ],
    [
      'an expiry over the maximum',
      body({ method: 'GET', key: 'a/b.png', expiresIn: 7201 }),
      BadRequestError,
      'INVALID_EXPIRY',
    ],
    [
      'a zero expiry',
      body({ method: 'GET', key: 'a/b.png', expiresIn: 0 }),
      BadRequestError,
      'INVALID_EXPIRY',
    ],
    [
      'a filename with a bidi override',
      body({ method: 'PUT', contentType: 'image/png', contentLength: 5, filename: 'x\u202egnp.exe' }),
      BadRequestError,
      'INVALID_FILENAME',
    ],
    ['an empty batch', body({ items: [] }), BadRequestError, 'INVALID_REQUEST'],
    [
      'a batch of 101',
      body({ items: Array.from({ length: 101 }, () => ({ method: 'GET', key: 'a/b.png' })) }),
      BadRequestError,
      'INVALID_REQUEST',
    ],
    [
      'a batch with one bad item',
      body({ items: [{ method: 'GET', key: 'a/b.png' }, { method: 'GET' }] }),
      BadRequestError,
      'INVALID_REQUEST',
    ],
  ])('refuses %s', (_name, raw, errorClass, code) => {
    // Act
    const act = () => parsePresignRequest(raw, SETTINGS);

    // Assess
    expect(act).toThrow(errorClass);
    expect(act).toThrow(expect.objectContaining({ code }));
  });

  it('names the failing item of a batch', () => {
    // Act
    const act = () =>
      parsePresignRequest(body({ items: [{ method: 'GET', key: 'a/b.png' }, { method: 'GET' }] }), SETTINGS);

    // Assess
    expect(act).toThrow(/^items\[1\]: /);
  });
});

describe('parseListRequest', () => {
  it('defaults to the whole namespace, first page', () => {
    // Act
    const request = parseListRequest('alice', null);

    // Assess
    expect(request).toEqual({ prefix: 'alice/', limit: DEFAULT_LIST_LIMIT });
  });

  it('continues after the key a cursor names', () => {
    // Prepare
    const cursor = encodeListCursor('alice/abc.png');

    // Act
    const request = parseListRequest('alice', { prefix: 'alice/a', limit: '2', cursor });

    // Assess
    expect(request).toEqual({ prefix: 'alice/a', limit: 2, startAfter: 'alice/abc.png' });
  });

  it.each([
    ['a cursor into another namespace', { cursor: encodeListCursor('bob/abc.png') }, BadRequestError],
    [
      'a cursor outside the prefix',
      { prefix: 'alice/b', cursor: encodeListCursor('alice/abc.png') },
      BadRequestError,
    ],
    ['a cursor that is not base64url', { cursor: 'alice/abc.png' }, BadRequestError],
    ['a limit of 0', { limit: '0' }, BadRequestError],
    ['a limit of 1001', { limit: '1001' }, BadRequestError],
    ['a limit in hex', { limit: '0x10' }, BadRequestError],
    ["another client's prefix", { prefix: 'bob/' }, ForbiddenError],
  ])('refuses %s', (_name, query, errorClass) => {
    // Act
    const act = () => parseListRequest('alice', query);

    // Assess
    expect(act).toThrow(errorClass);
  });
});
