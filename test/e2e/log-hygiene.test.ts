import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { makeBombs } from '../support/hostile-images';
import { makeImage, makeNoisyPng, REFUSED_SAMPLES } from '../support/image-fixtures';
import { captureLogs, findLeaks } from '../support/log-capture';
import { makeTempDir } from '../support/temp-dir';

const API_KEY = 'log-hygiene-secret-key-0123456789';
const WRONG_KEY = 'a-wrong-key-someone-tried-9876543210';
const dir = makeTempDir('log-hygiene');
let server: LocalServer;
let proxy: FaultProxy;

beforeAll(async () => {
  // The logger reads its level when local mode builds it: DEBUG shows everything it could say.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  server = await startLocalServer({
    port: 0,
    dataDir: dir.path,
    clients: new Map([['alice', API_KEY]]),
    env: { S3_REQUEST_TIMEOUT_MS: '500', THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
    s3EndpointOverride: async (embedded) => {
      proxy = await startFaultProxy(embedded);
      return proxy.endpoint;
    },
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
  await proxy.close();
  dir.remove();
});

const post = (body: string | Buffer, contentType: string, key = API_KEY) =>
  fetch(`${server.apiUrl}/uploads`, {
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

  it('never logs an API key, image base64 or a signature, across stored, refused and failed uploads at DEBUG', async () => {
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
      proxy.inject('internal-error', { method: 'PUT' });
      statuses.push((await post(json(failing.toString('base64')), 'application/json')).status);
      proxy.clear();
      proxy.inject('hang', { method: 'PUT' });
      statuses.push((await post(failing, 'image/png')).status);
      proxy.clear();
    } finally {
      capture.stop();
    }
    const logText = capture.text();

    // Assess
    expect(statuses).toEqual([201, 201, 201, 415, 400, 422, 415, 403, 502, 503]);
    expect(logText).toContain('image stored'); // the capture sees the logger
    expect(logText).toContain('request failed');
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
});
