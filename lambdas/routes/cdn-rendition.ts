import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  type CdnRenditionBounds,
  type CdnRenditionSpec,
  CDN_RENDITION_PREFIX,
  canonicalSpec,
  cdnRenditionKey,
  parseCdnRenditionKey,
} from '../core/cdn-rendition';
import { AppError, MethodNotAllowedError, NotFoundError } from '../core/errors';
import { MEDIA_TYPES, mimeTypeOf } from '../core/media-types';
import { METRIC_ROUTES } from '../core/metric-catalogue';
import { profileNamed } from '../core/model-profiles';
import { isOwnOriginalKey } from '../core/object-namespace';
import { safeDecodeURIComponent } from '../core/object-keys';
import { describeRefusedBytes, sniffFormat } from '../core/sniff-format';
import { errorResponse, type FailureContext } from '../adapters/http';
import { IMMUTABLE_CACHE_CONTROL, type ImageStore, type StoredObject } from '../adapters/image-store';
import { type ErrorAnswers, withInvocation } from '../adapters/invocation';
import type { FunctionMetrics, InvocationMetrics } from '../adapters/metrics';
import { renderForProfile } from '../imaging/render-image';
import { renderResized } from '../imaging/render-resized';

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
  /** The object's kept original when it has one, else the object itself; undefined when neither exists. */
  async function readSource(sourceKey: string): Promise<StoredObject | undefined> {
    const head = await deps.store.headObject(sourceKey);
    if (!head) return undefined;
    // Told by the metadata the service wrote from the sniffed bytes: no need to download a clip.
    if (mimeTypeOf(head.contentType) === MEDIA_TYPES.mp4.contentType) throw notRenderable('an MP4 clip');
    const client = sourceKey.slice(0, sourceKey.indexOf('/'));
    const original = head.metadata.source;
    const fromOriginal =
      original !== undefined && isOwnOriginalKey(client, original)
        ? await deps.store.getObject(original, deps.maxSourceBytes)
        : undefined;
    return fromOriginal ?? (await deps.store.getObject(sourceKey, deps.maxSourceBytes));
  }

  async function render(bytes: Buffer, spec: CdnRenditionSpec) {
    const format = sniffFormat(bytes);
    if (format === undefined || format === 'mp4') {
      throw notRenderable(format === 'mp4' ? 'an MP4 clip' : describeRefusedBytes(bytes));
    }
    return spec.kind === 'profile'
      ? (await renderForProfile(bytes, format, profileNamed(spec.profile), deps.maxPixels)).rendition
      : await renderResized(bytes, format, spec, deps.maxPixels, deps.bounds.maxEdgePx);
  }

  /** Renders, stores and answers the rendition `request` names; throws what the error answer maps. */
  async function makeRendition(request: CdnRenditionRequest, measure: InvocationMetrics) {
    const started = performance.now();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new MethodNotAllowedError(`${request.method.slice(0, 16)} is not a method of renditions`);
    }
    const requested = safeDecodeURIComponent(request.path).replace(/^\//, '');
    const parsed = parseCdnRenditionKey(requested, deps.bounds);
    // A plain key reaches here when storage missed it (the origin group's failover): an object.
    if (!parsed) {
      const rendition = requested.startsWith(CDN_RENDITION_PREFIX);
      throw new NotFoundError(rendition ? 'no such rendition' : 'no such object');
    }
    const source = await readSource(parsed.sourceKey);
    if (!source) throw new NotFoundError('no such object');
    // The object exists, so its client is a configured one: a bounded dimension.
    const client = parsed.sourceKey.slice(0, parsed.sourceKey.indexOf('/'));
    measure.client = client;
    const image = await render(source.bytes, parsed.spec);
    const key = cdnRenditionKey(parsed.sourceKey, parsed.spec);
    const sha256 = createHash('sha256').update(image.bytes).digest();
    await deps.store.putObject({
      key,
      bytes: image.bytes,
      contentType: image.contentType,
      sha256Base64: sha256.toString('base64'),
      metadata: {
        client,
        sha256: sha256.toString('hex'),
        'rendered-from': source.key,
        width: String(image.width),
        height: String(image.height),
      },
    });
    measure.add('RenditionsRendered');
    deps.logger.info('rendition made', {
      requestId: request.requestId,
      key,
      spec: canonicalSpec(parsed.spec),
      from: source.key,
      sourceBytes: source.bytes.length,
      bytes: image.bytes.length,
      width: image.width,
      height: image.height,
      ms: Math.round(performance.now() - started),
    });
    return {
      status: 200,
      headers: {
        'content-type': image.contentType,
        'content-length': String(image.bytes.length),
        'cache-control': IMMUTABLE_CACHE_CONTROL,
        // What S3 answers for the stored copy (the MD5 of a single-part upload), so the two agree.
        etag: `"${createHash('md5').update(image.bytes).digest('hex')}"`,
        'x-content-type-options': 'nosniff',
        // `?format=auto` chose the format by Accept (the CDN adds the same to stored copies).
        vary: 'Accept',
      },
      body: image.bytes,
    };
  }

  const invoke = withInvocation(
    { logger: deps.logger, metrics: deps.metrics, route: METRIC_ROUTES.cdnRendition },
    CDN_ANSWERS,
    (request: CdnRenditionRequest) => request.requestId,
    (request, { measure }) => makeRendition(request, measure),
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

/**
 * 422: a stored object no rendition can be made of: an MP4 clip, or bytes that are not an image
 * on the allow-list. Renditions are made of still images only. A CDN answer, not an API one.
 */
export class NotRenderableError extends AppError {
  override readonly name = 'NotRenderableError';
  readonly statusCode = 422;
  readonly code = 'NOT_RENDERABLE';
}

function notRenderable(what: string): NotRenderableError {
  return new NotRenderableError(`the object is ${what}: renditions are made of still images only`);
}
