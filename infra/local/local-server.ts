import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCommonConfig } from '../../lambdas/adapters/config';
import { ENV } from '../../lambdas/adapters/env-names';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { LAMBDA_PAYLOAD_LIMIT_BYTES, tooLargeMessage } from '../../lambdas/core/limits';
import { API_GATEWAY_BODY_LIMIT_BYTES, gatewayErrorBody } from '../edge-contract';
import { serveFromCdn } from './cdn-stand-in';
import { startEmbeddedS3 } from './embedded-s3';
import { isServableKey } from '../../lambdas/core/object-namespace';
import { buildLambdaRoutes, buildUploadCheck } from './lambda-routes';
import { isBinaryMediaType, toProxyEvent, writeProxyResult } from './proxy-event';
import { RouteTable } from './route-table';
import { createUploadCheckPump } from './upload-check-pump';

/** Where the CDN stand-in lives on the API's port. */
export const CDN_PATH_PREFIX = '/cdn/';

export interface LocalServerOptions {
  /** API port on 127.0.0.1; 0 lets the OS choose (tests). */
  readonly port: number;
  /** Folder of the embedded S3's objects. */
  readonly dataDir: string;
  /** Client name → API key. */
  readonly clients: ReadonlyMap<string, string>;
  /** Other settings, read by the same names as on Lambda (`MAX_IMAGE_BYTES`, …). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LocalServer {
  readonly apiUrl: string;
  readonly cdnBaseUrl: string;
  readonly s3Endpoint: string;
  readonly bucketName: string;
  close(): Promise<void>;
}

const BUCKET_NAME = 'local-images';

/** The stand-in API key id of a client: API Gateway would give a random id instead. */
const keyIdOf = (client: string) => `local-${client}`;

/**
 * Starts local mode: an embedded S3, then one HTTP server on 127.0.0.1 that answers the API
 * like API Gateway (API-key check, binary media types, the 6 MiB Lambda limit) and serves
 * stored objects under `/cdn/` like CloudFront.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const s3Server = await startEmbeddedS3({ directory: options.dataDir, bucketName: BUCKET_NAME });
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, '127.0.0.1', () => resolve());
  });
  const apiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const cdnBaseUrl = `${apiUrl}/cdn`;

  const env = {
    ...options.env,
    [ENV.bucketName]: BUCKET_NAME,
    [ENV.publicBaseUrl]: cdnBaseUrl,
    [ENV.s3Endpoint]: s3Server.endpoint,
    [ENV.clientKeyIds]: [...options.clients.keys()].map((name) => `${name}=${keyIdOf(name)}`).join(','),
  };
  const config = loadCommonConfig(env);
  const s3 = createS3Client(config.storage);
  const routes = new RouteTable(buildLambdaRoutes(env, config, s3));
  const uploadChecks = createUploadCheckPump(buildUploadCheck(env, config, s3), (err) => {
    console.error('check of a presigned upload failed:', (err as Error).name);
  });
  s3Server.onEvent((event) => uploadChecks.accept(event));
  const keys = [...options.clients].map(([client, key]) => ({ client, key: Buffer.from(key) }));

  const clientOfKey = (presented: string | string[] | undefined): string | undefined => {
    if (typeof presented !== 'string') return undefined;
    const candidate = Buffer.from(presented);
    return keys.find(({ key }) => key.length === candidate.length && timingSafeEqual(key, candidate))?.client;
  };

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(gatewayErrorBody('INTERNAL_ERROR', 'internal error', ''));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', apiUrl);
    const method = req.method ?? 'GET';
    const reply = (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-amzn-requestid': requestId, ...headers });
      res.end(gatewayErrorBody(error, message, requestId));
    };

    if (url.pathname.startsWith(CDN_PATH_PREFIX)) {
      const key = decodePath(url.pathname.slice(CDN_PATH_PREFIX.length));
      return key === undefined ? reply(400, 'BAD_REQUEST', 'malformed path') : serveFromCdn(s3, BUCKET_NAME, method, key, res, isServableKey);
    }
    if (url.pathname === '/health') {
      if (method !== 'GET' && method !== 'HEAD') return reply(405, 'METHOD_NOT_ALLOWED', 'use GET /health', { allow: 'GET' });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify({ status: 'ok' }));
    }
    const match = routes.match(method, url.pathname);
    if (match.kind === 'not-found') return reply(404, 'ROUTE_NOT_FOUND', `no route ${method} ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      return reply(405, 'METHOD_NOT_ALLOWED', `${url.pathname} answers ${match.allowed.join(', ')}`, { allow: match.allowed.join(', ') });
    }
    const client = clientOfKey(req.headers['x-api-key']);
    if (!client) return reply(403, 'FORBIDDEN', 'a valid x-api-key header is required');

    const body = Number(req.headers['content-length']) > DRAIN_LIMIT_BYTES ? undefined : await readBody(req, API_GATEWAY_BODY_LIMIT_BYTES);
    // Lambda's 6 MiB limit applies to the body as it reaches Lambda: base64 for binary types.
    const lambdaBytes = body && isBinaryMediaType(req.headers['content-type']) ? Math.ceil(body.length / 3) * 4 : body?.length;
    if (body === undefined || lambdaBytes! > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      res.setHeader('connection', 'close');
      return reply(413, 'PAYLOAD_TOO_LARGE', tooLargeMessage(LAMBDA_PAYLOAD_LIMIT_BYTES));
    }
    const event = toProxyEvent(req, url, body, {
      apiKeyId: keyIdOf(client),
      requestId,
      resource: match.route.resource,
      pathParameters: match.pathParameters,
    });
    writeProxyResult(res, await match.route.handler(event, { awsRequestId: requestId }), requestId);
  }

  return {
    apiUrl,
    cdnBaseUrl,
    s3Endpoint: s3Server.endpoint,
    bucketName: BUCKET_NAME,
    close: async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      await uploadChecks.drain();
      s3.destroy();
      await s3Server.close();
    },
  };
}

function decodePath(path: string): string | undefined {
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

// Past this a body is not worth draining for a polite 413: the connection is cut instead.
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a body up to `limit` bytes; undefined when it is larger. An oversize body is still
 * drained (up to a bound) so the client, still sending, can read the 413 instead of a reset.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= limit) chunks.push(chunk);
      else if (total > DRAIN_LIMIT_BYTES) req.destroy();
    });
    req.on('end', () => resolve(total <= limit ? Buffer.concat(chunks, total) : undefined));
    req.on('error', reject);
    req.on('close', () => resolve(undefined));
  });
}
