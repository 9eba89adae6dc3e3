/**
 * The local servers the OpenAPI contract suite talks to, with every answer they give recorded and
 * checked against openapi/openapi.json, and the calls the suite makes. Call
 * {@link useContractServers} once at the top of a test file: the servers start before its tests
 * and stop after them; `server`, `throttled`, `proxy` and `dynamoProxy` are set by then.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { TappedAnswer } from '../../infra/local/answer-tap';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { makeNoisyPng } from './image-fixtures';
import { OpenApiContract, type ResponseId } from './openapi-contract';
import { makeTempDir } from './temp-dir';

export const KEY = 'contract-key';
export const contract = OpenApiContract.load();
/** The documented response each answer matched, with the first answer that matched it. */
export const seen = new Map<ResponseId, TappedAnswer>();
const record = (answer: TappedAnswer) => {
  const { response } = contract.check(answer);
  if (response && !seen.has(response)) seen.set(response, answer);
};

/** The server with S3 and DynamoDB behind fault proxies, and one throttled to a burst of 1. */
export let server: LocalServer;
export let throttled: LocalServer;
/** In front of the embedded S3 and DynamoDB: inject a fault in the next calls. */
export let proxy: FaultProxy;
export let dynamoProxy: FaultProxy;
let seed = 0;

/** Starts the servers before the file's tests and stops them (and removes their data) after. */
export function useContractServers(): void {
  const dir = makeTempDir('openapi-contract');
  const throttledDir = makeTempDir('openapi-contract-throttled');

  beforeAll(async () => {
    [server, throttled] = await Promise.all([
      startLocalServer({
        port: 0,
        dataDir: dir.path,
        clients: new Map([
          ['alice', KEY],
          ['bob', 'bob-key'],
        ]),
        onApiAnswer: record,
        // One attempt per S3 call and short budgets: a storage fault answers at once.
        env: {
          THROTTLE_RATE_PER_SECOND: '10000',
          THROTTLE_BURST: '5000',
          S3_MAX_ATTEMPTS: '1',
          S3_CONNECT_TIMEOUT_MS: '500',
          S3_REQUEST_TIMEOUT_MS: '2000',
          // A folder of more than one image is erased in the background: 202 and its status path.
          ERASE_IN_BACKGROUND_ABOVE: '1',
        },
        s3EndpointOverride: async (embedded) => {
          proxy = await startFaultProxy(embedded);
          return proxy.endpoint;
        },
        dynamoEndpointOverride: async (embedded) => {
          dynamoProxy = await startFaultProxy(embedded, 'dynamodb');
          return dynamoProxy.endpoint;
        },
      }),
      startLocalServer({
        port: 0,
        dataDir: throttledDir.path,
        clients: new Map([['alice', KEY]]),
        onApiAnswer: record,
        env: { THROTTLE_RATE_PER_SECOND: '1', THROTTLE_BURST: '1' },
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([server?.close(), throttled?.close()]);
    await proxy?.close();
    await dynamoProxy?.close();
    dir.remove();
    throttledDir.remove();
  });
}

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly json?: unknown;
  readonly raw?: { readonly bytes: Buffer; readonly contentType: string };
  /** `none` sends no key. @default KEY */
  readonly key?: string;
}

export async function call(target: LocalServer, request: Call): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (request.key !== 'none') headers['x-api-key'] = request.key ?? KEY;
  let body: string | Buffer | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.raw) {
    headers['content-type'] = request.raw.contentType;
    body = request.raw.bytes;
  }
  const response = await fetch(`${target.apiUrl}${request.path}`, { method: request.method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export const api = (request: Call) => call(server, request);

export async function freshPng(): Promise<Buffer> {
  return makeNoisyPng(3_000, 500 + ++seed);
}

/** An object of alice's, uploaded through the API. */
export async function stored(): Promise<{ key: string; url: string }> {
  const answer = await api({
    method: 'POST',
    path: '/uploads',
    json: { image: (await freshPng()).toString('base64') },
  });
  expect(answer.status).toBe(201);
  return answer.body;
}

/** A presigned upload of `bytes` as `contentType`, PUT, then polled until the check decided. */
export async function presignedUpload(bytes: Buffer, contentType: string): Promise<string> {
  const signed = await api({
    method: 'POST',
    path: '/presign',
    json: { method: 'PUT', contentType, contentLength: bytes.length },
  });
  const put = await fetch(signed.body.url, { method: 'PUT', headers: signed.body.headers, body: bytes });
  expect(put.status).toBe(200);
  await expect
    .poll(async () => (await api({ method: 'GET', path: signed.body.statusPath })).body.status, {
      timeout: 30_000,
      interval: 50,
    })
    .not.toBe('pending');
  return signed.body.statusPath;
}
