import { MEDIA_TYPES } from '../core/media-types';
import { contentAddressedKey } from '../core/object-keys';
import { originalKeyOf } from '../core/object-namespace';
import type { PublishedImage } from '../core/upload-answer';
import { publishRecorded } from '../catalogue/publish-recorded';

import {
  type MadeRendition,
  makeRendition,
  originalMetadata,
  type PublishDeps,
  publishedImage,
  type PublishRequest,
  renditionMetadata,
  sha256Of,
} from './made-rendition';

/**
 * Checks an upload, makes its rendition for the profile and stores it. With the catalogue (every
 * deployment), under an opaque key of its image, recorded first (`publishRecorded`). When the
 * rendition differs from the upload, the upload is kept privately under `_originals/` so other
 * profiles can be made from it later without a new upload; the CDN never serves that prefix.
 */
export async function publishImage(deps: PublishDeps, request: PublishRequest): Promise<PublishedImage> {
  const made = await makeRendition(deps, request);
  if (deps.catalogue) return (await publishRecorded({ ...deps, ...deps.catalogue }, request, made)).image;
  return publishContentAddressed(deps, request, made);
}

/** Without a catalogue: `<client>/<sha256 of the served bytes>.<ext>`, the upload under `_originals/`. */
async function publishContentAddressed(
  deps: PublishDeps,
  request: PublishRequest,
  made: MadeRendition,
): Promise<PublishedImage> {
  const key = contentAddressedKey(request.client, made.sha256.hex, made.ext);
  let sourceKey = request.sourceKey;
  const writes: Promise<void>[] = [];
  if (made.keepsUpload && sourceKey === undefined) {
    const upload = sha256Of(request.bytes);
    sourceKey = originalKeyOf(contentAddressedKey(request.client, upload.hex, MEDIA_TYPES[made.format].ext));
    writes.push(
      deps.store.putObject({
        key: sourceKey,
        bytes: request.bytes,
        contentType: made.original.contentType,
        sha256Base64: upload.base64,
        metadata: originalMetadata(request, upload.hex),
      }),
    );
  }
  writes.push(
    deps.store.putObject({
      key,
      bytes: made.bytes,
      contentType: made.contentType,
      sha256Base64: made.sha256.base64,
      metadata: renditionMetadata(request, made, sourceKey),
    }),
  );
  await Promise.all(writes);
  return publishedImage(request, made, key);
}
