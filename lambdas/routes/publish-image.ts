import { createHash } from 'node:crypto';
import { judgeContainer } from '../core/container-metadata';
import { identifyImage } from '../core/image-upload';
import type { UploadLimits } from '../core/limits';
import { MEDIA_TYPES, type MediaFormat } from '../core/media-types';
import type { ModelProfile } from '../core/model-profiles';
import { contentAddressedKey } from '../core/object-keys';
import { originalKeyOf } from '../core/object-namespace';
import type { PublishedImage } from '../core/upload-answer';
import type { ImageStore } from '../adapters/image-store';
import { renderForProfile } from '../imaging/render-image';

/** What publishing needs: where to store, and the limits every upload is checked against. */
export interface PublishDeps {
  readonly store: ImageStore;
  readonly limits: UploadLimits;
}

/** One image to publish in `client`'s namespace. */
export interface PublishRequest {
  readonly client: string;
  readonly bytes: Buffer;
  /** Types the client declared; the bytes must agree with each. */
  readonly declaredTypes: readonly string[];
  readonly profile: ModelProfile;
  readonly filename?: string | undefined;
  /** How it arrived, kept as metadata (`api`, `presigned-put`, `rendition`). */
  readonly via: string;
  /** Key of the stored upload it was made from, when it is a new rendition of a stored object. */
  readonly sourceKey?: string | undefined;
}

function sha256(bytes: Uint8Array): { hex: string; base64: string } {
  const digest = createHash('sha256').update(bytes).digest();
  return { hex: digest.toString('hex'), base64: digest.toString('base64') };
}

/**
 * Checks an upload, makes its rendition for the profile and stores it under its
 * content-addressed key (`<client>/<sha256 of the served bytes>.<ext>`): the same upload and
 * profile always give the same URL. When the rendition differs from the upload, the upload is
 * kept privately under `_originals/` so other profiles can be made from it later without a
 * new upload; the CDN never serves that prefix. MP4 clips are stored without their metadata
 * boxes, media bytes untouched (or refused with 422 when that cannot be done); no other
 * rendition can be made of a clip, so its upload is not kept.
 */
export async function publishImage(deps: PublishDeps, request: PublishRequest): Promise<PublishedImage> {
  const { format } = identifyImage(request.bytes, request.declaredTypes, deps.limits);
  const common = {
    client: request.client,
    via: request.via,
    ...(request.filename !== undefined && { 'original-filename': encodeURIComponent(request.filename) }),
  };
  if (format === 'mp4') return storeClip(deps, request, format, common);

  const { rendition, original } = await renderForProfile(
    request.bytes,
    format,
    request.profile,
    deps.limits.maxImagePixels,
  );
  const digest = sha256(rendition.bytes);
  const key = contentAddressedKey(request.client, digest.hex, MEDIA_TYPES[rendition.format].ext);
  let sourceKey = request.sourceKey;
  const writes: Promise<void>[] = [];
  if (rendition.method !== 'as-uploaded' && sourceKey === undefined) {
    const upload = sha256(request.bytes);
    sourceKey = originalKeyOf(contentAddressedKey(request.client, upload.hex, MEDIA_TYPES[format].ext));
    writes.push(
      deps.store.putObject({
        key: sourceKey,
        bytes: request.bytes,
        contentType: original.contentType,
        sha256Base64: upload.base64,
        metadata: { ...common, sha256: upload.hex },
      }),
    );
  }
  writes.push(
    deps.store.putObject({
      key,
      bytes: rendition.bytes,
      contentType: rendition.contentType,
      sha256Base64: digest.base64,
      metadata: {
        ...common,
        sha256: digest.hex,
        profile: request.profile.name,
        width: String(rendition.width),
        height: String(rendition.height),
        'original-type': original.contentType,
        'original-size': String(original.size),
        'original-width': String(original.width),
        'original-height': String(original.height),
        ...(sourceKey !== undefined && { source: sourceKey }),
      },
    }),
  );
  await Promise.all(writes);
  return {
    key,
    contentType: rendition.contentType,
    size: rendition.bytes.length,
    sha256: digest.hex,
    width: rendition.width,
    height: rendition.height,
    profile: request.profile.name,
    method: rendition.method,
    bytes: rendition.bytes,
    original: {
      contentType: original.contentType,
      size: original.size,
      width: original.width,
      height: original.height,
      frames: original.frames,
    },
  };
}

async function storeClip(
  deps: PublishDeps,
  request: PublishRequest,
  format: MediaFormat,
  metadata: Record<string, string>,
): Promise<PublishedImage> {
  const verdict = judgeContainer(format, request.bytes);
  const served = verdict.kind === 'strippable' ? verdict.stripped : request.bytes;
  const digest = sha256(served);
  const media = MEDIA_TYPES[format];
  const key = contentAddressedKey(request.client, digest.hex, media.ext);
  await deps.store.putObject({
    key,
    bytes: served,
    contentType: media.contentType,
    sha256Base64: digest.base64,
    metadata: { ...metadata, sha256: digest.hex },
  });
  return {
    key,
    contentType: media.contentType,
    size: served.length,
    sha256: digest.hex,
    method: verdict.kind === 'strippable' ? 'metadata-stripped' : 'as-uploaded',
    bytes: served,
    original: { contentType: media.contentType, size: request.bytes.length },
  };
}
