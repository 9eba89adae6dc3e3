import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsGatewayErrorHeaders, corsPreflightHeaders } from '../../lambdas/core/cors';
import { LAMBDA_PAYLOAD_LIMIT_BYTES, requestTooLargeMessage } from '../../lambdas/core/limits';
import { API_GATEWAY_BODY_LIMIT_BYTES, gatewayErrorBody } from '../edge-contract';
import type { LocalCdn } from './cdn-renditions';
import { isBinaryMediaType, toProxyEvent, writeProxyResult } from './proxy-event';
import { DRAIN_LIMIT_BYTES, type MemoryBudget, readBody } from './request-body';
import { decodeCdnKey, refusedRequestTarget } from './request-path';
import type { RouteMatch, RouteTable } from './route-table';
import type { ClientThrottle } from './token-bucket';

/** Where the CDN stand-in lives on the API's port. */
export const CDN_PATH_PREFIX = '/cdn/';

/** One API key of a client, as the stand-in checks it. */
export interface LocalApiKey {
  readonly client: string;
  readonly key: Buffer;
  /** The stand-in of API Gateway's key id (`local-alice`), which the functions map to the client. */
  readonly keyId: string;
}

/** What the API Gateway and CloudFront stand-ins answer with. */
export interface ApiStandInDeps {
  readonly apiUrl: string;
  readonly corsOrigins: readonly string[];
  readonly routes: RouteTable;
  readonly keys: readonly LocalApiKey[];
  readonly throttle: ClientThrottle;
  readonly budget: MemoryBudget;
  /** Named in the 413 answer of a body over Lambda's limit. */
  readonly maxImageBytes: number;
  readonly cdn: LocalCdn;
  /** Serves the console's files; false when the path is not the console's. */
  readonly serveConsole: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

/** The gateway's own JSON answers of one request, with the CORS headers its gateway responses map. */
function replierOf(deps: ApiStandInDeps, req: IncomingMessage, res: ServerResponse, requestId: string) {
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  return (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-amzn-requestid': requestId,
      ...corsGatewayErrorHeaders(deps.corsOrigins, origin),
      ...headers,
    });
    res.end(gatewayErrorBody(error, message, requestId));
  };
}
type Reply = ReturnType<typeof replierOf>;

/** The key presented, compared in constant time with every configured key. */
function keyOf(keys: readonly LocalApiKey[], presented: string | string[] | undefined) {
  if (typeof presented !== 'string') return undefined;
  const candidate = Buffer.from(presented);
  return keys.find(({ key }) => key.length === candidate.length && timingSafeEqual(key, candidate));
}

/**
 * Answers one request as API Gateway (and CloudFront, under `/cdn/` and `/console`) would:
 * the request target's checks, then the stand-ins, then a routed method.
 */
export function createApiStandIn(deps: ApiStandInDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const reply = replierOf(deps, req, res, requestId);
    const refused = refusedRequestTarget(req.url ?? '');
    if (refused) return reply(400, 'BAD_REQUEST', `malformed path: ${refused}`);
    const url = new URL(`${deps.apiUrl}${req.url}`);
    if (deps.serveConsole(req, res, url.pathname)) return;
    if (url.pathname.startsWith(CDN_PATH_PREFIX)) {
      const uri = url.pathname.slice(CDN_PATH_PREFIX.length - 1);
      if (decodeCdnKey(uri.slice(1)) === undefined) return reply(400, 'BAD_REQUEST', 'malformed path');
      const rawQuery = (req.url ?? '').includes('?') ? req.url!.slice(req.url!.indexOf('?') + 1) : '';
      return deps.cdn.serve({ method, uri, rawQuery, headers: req.headers, requestId }, res);
    }
    if (url.pathname === '/health') {
      if (method !== 'GET' && method !== 'HEAD')
        return reply(405, 'METHOD_NOT_ALLOWED', 'use GET /health', { allow: 'GET' });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(JSON.stringify({ status: 'ok' }));
    }
    const match = deps.routes.match(method, url.pathname);
    // A preflight, answered as API Gateway's OPTIONS mock on every routed resource, with no key.
    if (method === 'OPTIONS' && deps.corsOrigins.length > 0 && match.kind === 'method-not-allowed') {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
      res.writeHead(204, {
        'x-amzn-requestid': requestId,
        ...corsPreflightHeaders(deps.corsOrigins, origin),
      });
      return void res.end();
    }
    if (match.kind === 'not-found')
      return reply(404, 'ROUTE_NOT_FOUND', `no route ${method} ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      return reply(405, 'METHOD_NOT_ALLOWED', `${url.pathname} answers ${match.allowed.join(', ')}`, {
        allow: match.allowed.join(', '),
      });
    }
    const key = admit(deps, req, match, reply);
    if (key === false) return;
    await invokeRoute(deps, { req, res, url, match, requestId, reply, keyId: key?.keyId ?? null });
  };
}

/**
 * As API Gateway: a method that needs a key answers 403 without a valid one and 429 over the
 * client's usage plan; a method without a key is not metered by any plan. `false`: answered.
 */
function admit(
  deps: ApiStandInDeps,
  req: IncomingMessage,
  match: Extract<RouteMatch, { kind: 'found' }>,
  reply: Reply,
): LocalApiKey | undefined | false {
  if (match.route.apiKeyRequired === false) return undefined;
  const key = keyOf(deps.keys, req.headers['x-api-key']);
  if (!key) {
    reply(403, 'FORBIDDEN', 'a valid x-api-key header is required');
    return false;
  }
  // The throttle is per client, whichever of its keys it uses (the presign ceiling too).
  const decision = deps.throttle.take(key.client);
  if (decision.allowed) return key;
  // Node discards the unread body after the answer, keeping the connection usable.
  reply(429, 'THROTTLED', 'too many requests for this API key; retry after Retry-After seconds', {
    'retry-after': String(decision.retryAfterSeconds),
  });
  return false;
}

/** One admitted request to a routed method. */
interface RoutedRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly match: Extract<RouteMatch, { kind: 'found' }>;
  readonly requestId: string;
  readonly reply: Reply;
  readonly keyId: string | null;
}

/** Reads the body within the gateway's and Lambda's limits, then invokes the route's function. */
async function invokeRoute(deps: ApiStandInDeps, request: RoutedRequest): Promise<void> {
  const { req, res, url, match, requestId, reply } = request;
  const read =
    Number(req.headers['content-length']) > DRAIN_LIMIT_BYTES
      ? { kind: 'too-large' as const }
      : await readBody(req, API_GATEWAY_BODY_LIMIT_BYTES, deps.budget);
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
      body && isBinaryMediaType(req.headers['content-type']) ? Math.ceil(body.length / 3) * 4 : body?.length;
    if (body === undefined || lambdaBytes! > LAMBDA_PAYLOAD_LIMIT_BYTES) {
      res.setHeader('connection', 'close');
      return reply(413, 'PAYLOAD_TOO_LARGE', requestTooLargeMessage(deps.maxImageBytes));
    }
    const event = toProxyEvent(req, url, body, {
      apiKeyId: request.keyId,
      requestId,
      resource: match.route.resource,
      pathParameters: match.pathParameters,
    });
    writeProxyResult(res, await match.route.handler(event, { awsRequestId: requestId }), requestId);
  } finally {
    if (read.kind === 'read') read.release();
  }
}
