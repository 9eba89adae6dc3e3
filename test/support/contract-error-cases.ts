import { REFUSED_SAMPLES } from './image-fixtures';
import type { Call } from './contract-servers';

/** One documented error per row: what the contract suite sends, and the status and code it must get back. */
export const DOCUMENTED_ERROR_CASES: readonly [string, Call, number, string][] = [
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
];
