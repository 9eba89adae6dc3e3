import type { Logger } from '@aws-lambda-powertools/logger';
import { BadRequestError } from '../core/errors';
import { profileFor, type FitDefaults } from '../core/fit-defaults';
import type { UploadLimits } from '../core/limits';
import { keyFromPublicUrl, resolveOwnKey } from '../core/object-namespace';
import { uploadAnswer } from '../core/upload-answer';
import { parseInlineFlag } from '../core/upload-payload';
import { parseJsonObject } from '../core/json-body';
import { clientOf, jsonResponse, withErrorResponses } from '../adapters/http';
import type { ImageStore } from '../adapters/image-store';
import type { FunctionMetrics } from '../adapters/metrics';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { publishImage } from '../publishing/publish-image';
import { readRenditionSource } from '../publishing/render-source';

/** What the rendition route needs; the Lambda entry and local mode each supply their own. */
export interface RenditionDeps {
  readonly store: ImageStore;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly limits: UploadLimits;
  readonly fits: FitDefaults;
  /** Largest stored object read back to render from, in bytes. */
  readonly maxSourceBytes: number;
  readonly logger: Logger;
  readonly metrics: FunctionMetrics;
  /** The catalogue images are recorded in. @default none (single-handler unit tests) */
  readonly catalogue?: CatalogueDeps | undefined;
}

/**
 * `POST /renditions` `{key | url, fit, inline?}`: the same image in another profile without
 * uploading it again. It is made from the upload kept privately behind the object (so a
 * `universal` rendition can still become a full-size `original`), or from the object itself
 * when there is none (objects stored before renditions existed). Answers `201` with the same
 * shape as `POST /uploads`.
 */
export function createRenditionRoute(deps: RenditionDeps) {
  const options = { logger: deps.logger, metrics: deps.metrics, route: 'rendition' } as const;
  return withErrorResponses(options, async (event, requestId, measure) => {
    const client = clientOf(event, deps.clientsByKeyId);
    measure.client = client;
    const body = parseJsonObject(event.body, event.isBase64Encoded);
    if (body.key === undefined && body.url === undefined) {
      throw new BadRequestError(
        'INVALID_REQUEST',
        'name the object: {"key": "<key>"} or {"url": "<public url>"}, with "fit"',
      );
    }
    const key = resolveOwnKey(client, body.key ?? keyFromPublicUrl(deps.publicBaseUrl, body.url));
    const profile = profileFor(body.fit, client, deps.fits);
    const source = await readRenditionSource(deps, client, key);
    const image = await publishImage(deps, {
      client,
      bytes: source.object.bytes,
      declaredTypes: [],
      profile,
      via: 'rendition',
      source: 'rendition',
      sourceKey: source.sourceKey,
      filename: undefined,
      image: source.image,
    });
    measure.add('Renditions').add('RenditionBytes', image.size);
    deps.logger.info('rendition stored', {
      requestId,
      client,
      from: key,
      key: image.key,
      profile: image.profile,
      method: image.method,
    });
    return jsonResponse(201, uploadAnswer(image, deps.publicBaseUrl, parseInlineFlag(body.inline ?? false)));
  });
}
