import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { uploadBodyCases, type HostileCase } from '../support/hostile-cases';
import { ROUTE_FIELD_CASES, ROUTE_CASES } from '../support/hostile-route-cases';
import { sendRawBytes, sendRequest, type RawAnswer } from '../support/raw-http';
import { listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const API_KEY = 'hostile-key';
const dir = makeTempDir('hostile');
let server: LocalServer;

// Built before collection: it.each needs the rows, and the rows need sharp's fixtures.
const CASES: readonly HostileCase[] = [...(await uploadBodyCases()), ...ROUTE_CASES, ...ROUTE_FIELD_CASES];

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: dir.path,
    clients: new Map([['alice', API_KEY]]),
    // This suite is about answers, not rates: the throttle has its own test.
    env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
  });
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

function send(row: HostileCase): Promise<RawAnswer> {
  if (row.rawBytes !== undefined) return sendRawBytes(server.apiUrl, row.rawBytes);
  const key = row.apiKey ?? 'valid';
  const headers: Record<string, string> = {
    ...row.headers,
    ...(key !== 'none' && { 'x-api-key': key === 'valid' ? API_KEY : key }),
  };
  const body = row.body === undefined ? undefined : Buffer.from(row.body);
  return sendRequest(server.apiUrl, row.method, row.target, headers, body);
}

describe('hostile input against the local server', () => {
  it('has at least 60 cases, each with a distinct name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((row) => row.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((row) => [row.name, row] as const))(
    '%s: answers the exact 4xx JSON error and stores nothing',
    async (_, row) => {
      // Prepare
      const before = await listStoredKeys(server.s3Endpoint, server.bucketName);

      // Act
      const answer = await send(row);

      // Assess
      expect({ status: answer.status, error: JSON.parse(answer.body.toString('utf8')).error }).toEqual({
        status: row.status,
        error: row.error,
      });
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ message: expect.any(String) });
      expect(await listStoredKeys(server.s3Endpoint, server.bucketName)).toEqual(before);
    },
  );

  it('is still healthy after all of them, with nothing stored', async () => {
    // Act
    const answer = await sendRequest(server.apiUrl, 'GET', '/health', {});

    // Assess
    expect(answer.status).toBe(200);
    expect(await listStoredKeys(server.s3Endpoint, server.bucketName)).toEqual([]);
  });
});
