import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { makeImage } from '../support/image-fixtures';
import { sendRequest } from '../support/raw-http';
import { makeTempDir } from '../support/temp-dir';

const CONSOLE = 'https://console.example.com';
const DEV = 'http://localhost:5173';
const ELSEWHERE = 'https://evil.example';
const KEY = 'cors-key';
const dir = makeTempDir('cors-e2e');
const plainDir = makeTempDir('cors-e2e-off');
let server: LocalServer;
let plain: LocalServer;

beforeAll(async () => {
  [server, plain] = await Promise.all([
    startLocalServer({
      port: 0,
      dataDir: dir.path,
      clients: new Map([['alice', KEY]]),
      env: { CORS_ORIGINS: `${CONSOLE},${DEV}` },
    }),
    startLocalServer({ port: 0, dataDir: plainDir.path, clients: new Map([['alice', KEY]]) }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), plain?.close()]);
  dir.remove();
  plainDir.remove();
});

/** The preflight a browser sends before a POST with JSON and an x-api-key header, as it sends it. */
const preflight = (target: LocalServer, origin: string, path = '/uploads') =>
  sendRequest(target.apiUrl, 'OPTIONS', path, {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type,x-api-key',
  });

const postUpload = async (target: LocalServer, origin: string, key = KEY) =>
  sendRequest(
    target.apiUrl,
    'POST',
    '/uploads',
    { origin, 'x-api-key': key, 'content-type': 'application/json' },
    Buffer.from(JSON.stringify({ image: (await makeImage('png', 4, 4)).toString('base64') })),
  );

describe('CORS in local mode, over real HTTP', () => {
  it.each([CONSOLE, DEV])(
    'answers the preflight of a listed origin (%s) with 204, no key needed',
    async (origin) => {
      // Act
      const answer = await preflight(server, origin);

      // Assess
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
      expect(String(answer.headers['access-control-allow-methods']).split(',')).toContain('POST');
      expect(String(answer.headers['access-control-allow-headers']).toLowerCase().split(',')).toEqual(
        expect.arrayContaining(['content-type', 'x-api-key']),
      );
      expect(answer.headers.vary).toBe('Origin');
      expect(answer.body.length).toBe(0);
    },
  );

  it('answers a preflight of an origin it does not list so that the browser refuses it', async () => {
    // Act
    const answer = await preflight(server, ELSEWHERE, '/objects/alice/x.png');

    // Assess
    expect(answer.headers['access-control-allow-origin']).not.toBe(ELSEWHERE);
  });

  it('lets a listed origin read the upload answer, and its 403 for a wrong key', async () => {
    // Act
    const stored = await postUpload(server, CONSOLE);
    const refused = await postUpload(server, CONSOLE, 'wrong-key');

    // Assess
    expect(stored.status).toBe(201);
    expect(stored.headers['access-control-allow-origin']).toBe(CONSOLE);
    expect(stored.headers['access-control-expose-headers']).toContain('X-Amzn-RequestId');
    expect(stored.headers.vary).toContain('Origin');
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBe(CONSOLE);
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin on a function’s answer', async () => {
    // Act
    const answer = await postUpload(server, ELSEWHERE);

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers.vary).toContain('Origin');
  });

  it('answers no CORS at all when no origin is listed (the default)', async () => {
    // Act
    const answer = await preflight(plain, CONSOLE);
    const stored = await postUpload(plain, CONSOLE);

    // Assess
    expect(answer.status).toBe(405);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(stored.status).toBe(201);
    expect(stored.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses to start with "*" in CORS_ORIGINS, naming the variable', async () => {
    // Act
    const start = startLocalServer({
      port: 0,
      dataDir: dir.path,
      clients: new Map([['alice', KEY]]),
      env: { CORS_ORIGINS: '*' },
    });

    // Assess
    await expect(start).rejects.toThrow(/CORS_ORIGINS: "\*" is refused/);
  });
});
