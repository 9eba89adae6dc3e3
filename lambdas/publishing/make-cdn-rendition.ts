import { createHash } from 'node:crypto';
import type { ImageStore, StoredObject } from '../adapters/image-store';
import { type CdnRenditionSpec, cdnRenditionKey } from '../core/cdn-rendition';
import { AppError, NotFoundError } from '../core/errors';
import { MEDIA_TYPES, mimeTypeOf } from '../core/media-types';
import { profileNamed } from '../core/model-profiles';
import { describeRefusedBytes, sniffFormat } from '../core/sniff-format';
import { encodeStoredMetadata } from '../core/stored-metadata';
import { renderForProfile } from '../imaging/render-image';
import { renderResized } from '../imaging/render-resized';
import { readKeptOriginalOrObject } from './render-source';

/** What making a CDN rendition needs. */
export interface CdnRenditionMakerDeps {
  readonly store: ImageStore;
  /** Largest width × height decoded. */
  readonly maxPixels: number;
  /** Largest edge a resize may ask for, in pixels. */
  readonly maxEdgePx: number;
  /** Largest stored object read to render from, in bytes. */
  readonly maxSourceBytes: number;
}

/** A rendition made and stored. */
export interface MadeCdnRendition {
  /** Its rendition key. */
  readonly key: string;
  /** The key it was rendered from (the kept original, or the object). */
  readonly from: string;
  readonly sourceBytes: number;
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

/**
 * What a CDN rendition of the object `sourceKey` (of `client`) is made from: its kept original
 * or, for objects stored without one, the object itself. Throws 404 when the object does not
 * exist and 422 for an MP4 clip (told by its stored type: no need to download it).
 */
export async function readRenditionSource(
  deps: CdnRenditionMakerDeps,
  client: string,
  sourceKey: string,
): Promise<StoredObject> {
  const head = await deps.store.headObject(sourceKey);
  if (!head) throw new NotFoundError('no such object');
  if (mimeTypeOf(head.contentType) === MEDIA_TYPES.mp4.contentType) throw notRenderable('an MP4 clip');
  const source = await readKeptOriginalOrObject(deps.store, client, head, deps.maxSourceBytes);
  if (!source) throw new NotFoundError('no such object');
  return source.object;
}

/**
 * Renders `source` for `spec` (a model profile through `renderForProfile`, else
 * `renderResized`) and stores it under the rendition key of `sourceKey`. Throws 422 when no
 * rendition can be made of the bytes; stores nothing then.
 */
export async function storeCdnRendition(
  deps: CdnRenditionMakerDeps,
  client: string,
  sourceKey: string,
  source: StoredObject,
  spec: CdnRenditionSpec,
): Promise<MadeCdnRendition> {
  const image = await render(deps, source.bytes, spec);
  const key = cdnRenditionKey(sourceKey, spec);
  const sha256 = createHash('sha256').update(image.bytes).digest();
  await deps.store.putObject({
    key,
    bytes: image.bytes,
    contentType: image.contentType,
    sha256Base64: sha256.toString('base64'),
    metadata: encodeStoredMetadata({
      client,
      sha256: sha256.toString('hex'),
      renderedFrom: source.key,
      width: image.width,
      height: image.height,
    }),
  });
  const { bytes, contentType, width, height } = image;
  return { key, from: source.key, sourceBytes: source.bytes.length, bytes, contentType, width, height };
}

async function render(deps: CdnRenditionMakerDeps, bytes: Buffer, spec: CdnRenditionSpec) {
  const format = sniffFormat(bytes);
  if (format === undefined || format === 'mp4') {
    throw notRenderable(format === 'mp4' ? 'an MP4 clip' : describeRefusedBytes(bytes));
  }
  return spec.kind === 'profile'
    ? (await renderForProfile(bytes, format, profileNamed(spec.profile), deps.maxPixels)).rendition
    : await renderResized(bytes, format, spec, deps.maxPixels, deps.maxEdgePx);
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
