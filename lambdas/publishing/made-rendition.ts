// What publishing an image is made of — checking it, rendering it, its stored metadata and its
// answer — shared by the two ways it is stored (content-addressed, or recorded in the catalogue).
import { createHash } from 'node:crypto';
import { judgeContainer } from '../core/container-metadata';
import { identifyImage } from '../core/image-upload';
import type { ImageLabels, ImageRecord, ImageSource } from '../core/image-record';
import type { UploadLimits } from '../core/limits';
import { MEDIA_TYPES, type MediaFormat } from '../core/media-types';
import type { ModelProfile } from '../core/model-profiles';
import { encodeStoredMetadata } from '../core/stored-metadata';
import type { OriginalSummary, PublishedImage } from '../core/upload-answer';
import type { ImageStore } from '../adapters/image-store';
import type { CatalogueDeps } from '../catalogue/catalogue-deps';
import { renderForProfile } from '../imaging/render-image';

/** What publishing needs: where to store, the limits every upload is checked against, the catalogue. */
export interface PublishDeps {
  readonly store: ImageStore;
  readonly limits: UploadLimits;
  /**
   * The catalogue every deployment and local mode records images in: opaque keys, one record per
   * image. @default none: content-addressed keys and no record (single-handler unit tests only)
   */
  readonly catalogue?: CatalogueDeps | undefined;
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
  /** How it arrived, as the catalogue records it. */
  readonly source: ImageSource;
  /** Key of the stored upload it was made from, when it is a new rendition of a stored object. */
  readonly sourceKey?: string | undefined;
  /** The folder of a new image (`''`: the client's root). */
  readonly folder?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** The recorded image a new rendition belongs to. */
  readonly image?: ImageRecord | undefined;
}

/** A rendition made and checked, not yet stored. */
export interface MadeRendition {
  readonly format: MediaFormat;
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly ext: string;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly method: string;
  readonly original: OriginalSummary;
  readonly sha256: { readonly hex: string; readonly base64: string };
  /** Whether the upload is kept privately (under `_originals/`) so other profiles can be made of it. */
  readonly keepsUpload: boolean;
}

/** Hex and base64 SHA-256 of `bytes`. */
export function sha256Of(bytes: Uint8Array): { hex: string; base64: string } {
  const digest = createHash('sha256').update(bytes).digest();
  return { hex: digest.toString('hex'), base64: digest.toString('base64') };
}

/**
 * Checks an upload and makes its rendition for the profile. MP4 clips lose their metadata boxes,
 * media bytes untouched (422 `CLIP_NOT_CLEANABLE` when that cannot be done).
 */
export async function makeRendition(deps: PublishDeps, request: PublishRequest): Promise<MadeRendition> {
  const { format } = identifyImage(request.bytes, request.declaredTypes, deps.limits);
  if (format === 'mp4') return makeClip(request.bytes);
  const { rendition, original } = await renderForProfile(
    request.bytes,
    format,
    request.profile,
    deps.limits.maxImagePixels,
  );
  return {
    format,
    bytes: rendition.bytes,
    contentType: rendition.contentType,
    ext: MEDIA_TYPES[rendition.format].ext,
    width: rendition.width,
    height: rendition.height,
    method: rendition.method,
    original: {
      contentType: original.contentType,
      size: original.size,
      width: original.width,
      height: original.height,
      frames: original.frames,
    },
    sha256: sha256Of(rendition.bytes),
    keepsUpload: rendition.method !== 'as-uploaded',
  };
}

/**
 * A clip as served: without its metadata boxes. No other rendition can be made of a clip, so its
 * upload (which may carry GPS) is never kept, not even privately.
 */
function makeClip(upload: Buffer): MadeRendition {
  const verdict = judgeContainer('mp4', upload);
  const bytes = verdict.kind === 'strippable' ? verdict.stripped : upload;
  const media = MEDIA_TYPES.mp4;
  return {
    format: 'mp4',
    bytes,
    contentType: media.contentType,
    ext: media.ext,
    method: verdict.kind === 'strippable' ? 'metadata-stripped' : 'as-uploaded',
    original: { contentType: media.contentType, size: upload.length },
    sha256: sha256Of(bytes),
    keepsUpload: false,
  };
}

/**
 * The S3 metadata every stored rendition carries (what `GET /objects/{key}` fell back on before
 * the catalogue), with the kept original it was made from and the catalogue's image id.
 */
export function renditionMetadata(
  request: PublishRequest,
  made: MadeRendition,
  sourceKey: string | undefined,
  imageId?: string,
): Record<string, string> {
  const { contentType, size, width, height } = made.original;
  return encodeStoredMetadata({
    client: request.client,
    via: request.via,
    filename: request.filename,
    sha256: made.sha256.hex,
    ...(made.width !== undefined && {
      profile: request.profile.name,
      width: made.width,
      height: made.height,
      originalType: contentType,
      originalSize: size,
      originalWidth: width,
      originalHeight: height,
    }),
    source: sourceKey,
    imageId,
  });
}

/** The S3 metadata of a kept original: whose it is, how it came, its digest. */
export function originalMetadata(request: PublishRequest, sha256Hex: string): Record<string, string> {
  return encodeStoredMetadata({ client: request.client, via: request.via, sha256: sha256Hex });
}

/** The answer of a publish, from the rendition made and the key it was stored under. */
export function publishedImage(request: PublishRequest, made: MadeRendition, key: string): PublishedImage {
  return {
    key,
    contentType: made.contentType,
    size: made.bytes.length,
    sha256: made.sha256.hex,
    ...(made.width !== undefined && {
      width: made.width,
      height: made.height,
      profile: request.profile.name,
    }),
    method: made.method,
    bytes: made.bytes,
    original: made.original,
  };
}

/** Labels of a publish request, as the catalogue merges them. */
export function labelsOf(request: PublishRequest): ImageLabels {
  return { filename: request.filename, tags: request.tags, metadata: request.metadata };
}
