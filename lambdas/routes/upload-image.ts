import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { UploadLimits } from '../core/limits';
import { profileFor, type FitDefaults } from '../core/fit-defaults';
import { MAX_FILENAME_CHARS } from '../core/limits';
import { sanitizeFilename } from '../core/object-keys';
import { uploadAnswer } from '../core/upload-answer';
import { BadRequestError, SourceForbiddenError } from '../core/errors';
import { decodeUploadPayload, type ImageSource, type UploadPayload } from '../core/upload-payload';
import { clientOf, headerOf, jsonResponse, queryValuesOf, withErrorResponses } from '../adapters/http';
import type { ImageStore } from '../adapters/image-store';
import type { SourceFetcher } from '../adapters/source-fetcher';
import type { FunctionMetrics } from '../adapters/metrics';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { publishImage } from '../publishing/publish-image';

/** What the upload route needs; the Lambda entry and local mode each supply their own. */
export interface UploadImageDeps {
  readonly store: ImageStore;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly limits: UploadLimits;
  readonly fits: FitDefaults;
  readonly logger: Logger;
  /**
   * Fetches the image of a `{"sourceUrl"}` body under the deployment's guard.
   * @default none: such bodies are refused with 400
   */
  readonly sourceFetcher?: SourceFetcher | undefined;
  readonly metrics: FunctionMetrics;
  /** The catalogue images are recorded in. @default none (single-handler unit tests) */
  readonly catalogue?: CatalogueDeps | undefined;
}

/**
 * `POST /uploads` and `POST /`: decode, check, make the model-ready rendition for the asked
 * profile (`fit`), store it under its content-addressed key and answer `201` with its `url`
 * (what older clients read), size, tokens and prompt blocks. A JSON body with `sourceUrl`
 * instead of `image` has the service fetch the image (`deps.sourceFetcher`), which then goes
 * through exactly the same checks.
 */
export function createUploadImageRoute(deps: UploadImageDeps) {
  const options = { logger: deps.logger, metrics: deps.metrics, route: 'upload' } as const;
  return withErrorResponses(options, async (event, requestId, measure) => {
    const client = clientOf(event, deps.clientsByKeyId);
    measure.client = client;
    const payload = payloadOf(deps, event);
    const profile = profileFor(payload.fit, client, deps.fits);
    const filename = sanitizeFilename(payload.filename, MAX_FILENAME_CHARS);
    const { bytes, source } =
      payload.kind === 'bytes'
        ? { bytes: payload.bytes, source: undefined }
        : await fetchSource(deps, payload.source, requestId, client);
    const image = await publishImage(deps, {
      client,
      bytes,
      declaredTypes: payload.declaredTypes,
      profile,
      filename,
      via: source === undefined ? 'api' : 'source-url',
      source: source === undefined ? 'upload' : 'url',
      folder: payload.folder,
      tags: payload.tags,
      metadata: payload.metadata,
    });
    measure
      .add('Uploads')
      .add('UploadBytes', bytes.length)
      .add('Renditions')
      .add('RenditionBytes', image.size);
    // requestId passed per call: a child logger per request cost more than the log line itself.
    deps.logger.info('image stored', {
      requestId,
      client,
      key: image.key,
      size: image.size,
      profile: image.profile,
      method: image.method,
      ...(source !== undefined && { sourceHost: source.host, redirects: source.redirects }),
    });
    return jsonResponse(201, uploadAnswer(image, deps.publicBaseUrl, payload.inline));
  });
}

/** The request's upload: the image's bytes or the URL to fetch it from, with its labels and options. */
function payloadOf(deps: UploadImageDeps, event: APIGatewayProxyEvent): UploadPayload {
  const query = event.queryStringParameters ?? {};
  return decodeUploadPayload(
    {
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
      contentType: headerOf(event, 'content-type'),
      filenameParam: query.filename,
      fitParam: query.fit,
      inlineParam: query.inline,
      folderParam: query.folder,
      tagParams: queryValuesOf(event, 'tag'),
    },
    deps.limits.maxImageBytes,
    deps.sourceFetcher?.policy.headerAllowlist,
  );
}

/** Fetches a `{"sourceUrl"}` body's image under the deployment's guard; a failure is logged by host only. */
async function fetchSource(
  deps: UploadImageDeps,
  source: ImageSource,
  requestId: string,
  client: string,
): Promise<{ bytes: Buffer; source: { host: string; redirects: number } }> {
  if (deps.sourceFetcher === undefined) {
    throw new BadRequestError('INVALID_REQUEST', 'this deployment does not fetch images from URLs');
  }
  // Only the host is ever logged: paths and query strings carry signatures and tokens.
  const host = source.url.hostname;
  try {
    const fetched = await deps.sourceFetcher.fetch(source);
    return { bytes: fetched.bytes, source: { host, redirects: fetched.redirects } };
  } catch (err) {
    deps.logger.warn('source not fetched', {
      requestId,
      client,
      sourceHost: host,
      error: (err as { code?: string }).code,
      ...(err instanceof SourceForbiddenError && { reason: err.reason }),
    });
    throw err;
  }
}
