import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCatalogueDeps } from '../../lambdas/adapters/catalogue-config';
import { integerSetting, loadStorageLocation } from '../../lambdas/adapters/config';
import { loadS3ClientSettings } from '../../lambdas/settings/s3-client';
import { loadThrottleSettings } from '../../lambdas/settings/throttle';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { loadCorsOrigins } from '../../lambdas/settings/cors';
import { ENV } from '../../lambdas/adapters/env-names';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { createMetrics } from '../../lambdas/adapters/metrics';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { type ReconcileReport, reconcileCatalogue } from '../../lambdas/catalogue/reconcile';
import { CONSOLE_PATH, directUploadMaxBytes } from '../console-assets';
import { API_GATEWAY_BODY_LIMIT_BYTES, gatewayErrorBody } from '../edge-contract';
import { type AnswerTap, tapAnswer } from './answer-tap';
import { CDN_PATH_PREFIX, createApiStandIn, type LocalApiKey } from './api-stand-in';
import { createLocalCdn } from './cdn-renditions';
import { createConsoleRoute } from './console-route';
import { startEmbeddedS3 } from './embedded-s3';
import { buildLambdaRoutes, buildUploadCheck, type LocalSourceNetwork, localPlatform } from './lambda-routes';
import { LOCAL_CATALOGUE_TABLE, startLocalCatalogue } from './local-catalogue';
import { MemoryBudget } from './request-body';
import { RouteTable } from './route-table';
import { ClientThrottle } from './token-bucket';
import { createUploadCheckPump } from './upload-check-pump';

export { CDN_PATH_PREFIX };

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

/** Listens on 127.0.0.1; a taken port (EADDRINUSE) rejects. */
function listen(http: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Requests Node's parser refuses (bad request line, oversize headers) get the JSON error shape too. */
function answerClientErrors(http: Server, onApiAnswer: AnswerTap | undefined): void {
  http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, code] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE']
        : [400, 'Bad Request', 'BAD_REQUEST'];
    const body = gatewayErrorBody(code, 'the request is not valid HTTP/1.1', '');
    onApiAnswer?.({
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
}

/** Every request to the stand-in, its answer tapped when it is the API's; a failure is a JSON 500. */
function serveRequests(
  http: Server,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onApiAnswer: AnswerTap | undefined,
): void {
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    // The CDN and the console are CloudFront's on AWS, not the API's: the contract does not cover them.
    const isApi =
      !path.startsWith(CDN_PATH_PREFIX) && path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`);
    if (onApiAnswer && isApi) tapAnswer(req, res, path, onApiAnswer);
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(gatewayErrorBody('INTERNAL_ERROR', 'internal error', ''));
    });
  });
  answerClientErrors(http, onApiAnswer);
}

/** The embedded backends and the HTTP server, started; nothing is left running if one fails. */
async function startBackends(options: LocalServerOptions) {
  const s3Server = await startEmbeddedS3({ directory: options.dataDir, bucketName: BUCKET_NAME });
  const catalogue = await startLocalCatalogue(options.dataDir, options.dynamoEndpointOverride);
  const http = createServer();
  try {
    await listen(http, options.port);
  } catch (err) {
    await s3Server.close();
    throw err;
  }
  return { s3Server, catalogue, http, apiUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}
type Backends = Awaited<ReturnType<typeof startBackends>>;

/** The functions' environment: the options' settings and what local mode's stand-ins are at. */
async function localEnvironment(
  options: LocalServerOptions,
  backends: Backends,
  keys: readonly LocalApiKey[],
) {
  const { s3Server } = backends;
  return {
    ...options.env,
    ...backends.catalogue.env,
    [ENV.bucketName]: BUCKET_NAME,
    [ENV.publicBaseUrl]: `${backends.apiUrl}/cdn`,
    [ENV.s3Endpoint]: options.s3EndpointOverride
      ? await options.s3EndpointOverride(s3Server.endpoint)
      : s3Server.endpoint,
    [ENV.clientKeyIds]: keys.map(({ client, keyId }) => `${client}=${keyId}`).join(','),
  };
}

/**
 * Starts local mode: an embedded S3, then one HTTP server on 127.0.0.1 that answers the API
 * like API Gateway (API-key check, usage-plan throttle, binary media types, the 6 MiB Lambda
 * limit) and serves stored objects and renditions of them under `/cdn/` like CloudFront.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  // Checked before anything starts: a refused setting leaves nothing running.
  const corsOrigins = loadCorsOrigins(options.env ?? {});
  const backends = await startBackends(options);
  const { s3Server, catalogue, http, apiUrl } = backends;
  const keys = [...options.clients].flatMap(([client, given]) =>
    [given].flat().map((key, index) => ({ client, key: Buffer.from(key), keyId: keyIdOf(client, index) })),
  );
  const env = await localEnvironment(options, backends, keys);
  const s3 = createS3Client(loadStorageLocation(env), loadS3ClientSettings(env));
  // One Metrics for the process, printing EMF lines to stdout as the functions do on Lambda.
  const metrics = createMetrics(env);
  const cdn = createLocalCdn(env, s3, BUCKET_NAME, metrics);
  // Every function as its manifest declares it (lambdas/capabilities/), over local mode's platform.
  const platform = localPlatform(s3, metrics, options.sourceNetwork);
  const uploadChecks = createUploadCheckPump(buildUploadCheck(env, platform), (err) => {
    console.error('check of a presigned upload failed:', (err as Error).name);
  });
  s3Server.onEvent((event) => uploadChecks.accept(event));
  const { maxImageBytes } = loadUploadLimits(env);
  const cdnBaseUrl = `${apiUrl}/cdn`;
  const budget = new MemoryBudget(
    integerSetting(
      env,
      ENV.localMaxInflightBodyBytes,
      DEFAULT_MAX_INFLIGHT_BODY_BYTES,
      API_GATEWAY_BODY_LIMIT_BYTES,
      2 ** 32,
    ),
  );
  const handle = createApiStandIn({
    apiUrl,
    corsOrigins,
    routes: new RouteTable(buildLambdaRoutes(env, platform)),
    keys,
    throttle: new ClientThrottle(loadThrottleSettings(env), () => performance.now()),
    budget,
    maxImageBytes,
    cdn,
    serveConsole: await createConsoleRoute(
      { apiUrl, cdnBaseUrl, directUploadMaxBytes: directUploadMaxBytes(maxImageBytes) },
      { api: apiUrl, cdn: apiUrl, uploads: s3Server.endpoint },
    ),
  });
  serveRequests(http, handle, options.onApiAnswer);

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
