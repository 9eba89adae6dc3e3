import './support/isolated-home';
import { describe, expect, it } from 'vitest';
import { privateKeyNotFoundCode } from '../../infra/constructs/image-cdn';
import { CDN_SECURITY_HEADERS } from '../../infra/edge-contract';

/** Runs the source of a CloudFront Function's handler on `event` (the code is plain ES5.1-style JS). */
function runCloudFrontFunction(code: string, event: unknown): any {
  return new Function(`${code}\nreturn handler;`)()(event);
}

describe('privateKeyNotFoundCode (the /_* viewer-request function without renditions)', () => {
  it('answers 404 with the CDN’s JSON error body, its security headers and no-store, whatever the path', () => {
    // Prepare
    const event = {
      context: { requestId: 'req-1' },
      request: { method: 'GET', uri: '/_originals/alice/a.jpg' },
    };

    // Act
    const response = runCloudFrontFunction(privateKeyNotFoundCode(), event);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body.data)).toEqual({
      error: 'NOT_FOUND',
      message: 'no such object',
      requestId: 'req-1',
    });
    expect(response.body.encoding).toBe('text');
    expect(response.headers['content-type']).toEqual({ value: 'application/json; charset=utf-8' });
    expect(response.headers['cache-control']).toEqual({ value: 'no-store' });
    for (const [name, value] of Object.entries(CDN_SECURITY_HEADERS))
      expect(response.headers[name]).toEqual({ value });
  });
});
