import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type CdnRenditionBounds,
  CDN_RENDITION_PREFIX,
  canonicalSpec,
  parseCdnRenditionKey,
} from '../core/cdn-rendition';
import { MethodNotAllowedError, NotFoundError } from '../core/errors';
import { METRIC_ROUTES } from '../core/metric-catalogue';
import { safeDecodeURIComponent } from '../core/object-keys';
import { errorResponse, type FailureContext } from '../adapters/http';
import { IMMUTABLE_CACHE_CONTROL, type ImageStore } from '../adapters/image-store';
import { type ErrorAnswers, withInvocation } from '../adapters/invocation';
import type { FunctionMetrics, InvocationMetrics } from '../adapters/metrics';
import {
  type MadeCdnRendition,
  readRenditionSource,
  storeCdnRendition,
} from '../publishing/make-cdn-rendition';

/** What the route needs; the Lambda entry and local mode's CDN stand-in each supply their own. */
export interface CdnRenditionDeps {
  readonly store: ImageStore;
  /** The bounds the edge applied: a path outside them was not written by the edge (404). */
  readonly bounds: CdnRenditionBounds;
  /** Largest width × height decoded. */
  readonly maxPixels: number;
  /** Largest stored object read to render from, in bytes. */
  readonly maxSourceBytes: number;
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
}

/** A request as CloudFront forwards it after a storage miss: the rewritten URI, not the viewer's. */
export interface CdnRenditionRequest {
  readonly method: string;
  /** `/_renditions/<client>/<name>/<canonical spec>`, percent-encoded as it came. */
  readonly path: string;
  readonly requestId: string;
}

/** The answer, transport-neutral: a streamed function URL response or local mode's HTTP server. */
export interface CdnRenditionAnswer {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Record<string, string>;
  /** Empty for HEAD. */
  readonly body: Buffer;
}

const ALLOWED_METHODS = 'GET, HEAD';

/**
 * Makes a rendition the CDN asked for (docs/cdn-renditions.md): `GET` or `HEAD` of a canonical
 * rendition key the edge wrote after storage missed it. Reads the kept original of the object
 * (named by the object's `source` metadata) or, for objects stored without one, the object
 * itself; renders it (a model profile through `renderForProfile`, else `renderResized`); stores
 * it under its rendition key with the immutable Cache-Control; and answers it with a direct 200.
 * Anything else is the API's JSON error (`cache-control: no-store`): 404 for a path that is
 * not canonical or a source that does not exist, 422 for what cannot be rendered, 502/503 with
 * `retry-after` when storage fails. Nothing is stored for any error.
 */
export function createCdnRenditionRoute(
  deps: CdnRenditionDeps,
): (request: CdnRenditionRequest) => Promise<CdnRenditionAnswer> {
  const maker = { ...deps, maxEdgePx: deps.bounds.maxEdgePx };

  /** Renders, stores and answers the rendition `request` names; throws what the error answer maps. */
  async function answerRendition(request: CdnRenditionRequest, measure: InvocationMetrics) {
    const started = performance.now();
    const parsed = parseRequest(request, deps.bounds);
    const client = parsed.sourceKey.slice(0, parsed.sourceKey.indexOf('/'));
    const source = await readRenditionSource(maker, client, parsed.sourceKey);
    // The object exists, so its client is a configured one: a bounded dimension.
    measure.client = client;
    const made = await storeCdnRendition(maker, client, parsed.sourceKey, source, parsed.spec);
    measure.add('RenditionsRendered');
    deps.logger.info('rendition made', {
      requestId: request.requestId,
      key: made.key,
      spec: canonicalSpec(parsed.spec),
      from: made.from,
      sourceBytes: made.sourceBytes,
      bytes: made.bytes.length,
      width: made.width,
      height: made.height,
      ms: Math.round(performance.now() - started),
    });
    return renditionAnswer(made);
  }

  const invoke = withInvocation(
    { logger: deps.logger, metrics: deps.metrics, route: METRIC_ROUTES.cdnRendition },
    CDN_ANSWERS,
    (request: CdnRenditionRequest) => request.requestId,
    (request, { measure }) => answerRendition(request, measure),
  );
  return async (request) => {
    const answer = await invoke(request, undefined);
    return request.method === 'HEAD' ? { ...answer, body: Buffer.alloc(0) } : answer;
  };
}

/** How the CDN answers a failure: the API's JSON error answer, counted as a request. */
const CDN_ANSWERS: ErrorAnswers<CdnRenditionRequest, CdnRenditionAnswer> = {
  answer: (err, failure) =>
    errorAnswer(err, {
      requestId: failure.requestId,
      coldStart: failure.coldStart,
      logger: failure.logger.createChild({ persistentKeys: { requestId: failure.requestId } }),
      measure: failure.measure,
    }),
  statusOf: (answer) => answer.status,
};

/** The API's JSON error answer (`errorResponse`: status, body, logging, refusal and fault counts) as a CDN answer. */
function errorAnswer(err: unknown, context: FailureContext): CdnRenditionAnswer {
  const response = errorResponse(err, context);
  const body = Buffer.from(response.body);
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name] = String(value);
  headers['content-length'] = String(body.length);
  if (err instanceof MethodNotAllowedError) headers.allow = ALLOWED_METHODS;
  return { status: response.statusCode, headers, body };
}

/** The rendition `request` names; 405 for a method other than GET and HEAD, 404 for a path the edge did not write. */
function parseRequest(request: CdnRenditionRequest, bounds: CdnRenditionBounds) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new MethodNotAllowedError(`${request.method.slice(0, 16)} is not a method of renditions`);
  }
  const requested = safeDecodeURIComponent(request.path).replace(/^\//, '');
  const parsed = parseCdnRenditionKey(requested, bounds);
  // A plain key reaches here when storage missed it (the origin group's failover): an object.
  if (!parsed) {
    const rendition = requested.startsWith(CDN_RENDITION_PREFIX);
    throw new NotFoundError(rendition ? 'no such rendition' : 'no such object');
  }
  return parsed;
}

/** A direct 200 of the rendition made. */
function renditionAnswer(made: MadeCdnRendition): CdnRenditionAnswer {
  return {
    status: 200,
    headers: {
      'content-type': made.contentType,
      'content-length': String(made.bytes.length),
      'cache-control': IMMUTABLE_CACHE_CONTROL,
      // What S3 answers for the stored copy (the MD5 of a single-part upload), so the two agree.
      etag: `"${createHash('md5').update(made.bytes).digest('hex')}"`,
      'x-content-type-options': 'nosniff',
      // `?format=auto` chose the format by Accept (the CDN adds the same to stored copies).
      vary: 'Accept',
    },
    body: made.bytes,
  };
}
