import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { checkImageUpload } from '../core/image-upload';
import type { UploadLimits } from '../core/limits';
import { publicUrlOf } from '../core/object-keys';
import { decodeImagePayload } from '../core/upload-payload';
import { clientOf, errorResponse, headerOf, jsonResponse } from '../adapters/http';
import type { ImageStore } from '../adapters/image-store';

/** What the upload route needs; the Lambda entry and local mode each supply their own. */
export interface UploadImageDeps {
  readonly store: ImageStore;
  readonly clientsByKeyId: ReadonlyMap<string, string>;
  readonly publicBaseUrl: string;
  readonly limits: UploadLimits;
  readonly logger: Logger;
}

/**
 * `POST /uploads` and `POST /`: decode, check, store under the content-addressed key and
 * answer `201 {url, key, contentType, size, sha256}` (`url` is what older clients read).
 */
export function createUploadImageRoute(deps: UploadImageDeps) {
  return async (event: APIGatewayProxyEvent, context: Pick<Context, 'awsRequestId'>): Promise<APIGatewayProxyResult> => {
    const requestId = context.awsRequestId;
    try {
      const client = clientOf(event, deps.clientsByKeyId);
      const payload = decodeImagePayload(
        {
          body: event.body,
          isBase64Encoded: event.isBase64Encoded,
          contentType: headerOf(event, 'content-type'),
          filenameParam: event.queryStringParameters?.filename,
        },
        deps.limits.maxImageBytes,
      );
      const image = checkImageUpload(payload, client, deps.limits);
      await deps.store.putObject({
        key: image.key,
        bytes: image.bytes,
        contentType: image.contentType,
        sha256Base64: image.sha256Base64,
        metadata: {
          client,
          sha256: image.sha256Hex,
          ...(image.filename !== undefined && { 'original-filename': encodeURIComponent(image.filename) }),
        },
      });
      // requestId passed per call: a child logger per request cost more than the log line itself.
      deps.logger.info('image stored', { requestId, client, key: image.key, size: image.size, contentType: image.contentType });
      return jsonResponse(201, {
        url: publicUrlOf(deps.publicBaseUrl, image.key),
        key: image.key,
        contentType: image.contentType,
        size: image.size,
        sha256: image.sha256Hex,
      });
    } catch (err) {
      return errorResponse(err, requestId, deps.logger.createChild({ persistentKeys: { requestId } }));
    }
  };
}
