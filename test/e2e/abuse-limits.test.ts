import { request, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { API_GATEWAY_BODY_LIMIT_BYTES } from '../../infra/edge-contract';
import { listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const throttledDir = makeTempDir('abuse-throttle');
const budgetDir = makeTempDir('abuse-budget');
let throttled: LocalServer;
let budgeted: LocalServer;

beforeAll(async () => {
  [throttled, budgeted] = await Promise.all([
    startLocalServer({
      port: 0,
      dataDir: throttledDir.path,
      clients: new Map([
        ['alice', 'key-alice'],
        ['bob', 'key-bob'],
      ]),
      env: { THROTTLE_RATE_PER_SECOND: '1', THROTTLE_BURST: '3' },
    }),
    startLocalServer({
      port: 0,
      dataDir: budgetDir.path,
      clients: new Map([['alice', 'key-alice']]),
      // The smallest cap allowed: one request of API Gateway's largest body.
      env: {
        LOCAL_MAX_INFLIGHT_BODY_BYTES: String(API_GATEWAY_BODY_LIMIT_BYTES),
        THROTTLE_RATE_PER_SECOND: '10000',
        THROTTLE_BURST: '5000',
      },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([throttled.close(), budgeted.close()]);
  throttledDir.remove();
  budgetDir.remove();
});

const post = (server: LocalServer, key: string, body: string) =>
  fetch(`${server.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body,
  });

/** Waits (bounded) until `condition` holds; false if it never did. */
async function eventually(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

describe('per-client throttle (the usage plan, in local mode)', () => {
  it('answers 429 THROTTLED with Retry-After past the burst, stores nothing, and leaves other clients alone', async () => {
    // Prepare
    const before = await listStoredKeys(throttled.s3Endpoint, throttled.bucketName);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post(throttled, 'key-alice', '{"image":"iVBORw0KGgo="}')),
    );
    const bob = await post(throttled, 'key-bob', '{}');

    // Assess
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((answer) => answer.status !== 429).every((answer) => answer.status === 422)).toBe(
      true,
    );
    for (const answer of refused) {
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await answer.json()).toMatchObject({ error: 'THROTTLED', message: expect.any(String) });
    }
    expect(bob.status).toBe(400);
    expect(await listStoredKeys(throttled.s3Endpoint, throttled.bucketName)).toEqual(before);
  });
});

describe('cap on request bytes held in memory (LOCAL_MAX_INFLIGHT_BODY_BYTES)', () => {
  it('answers 503 SERVER_BUSY with Retry-After while a slow body holds the budget, and frees it when that client goes', async () => {
    // Prepare: a client declares 8 MB, sends 100 bytes, and stalls.
    const { hostname, port } = new URL(budgeted.apiUrl);
    const slow: ClientRequest = request({
      host: hostname,
      port,
      method: 'POST',
      path: '/uploads',
      agent: false,
      headers: { 'x-api-key': 'key-alice', 'content-type': 'application/json', 'content-length': '8000000' },
    });
    slow.on('error', () => undefined);
    slow.write(Buffer.alloc(100, 0x20));
    const held = await eventually(() => budgeted.inFlightBodyBytes() >= 8_000_000);
    const body = JSON.stringify({ image: 'A'.repeat(3_000_000) });

    // Act
    const busy = await post(budgeted, 'key-alice', body);
    slow.destroy();
    const released = await eventually(() => budgeted.inFlightBodyBytes() === 0);
    const after = await post(budgeted, 'key-alice', body);

    // Assess
    expect(held).toBe(true);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toMatchObject({ error: 'SERVER_BUSY' });
    expect(released).toBe(true);
    expect(after.status).toBe(415); // past the cap now: 3 MB of zero bytes is not an image
    expect(budgeted.inFlightBodyBytes()).toBe(0);
  });
});
