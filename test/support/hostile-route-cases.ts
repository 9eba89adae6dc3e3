import type { HostileCase } from './hostile-cases';

const get = (name: string, target: string, status: number, error: string, method = 'GET'): HostileCase => ({
  name,
  method,
  target,
  status,
  error,
});

/** Wrong methods, unknown routes, path tricks against the API and the CDN stand-in, malformed HTTP. */
export const ROUTE_CASES: readonly HostileCase[] = [
  // Wrong methods on known routes.
  get('GET /uploads', '/uploads', 405, 'METHOD_NOT_ALLOWED'),
  get('PUT /uploads', '/uploads', 405, 'METHOD_NOT_ALLOWED', 'PUT'),
  get('DELETE /uploads', '/uploads', 405, 'METHOD_NOT_ALLOWED', 'DELETE'),
  get('PATCH /', '/', 405, 'METHOD_NOT_ALLOWED', 'PATCH'),
  get('OPTIONS /uploads', '/uploads', 405, 'METHOD_NOT_ALLOWED', 'OPTIONS'),
  get('PROPFIND /uploads', '/uploads', 405, 'METHOD_NOT_ALLOWED', 'PROPFIND'),
  get('POST /health', '/health', 405, 'METHOD_NOT_ALLOWED', 'POST'),
  get('POST to a CDN object', '/cdn/alice/x.png', 405, 'METHOD_NOT_ALLOWED', 'POST'),
  get('DELETE a CDN object', '/cdn/alice/x.png', 405, 'METHOD_NOT_ALLOWED', 'DELETE'),
  // Unknown routes.
  get('an unknown route', '/nope', 404, 'ROUTE_NOT_FOUND'),
  get('/uploads with a trailing slash', '/uploads/', 404, 'ROUTE_NOT_FOUND', 'POST'),
  get('/UPLOADS upper-cased', '/UPLOADS', 404, 'ROUTE_NOT_FOUND', 'POST'),
  get('a path below /uploads', '/uploads/alice/x.png', 404, 'ROUTE_NOT_FOUND', 'POST'),
  get('/uploads with an encoded slash', '/uploads%2F..%2Fhealth', 404, 'ROUTE_NOT_FOUND', 'POST'),
  get('/uploads with a matrix parameter', '/uploads;jsessionid=1', 404, 'ROUTE_NOT_FOUND', 'POST'),
  // Path traversal and ambiguous paths in the URL: refused before routing, never normalised.
  get('a climb to /etc/passwd', '/../../etc/passwd', 400, 'BAD_REQUEST'),
  get('a climb back into /uploads', '/nope/../uploads', 400, 'BAD_REQUEST', 'POST'),
  get('percent-encoded dot segments', '/%2e%2e/%2E%2E/uploads', 400, 'BAD_REQUEST', 'POST'),
  get('a single dot segment', '/./uploads', 400, 'BAD_REQUEST', 'POST'),
  get('a protocol-relative path', '//uploads', 400, 'BAD_REQUEST', 'POST'),
  get('an absolute-form request target', 'http://evil.test/uploads', 400, 'BAD_REQUEST', 'POST'),
  get('an encoded NUL in the path', '/uploads%00.png', 400, 'BAD_REQUEST', 'POST'),
  get('an encoded backslash in the path', '/uploads%5c..%5chealth', 400, 'BAD_REQUEST', 'POST'),
  // The CDN stand-in.
  get('a CDN climb back into the API', '/cdn/../uploads', 400, 'BAD_REQUEST', 'POST'),
  get('a CDN climb with encoded slashes', '/cdn/..%2f..%2f..%2fetc%2fpasswd', 400, 'BAD_REQUEST'),
  get('a CDN climb with encoded dots', '/cdn/alice/%2e%2e/%2e%2e/other-bucket/x', 400, 'BAD_REQUEST'),
  get('a CDN key with an empty segment', '/cdn/alice//x.png', 400, 'BAD_REQUEST'),
  get('a CDN key with an encoded control character', '/cdn/alice/x%0d%0a.png', 400, 'BAD_REQUEST'),
  get('a CDN key that does not decode', '/cdn/alice/%E0%A4%A.png', 400, 'BAD_REQUEST'),
  get('a CDN key with an encoded NUL', '/cdn/alice/%00.png', 400, 'BAD_REQUEST'),
  get(
    'a CDN key that is not stored',
    '/cdn/alice/0000000000000000000000000000000000000000000000000000000000000000.png',
    404,
    'NOT_FOUND',
  ),
  get('the bare CDN prefix', '/cdn/', 404, 'NOT_FOUND'),
  // Malformed HTTP, refused by the parser before any route.
  {
    name: 'a garbage request line',
    method: 'RAW',
    target: '',
    rawBytes: 'HELLO THERE\r\n\r\n',
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'a header line without a colon',
    method: 'RAW',
    target: '',
    rawBytes: 'GET /health HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n',
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'two Content-Length headers that disagree',
    method: 'RAW',
    target: '',
    rawBytes: 'POST /uploads HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: '20 KB of headers',
    method: 'RAW',
    target: '',
    rawBytes: `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    status: 431,
    error: 'HEADERS_TOO_LARGE',
  },
];

/** Path tricks in the presign and objects routes' fields: refused with each route's own code. */
export const ROUTE_FIELD_CASES: readonly HostileCase[] = [
  {
    name: 'presign with a climbing filename',
    method: 'POST',
    target: '/presign',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      method: 'PUT',
      filename: '../../bob/x.png',
      contentType: 'image/png',
      contentLength: 10,
    }),
    status: 400,
    error: 'INVALID_FILENAME',
  },
  {
    name: 'presign GET of another client’s key',
    method: 'POST',
    target: '/presign',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'GET', key: 'alice/../bob/x.png' }),
    status: 404,
    error: 'NOT_FOUND',
  },
  get('objects listing with a climbing prefix', '/objects?prefix=..%2Fbob%2F', 403, 'FORBIDDEN'),
  get('object info with an encoded climb', '/objects/..%2Fbob%2Fx.png', 404, 'NOT_FOUND'),
  get(
    'object delete by a foreign URL',
    '/objects?url=https%3A%2F%2Fevil.test%2Fbob%2Fx.png',
    404,
    'NOT_FOUND',
    'DELETE',
  ),
];
