import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { integerSetting, loadCommonConfig } from '../../lambdas/adapters/config';
import { loadS3ClientSettings } from '../../lambdas/settings/s3-client';
import { loadThrottleSettings } from '../../lambdas/settings/throttle';
import { ENV } from '../../lambdas/adapters/env-names';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { createMetrics } from '../../lambdas/adapters/metrics';
import { loadCorsOrigins } from '../../lambdas/settings/cors';
import { corsGatewayErrorHeaders, corsPreflightHeaders } from '../../lambdas/core/cors';
import { LAMBDA_PAYLOAD_LIMIT_BYTES, requestTooLargeMessage } from '../../lambdas/core/limits';
import { API_GATEWAY_BODY_LIMIT_BYTES, gatewayErrorBody } from '../edge-contract';
import { createLocalCdn } from './cdn-renditions';
import { startEmbeddedS3 } from './embedded-s3';
import { LOCAL_CATALOGUE_TABLE, startLocalCatalogue } from './local-catalogue';
import { loadCatalogueDeps } from '../../lambdas/adapters/catalogue-config';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { type ReconcileReport, reconcileCatalogue } from '../../lambdas/catalogue/reconcile';
import { buildLambdaRoutes, buildUploadCheck, type LocalSourceNetwork } from './lambda-routes';
import { isBinaryMediaType, toProxyEvent, writeProxyResult } from './proxy-event';
import { DRAIN_LIMIT_BYTES, MemoryBudget, readBody } from './request-body';
import { decodeCdnKey, refusedRequestTarget } from './request-path';
import { RouteTable } from './route-table';
import { createUploadCheckPump } from './upload-check-pump';
import { ClientThrottle } from './token-bucket';
import { tapAnswer, type AnswerTap } from './answer-tap';
import { CONSOLE_PATH, directUploadMaxBytes } from '../console-assets';
import { createConsoleRoute } from './console-route';

/** Where the CDN stand-in lives on the API's port. */
export const CDN_PATH_PREFIX = '/cdn/';

/** Default cap on request-body bytes held in memory at once (`LOCAL_MAX_INFLIGHT_BODY_BYTES`). */
export const DEFAULT_MAX_INFLIGHT_BODY_BYTES = 256 * 1024 * 1024;

export interface LocalServerOptions {
  /** API port on 127.0.0.1; 0 lets the OS choose (tests). */
  readonly port: number;
  /** Folder of the embedded S3's objects. */
  readonly dataDir: string;
  /** Client name → its API key, or its keys (two during a key rotation: both open its namespace). */
  readonly clients: ReadonlyMap<string, string | readonly string[]>;
  /** Other settings, read by the same names as on Lambda (`MAX_IMAGE_BYTES`, …). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Given the embedded S3's endpoint, the endpoint the routes and the CDN stand-in use
   * instead: tests put a fault-injecting proxy in between. @default the embedded endpoint
   */
  readonly s3EndpointOverride?: (embeddedEndpoint: string) => string | Promise<string>;
  /** The same for the embedded DynamoDB of the catalogue. @default the embedded endpoint */
  readonly dynamoEndpointOverride?: (embeddedEndpoint: string) => string | Promise<string>;
  /**
   * Name resolution and connections of uploads from a URL, for tests: a resolver that maps
   * names to chosen addresses, a transport that refuses anything but loopback.
   * @default the system resolver and Node's http(s)
   */
  readonly sourceNetwork?: LocalSourceNetwork;
  /**
   * Sees every answer of the API (not the CDN stand-in's) as it was sent: the contract tests
   * check each against `openapi/openapi.json`. @default none
   */
  readonly onApiAnswer?: AnswerTap;
}

export interface LocalServer {
  readonly apiUrl: string;
  readonly cdnBaseUrl: string;
  /** The files page (`/console/`), served as CloudFront serves it on AWS. */
  readonly consoleUrl: string;
  /** The embedded S3 itself (never the override): listings here see what is really stored. */
  readonly s3Endpoint: string;
  readonly bucketName: string;
  /** The embedded DynamoDB itself (never the override) and the catalogue table's name. */
  readonly dynamoEndpoint: string;
  readonly catalogueTable: string;
  /** Request-body bytes held in memory now, against `LOCAL_MAX_INFLIGHT_BODY_BYTES`. */
  inFlightBodyBytes(): number;
  /** Runs the reconciler (and backfill) over the local bucket and catalogue, as `npm run catalogue:reconcile` does on AWS. */
  reconcile(graceMs: number): Promise<ReconcileReport>;
  /** Renditions the CDN stand-in's rendering function has made (misses in storage). */
  renditionsMade(): number;
  close(): Promise<void>;
}

const BUCKET_NAME = 'local-images';

/**
 * The stand-in API key id of a client's key (its first, second…): API Gateway would give a random
 * id instead. Like API Gateway's, it names the key, not the client.
 */
const keyIdOf = (client: string, index: number) =>
  index === 0 ? `local-${client}` : `local-${client}-${index + 1}`;

/**
 * Starts local mode: an embedded S3, then one HTTP server on 127.0.0.1 that answers the API
 * like API Gateway (API-key check, usage-plan throttle, binary media types, the 6 MiB Lambda
 * limit) and serves stored objects and renditions of them under `/cdn/` like CloudFront.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  // Checked before anything starts: a refused setting leaves nothing running.
  const corsOrigins = loadCorsOrigins(options.env ?? {});
  const s3Server = await startEmbeddedS3({ directory: options.dataDir, bucketName: BUCKET_NAME });
  const catalogue = await startLocalCatalogue(options.dataDir, options.dynamoEndpointOverride);
  const http = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    // A taken port (EADDRINUSE) leaves nothing running behind the error.
    await s3Server.close();
    throw err;
  }
  const apiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const cdnBaseUrl = `${apiUrl}/cdn`;

  const keys = [...options.clients].flatMap(([client, given]) =>
    [given].flat().map((key, index) => ({ client, key: Buffer.from(key), keyId: keyIdOf(client, index) })),
  );
  const env = {
    ...options.env,
    ...catalogue.env,
    [ENV.bucketName]: BUCKET_NAME,
    [ENV.publicBaseUrl]: cdnBaseUrl,
    [ENV.s3Endpoint]: options.s3EndpointOverride
      ? await options.s3EndpointOverride(s3Server.endpoint)
      : s3Server.endpoint,
    [ENV.clientKeyIds]: keys.map(({ client, keyId }) => `${client}=${keyId}`).join(','),
  };
  const config = loadCommonConfig(env);
  const s3 = createS3Client(config.storage, loadS3ClientSettings(env));
  // One Metrics for the process, printing EMF lines to stdout as the functions do on Lambda.
  const metrics = createMetrics(env);
  const cdn = createLocalCdn(env, s3, BUCKET_NAME, metrics);
  const routes = new RouteTable(buildLambdaRoutes(env, config, s3, metrics, options.sourceNetwork));
  const uploadChecks = createUploadCheckPump(buildUploadCheck(env, config, s3, metrics), (err) => {
    console.error('check of a presigned upload failed:', (err as Error).name);
  });
  s3Server.onEvent((event) => uploadChecks.accept(event));
  const throttle = new ClientThrottle(loadThrottleSettings(env), () => performance.now());
  const { maxImageBytes } = loadUploadLimits(env);
  const serveConsole = await createConsoleRoute(
    { apiUrl, cdnBaseUrl, directUploadMaxBytes: directUploadMaxBytes(maxImageBytes) },
    { api: apiUrl, cdn: apiUrl, uploads: s3Server.endpoint },
  );
  const budget = new MemoryBudget(
    integerSetting(
      env,
      ENV.localMaxInflightBodyBytes,
      DEFAULT_MAX_INFLIGHT_BODY_BYTES,
      API_GATEWAY_BODY_LIMIT_BYTES,
      2 ** 32,
    ),
  );

  const keyOf = (presented: string | string[] | undefined) => {
    if (typeof presented !== 'string') return undefined;
    const candidate = Buffer.from(presented);
    return keys.find(({ key }) => key.length === candidate.length && timingSafeEqual(key, candidate));
  };

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    // The CDN and the console are CloudFront's on AWS, not the API's: the contract does not cover them.
    const isApi =
      !path.startsWith(CDN_PATH_PREFIX) && path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`);
    if (options.onApiAnswer && isApi) tapAnswer(req, res, path, options.onApiAnswer);
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(gatewayErrorBody('INTERNAL_ERROR', 'internal error', ''));
    });
  });
  // Requests Node's parser refuses (bad request line, oversize headers) get the JSON error shape too.
  http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, code] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE']
        : [400, 'Bad Request', 'BAD_REQUEST'];
    const body = gatewayErrorBody(code, 'the request is not valid HTTP/1.1', '');
    options.onApiAnswer?.({
      method: '',
      path: '',
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: Buffer.from(body),
    });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    // The gateway's own answers, with the CORS headers its gateway responses map.
    const reply = (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-amzn-requestid': requestId,
        ...corsGatewayErrorHeaders(corsOrigins, origin),
        ...headers,
      });
      res.end(gatewayErrorBody(error, message, requestId));
    };
    const refused = refusedRequestTarget(req.url ?? '');
    if (refused) return reply(400, 'BAD_REQUEST', `malformed path: ${refused}`);
    const url = new URL(`${apiUrl}${req.url}`);
    if (serveConsole(req, res, url.pathname)) return;

    if (url.pathname.startsWith(CDN_PATH_PREFIX)) {
      const uri = url.pathname.slice(CDN_PATH_PREFIX.length - 1);
      if (decodeCdnKey(uri.slice(1)) === undefined) return reply(400, 'BAD_REQUEST', 'malformed path');
      const rawQuery = (req.url ?? '').includes('?') ? req.url!.slice(req.url!.indexOf('?') + 1) : '';
      return cdn.serve({ method, uri, rawQuery, headers: req.headers, requestId }, res);
    }
    if (url.pathname === '/health') {
      if (method !== 'GET' && method !== 'HEAD')
        return reply(405, 'METHOD_NOT_ALLOWED', 'use GET /health', { allow: 'GET' });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify({ status: 'ok' }));
    }
    const match = routes.match(method, url.pathname);
    // A preflight, answered as API Gateway's OPTIONS mock on every routed resource, with no key.
    if (method === 'OPTIONS' && corsOrigins.length > 0 && match.kind === 'method-not-allowed') {
      res.writeHead(204, { 'x-amzn-requestid': requestId, ...corsPreflightHeaders(corsOrigins, origin) });
      return void res.end();
    }
    if (match.kind === 'not-found')
      return reply(404, 'ROUTE_NOT_FOUND', `no route ${method} ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      return reply(405, 'METHOD_NOT_ALLOWED', `${url.pathname} answers ${match.allowed.join(', ')}`, {
        allow: match.allowed.join(', '),
      });
    }
    // As API Gateway: a method without a key is not metered by any client's usage plan.
    const keyRequired = match.route.apiKeyRequired !== false;
    const key = keyRequired ? keyOf(req.headers['x-api-key']) : undefined;
    if (keyRequired) {
      if (!key) return reply(403, 'FORBIDDEN', 'a valid x-api-key header is required');
      // The throttle is per client, whichever of its keys it uses (the presign ceiling too).
      const decision = throttle.take(key.client);
      if (!decision.allowed) {
        // Node discards the unread body after the answer, keeping the connection usable.
        return reply(
          429,
          'THROTTLED',
          'too many requests for this API key; retry after Retry-After seconds',
          {
            'retry-after': String(decision.retryAfterSeconds),
          },
        );
      }
    }

    const read =
      Number(req.headers['content-length']) > DRAIN_LIMIT_BYTES
        ? { kind: 'too-large' as const }
        : await readBody(req, API_GATEWAY_BODY_LIMIT_BYTES, budget);
    if (read.kind === 'aborted') return void res.destroy();
    if (read.kind === 'busy') {
      return reply(503, 'SERVER_BUSY', 'too many request bytes in flight; retry after Retry-After seconds', {
        'retry-after': '1',
      });
    }
    try {
      // Lambda's 6 MiB limit applies to the body as it reaches Lambda: base64 for binary types.
      const body = read.kind === 'read' ? read.body : undefined;
      const lambdaBytes =
        body && isBinaryMediaType(req.headers['content-type'])
          ? Math.ceil(body.length / 3) * 4
          : body?.length;
      if (body === undefined || lambdaBytes! > LAMBDA_PAYLOAD_LIMIT_BYTES) {
        res.setHeader('connection', 'close');
        return reply(413, 'PAYLOAD_TOO_LARGE', requestTooLargeMessage(maxImageBytes));
      }
      const event = toProxyEvent(req, url, body, {
        apiKeyId: key?.keyId ?? null,
        requestId,
        resource: match.route.resource,
        pathParameters: match.pathParameters,
      });
      writeProxyResult(res, await match.route.handler(event, { awsRequestId: requestId }), requestId);
    } finally {
      if (read.kind === 'read') read.release();
    }
  }

  return {
    apiUrl,
    cdnBaseUrl,
    consoleUrl: `${apiUrl}${CONSOLE_PATH}/`,
    s3Endpoint: s3Server.endpoint,
    bucketName: BUCKET_NAME,
    dynamoEndpoint: catalogue.endpoint,
    catalogueTable: LOCAL_CATALOGUE_TABLE,
    inFlightBodyBytes: () => budget.heldBytes,
    renditionsMade: () => cdn.renditionsMade(),
    reconcile: (graceMs) =>
      reconcileCatalogue({
        store: new S3ImageStore(s3, BUCKET_NAME),
        catalogue: loadCatalogueDeps(env).catalogue,
        now: Date.now,
        graceMs,
      }),
    close: async () => {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      await uploadChecks.drain();
      s3.destroy();
      await s3Server.close();
      await catalogue.close();
    },
  };
}
