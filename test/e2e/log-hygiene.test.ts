import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPinnedTransport, type HostResolver } from '../../lambdas/adapters/source-fetcher';
import { UNTHROTTLED, useLocalServer } from '../support/file-server';
import { makeBombs } from '../support/hostile-images';
import { makeImage, makeNoisyPng, REFUSED_SAMPLES } from '../support/image-fixtures';
import { captureLogs, findLeaks } from '../support/log-capture';
import { refuseNonLoopbackConnections } from '../support/loopback-only';
import {
  answerStatus,
  redirectTo,
  serveBytes,
  serveBytesWithAuthorization,
  type SourceServer,
  startSourceServer,
} from '../support/source-servers';

const API_KEY = 'log-hygiene-secret-key-0123456789';
const WRONG_KEY = 'a-wrong-key-someone-tried-9876543210';
const SOURCE_AUTHORIZATION = 'Bearer syt_bG9nLWh5Z2llbmU_SourceTokenNeverLogged_9f8e7d';
const SIGNED_QUERY = 'X-Signature=c2lnbmVkLXF1ZXJ5LXNlY3JldC10aGF0LW11c3Qtc3RheS1vdXQ';
const PRIVATE_ADDRESS = '10.9.8.7';
let source: SourceServer;
let other: SourceServer;
let net: ReturnType<typeof refuseNonLoopbackConnections>;

// Names of uploads from a URL resolve by this table only, never by the system's resolver.
const resolveTestName: HostResolver = async (hostname) => {
  const address = { 'media.example.test': '127.0.0.1', 'intranet.example.test': PRIVATE_ADDRESS }[hostname];
  if (address === undefined) throw Object.assign(new Error('unknown test name'), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};

beforeAll(async () => {
  net = refuseNonLoopbackConnections();
  const png = await makeImage('png', 12, 12);
  other = await startSourceServer({ '/image.png': serveBytes(png) });
  source = await startSourceServer({
    '/private.png': serveBytesWithAuthorization(png, SOURCE_AUTHORIZATION),
    '/elsewhere': redirectTo(() => `http://media.example.test:${other.port}/image.png`),
    '/to-intranet': redirectTo('http://intranet.example.test/secret.png'),
    '/gone': answerStatus(404),
  });
  // The logger reads its level when local mode builds it: DEBUG shows everything it could say.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  // The EMF metric lines go to the same output, so they are checked too.
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
});

// Registered before the server's own: after hooks run last-first, so the server closes first.
afterAll(async () => {
  vi.unstubAllEnvs();
  await source.close();
  await other.close();
  net.restore();
});

const local = useLocalServer('log-hygiene', { alice: API_KEY }, () => ({
  env: {
    S3_REQUEST_TIMEOUT_MS: '500',
    ...UNTHROTTLED,
    SOURCE_ALLOW_HTTP: 'true',
    LOCAL_SOURCE_LOOPBACK_ALLOWLIST: `127.0.0.1:${source.port},127.0.0.1:${other.port}`,
  },
  sourceNetwork: { resolve: resolveTestName, transport: createPinnedTransport() },
  s3FaultProxy: true,
}));

const post = (body: string | Buffer, contentType: string, key = API_KEY) =>
  fetch(`${local.server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': contentType },
    body,
  });
const json = (image: string, extra: Record<string, string> = {}) => JSON.stringify({ image, ...extra });

describe('log hygiene', () => {
  it('finds a planted 32-character piece of a secret (the check itself can fail)', () => {
    const secret = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlq';
    expect(findLeaks(`{"message":"x","body":"..${secret.slice(7, 39)}.."}`, { secret })).toEqual([
      'secret (from character 7)',
    ]);
    expect(findLeaks(`{"message":"x","body":"${secret.slice(7, 38)}"}`, { secret })).toEqual([]);
  });

  it('never logs an API key, image base64 or a signature, across stored, refused and failed uploads at DEBUG, metrics included', async () => {
    // Prepare
    const [png, jpeg, failing, bombs] = await Promise.all([
      makeImage('png', 20, 20),
      makeImage('jpeg', 20, 20),
      makeNoisyPng(3_000, 77),
      makeBombs(),
    ]);
    const pngBase64 = png.toString('base64');
    const capture = captureLogs();
    const statuses: number[] = [];

    // Act
    try {
      statuses.push((await post(json(pngBase64, { filename: 'holiday.png' }), 'application/json')).status);
      statuses.push(
        (await post(json(`data:image/jpeg;base64,${jpeg.toString('base64')}`), 'application/json')).status,
      );
      statuses.push((await post(png, 'image/png')).status);
      statuses.push((await post(json(REFUSED_SAMPLES.svg.toString('base64')), 'application/json')).status);
      statuses.push(
        (await post(json(`${pngBase64.slice(0, 40)}!!${pngBase64.slice(40)}`), 'application/json')).status,
      );
      statuses.push(
        (await post(json(bombs['PNG 100000×100000']!.toString('base64')), 'application/json')).status,
      );
      statuses.push(
        (await post(json(pngBase64, { imageType: pngBase64.slice(0, 60) }), 'application/json')).status,
      );
      statuses.push((await post(json(pngBase64), 'application/json', WRONG_KEY)).status);
      local.proxy.inject('internal-error', { method: 'PUT' });
      statuses.push((await post(json(failing.toString('base64')), 'application/json')).status);
      local.proxy.clear();
      local.proxy.inject('hang', { method: 'PUT' });
      statuses.push((await post(failing, 'image/png')).status);
      local.proxy.clear();
    } finally {
      capture.stop();
    }
    const logText = capture.text();

    // Assess
    expect(statuses).toEqual([201, 201, 201, 415, 400, 422, 415, 403, 502, 503]);
    expect(logText).toContain('image stored'); // the capture sees the logger
    expect(logText).toContain('request failed');
    expect(logText).toContain('"_aws"'); // and the metrics
    expect(
      findLeaks(logText, {
        'API key': API_KEY,
        'wrong API key': WRONG_KEY,
        'PNG base64': pngBase64,
        'JPEG base64': jpeg.toString('base64'),
        'failed upload base64': failing.toString('base64'),
        'bomb base64': bombs['PNG 100000×100000']!.toString('base64'),
        'SVG base64': REFUSED_SAMPLES.svg.toString('base64'),
      }),
    ).toEqual([]);
    expect(logText).not.toMatch(/X-Amz-Signature|X-Amz-Credential|AWS4-HMAC-SHA256|Signature=/i);
  });

  it('never logs the source headers, the source path and query, or what a source host resolved to, at DEBUG', async () => {
    // Prepare
    const capture = captureLogs();
    const statuses: number[] = [];
    const fromUrl = (path: string, host = `media.example.test:${source.port}`) =>
      post(
        JSON.stringify({
          sourceUrl: `http://${host}${path}?${SIGNED_QUERY}`,
          sourceHeaders: { Authorization: SOURCE_AUTHORIZATION },
        }),
        'application/json',
      );

    // Act
    try {
      statuses.push((await fromUrl('/private.png')).status);
      statuses.push((await fromUrl('/elsewhere')).status);
      statuses.push((await fromUrl('/to-intranet')).status);
      statuses.push((await fromUrl('/gone')).status);
      statuses.push((await fromUrl('/', 'intranet.example.test')).status);
      statuses.push((await fromUrl('/', 'nowhere.example.test')).status);
      statuses.push(
        (
          await post(
            JSON.stringify({
              sourceUrl: 'https://media.example.test/a.png',
              sourceHeaders: { Authorization: `${SOURCE_AUTHORIZATION}\r\nX-Injected: 1` },
            }),
            'application/json',
          )
        ).status,
      );
    } finally {
      capture.stop();
    }
    const logText = capture.text();

    // Assess
    expect(statuses).toEqual([201, 201, 400, 502, 400, 502, 400]);
    expect(logText).toContain('source not fetched'); // the capture sees the warnings
    expect(logText).toContain('media.example.test'); // hosts are logged, nothing more of the URL
    expect(
      findLeaks(logText, { 'source Authorization': SOURCE_AUTHORIZATION, 'signed query': SIGNED_QUERY }, 16),
    ).toEqual([]);
    expect(logText).not.toContain(PRIVATE_ADDRESS);
    expect(logText).not.toContain('/private.png');
    expect(net.refused).toEqual([]);
  });
});
