import { describe, expect, it } from 'vitest';
import { withCors } from '../../lambdas/adapters/cors';
import { loadCorsOrigins } from '../../lambdas/settings/cors';
import {
  corsAnswerHeaders,
  corsGatewayErrorHeaders,
  corsPreflightHeaders,
  parseCorsOrigins,
} from '../../lambdas/core/cors';

const CONSOLE = 'https://console.example.com';
const DEV = 'http://localhost:5173';

describe('the listed CORS origins', () => {
  it.each([
    [undefined, []],
    ['', []],
    [' https://Console.Example.com , http://localhost:5173 ', [CONSOLE, DEV]],
    [`${CONSOLE},${CONSOLE}`, [CONSOLE]],
    ['http://[::1]:8080', ['http://[::1]:8080']],
  ])('reads %j as %j', (value, origins) => {
    expect(parseCorsOrigins(value)).toEqual(origins);
  });

  it.each([
    ['*', /"\*" is refused: every route but \/health and \/openapi.json takes an API key/],
    ['https://console.example.com/', /is not an origin: write scheme:\/\/host\[:port\]/],
    ['https://console.example.com/app', /is not an origin/],
    ['console.example.com', /is not an origin/],
    ['ftp://console.example.com', /is not an origin/],
    ['https://console.example.com:99999', /is not an origin/],
  ])('refuses %j, saying why', (value, message) => {
    expect(() => parseCorsOrigins(value)).toThrow(message);
  });

  it('fails the cold start naming CORS_ORIGINS', () => {
    expect(() => loadCorsOrigins({ CORS_ORIGINS: '*' })).toThrow(/^CORS_ORIGINS: /);
  });
});

describe('the CORS headers of each kind of answer', () => {
  it.each([
    [[CONSOLE, DEV], DEV, DEV],
    [[CONSOLE, DEV], 'https://evil.example', undefined],
    [[CONSOLE], undefined, undefined],
  ])('a function’s answer with origins %j to Origin %s allows %s', (origins, origin, allowed) => {
    const headers = corsAnswerHeaders(origins, origin);
    expect(headers['access-control-allow-origin']).toBe(allowed);
    expect(headers.vary).toBe('Origin');
  });

  it('a function’s answer carries nothing when no origin is listed', () => {
    expect(corsAnswerHeaders([], CONSOLE)).toEqual({});
  });

  it.each([
    [[CONSOLE, DEV], DEV, DEV],
    [[CONSOLE, DEV], 'https://evil.example', CONSOLE],
  ])('a preflight with origins %j from %s allows %s', (origins, origin, allowed) => {
    expect(corsPreflightHeaders(origins, origin)).toMatchObject({
      'access-control-allow-origin': allowed,
      'access-control-allow-headers': 'Content-Type,X-Api-Key',
      'access-control-allow-methods': 'GET,POST,PATCH,DELETE,OPTIONS',
    });
  });

  it.each([
    [[CONSOLE], DEV, CONSOLE],
    [[CONSOLE, DEV], DEV, DEV],
    [[], DEV, undefined],
  ])('a gateway error with origins %j from %s allows %s', (origins, origin, allowed) => {
    expect(corsGatewayErrorHeaders(origins, origin)['access-control-allow-origin']).toBe(allowed);
  });
});

describe('withCors', () => {
  const answer = async () => ({
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

  it('adds the headers of the request’s origin, whatever the case of the header name', async () => {
    // Act
    const result = await withCors([CONSOLE], answer)({ headers: { Origin: CONSOLE } } as never, {});

    // Assess
    expect(result.headers).toEqual({
      'content-type': 'application/json',
      'access-control-allow-origin': CONSOLE,
      'access-control-expose-headers': 'Retry-After,X-Amzn-RequestId',
      vary: 'Origin',
    });
  });

  it('leaves answers as they are when no origin is listed', async () => {
    // Act
    const result = await withCors([], answer)({ headers: { origin: CONSOLE } } as never, {});

    // Assess
    expect(result.headers).toEqual({ 'content-type': 'application/json' });
  });
});
