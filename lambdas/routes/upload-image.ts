import type { Logger } from '@aws-lambda-powertools/logger';
import type { UploadLimits } from '../core/limits';
import { profileFor, type FitDefaults } from '../core/fit-defaults';
import { MAX_FILENAME_CHARS } from '../core/limits';
import { sanitizeFilename } from '../core/object-keys';
import { uploadAnswer } from '../core/upload-answer';
import { decodeImagePayload } from '../core/upload-payload';
import { clientOf, headerOf, jsonResponse, withErrorResponses } from '../adapters/http';
import type { ImageStore } from '../adapters/image-store';
import { publishImage } from './publish-image';

/** What the upload route needs; the Lambda entry and local mode each supply their own. */
export interface UploadImageDeps {
  readonly store: ImageStore;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly limits: UploadLimits;
  readonly fits: FitDefaults;
  readonly logger: Logger;
}

/**
 * `POST /uploads` and `POST /`: decode, check, make the model-ready rendition for the asked
 * profile (`fit`), store it under its content-addressed key and answer `201` with its `url`
 * (what older clients read), size, tokens and prompt blocks.
 */
export function createUploadImageRoute(deps: UploadImageDeps) {
  return withErrorResponses(deps.logger, async (event, requestId) => {
    const client = clientOf(event, deps.clientsByKeyId);
    const query = event.queryStringParameters ?? {};
    const payload = decodeImagePayload(
      {
        body: event.body,
        isBase64Encoded: event.isBase64Encoded,
        contentType: headerOf(event, 'content-type'),
        filenameParam: query.filename,
        fitParam: query.fit,
        inlineParam: query.inline,
      },
      deps.limits.maxImageBytes,
    );
    const profile = profileFor(payload.fit, client, deps.fits);
    const image = await publishImage(deps, {
      client,
      bytes: payload.bytes,
      declaredTypes: payload.declaredTypes,
      profile,
      filename: sanitizeFilename(payload.filename, MAX_FILENAME_CHARS),
      via: 'api',
    });
    // requestId passed per call: a child logger per request cost more than the log line itself.
    deps.logger.info('image stored', {
      requestId,
      client,
      key: image.key,
      size: image.size,
      profile: image.profile,
      method: image.method,
    });
    return jsonResponse(201, uploadAnswer(image, deps.publicBaseUrl, payload.inline));
  });
}
