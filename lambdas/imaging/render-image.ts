import type { Metadata, Sharp } from 'sharp';
import { judgeContainer } from '../core/container-metadata';
import { MEDIA_TYPES, type MediaFormat } from '../core/media-types';
import { fitDimensions, type ModelProfile, type OutputFormat } from '../core/model-profiles';
import { chooseOutputFormat, encodingAttempts, type EncodingAttempt } from '../core/rendition-encoding';
import { decoderError } from './image-errors';
import { type Decodable, decodableSource, openUpright, readHeader, uprightSize } from './image-source';

/** What was uploaded, as the decoder saw it. */
export interface OriginalImage {
  readonly format: MediaFormat;
  readonly contentType: string;
  readonly size: number;
  /** Upright size (after the EXIF orientation is applied), in pixels. */
  readonly width: number;
  readonly height: number;
  /** Frames in the file; a rendition keeps only the first. */
  readonly frames: number;
}

/** How a rendition was made from the upload. */
export type RenditionMethod = 'as-uploaded' | 'metadata-stripped' | 'rendered';

/** The bytes a public URL serves for one profile. */
export interface Rendition {
  readonly bytes: Buffer;
  readonly format: OutputFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly method: RenditionMethod;
}

/** The pipeline's result: the rendition for the profile and what the upload was. */
export interface RenderResult {
  readonly rendition: Rendition;
  readonly original: OriginalImage;
}

const LOSSLESS_FORMATS = new Set<MediaFormat>(['jpeg', 'png', 'webp']);

/**
 * Makes the model-ready rendition of an uploaded still image for `profile`: upright, sRGB,
 * 8-bit, no metadata (EXIF, GPS, XMP, IPTC, ICC, comments, thumbnails) and nothing appended,
 * in a format and size the profile accepts. The cheapest path that gets there wins: an image
 * that already fits and carries nothing is kept byte for byte; one that only carries metadata
 * or appended bytes loses them without a re-encode; anything else is decoded (under the
 * pixel limit: the decoder, not a header guess, refuses bombs) and encoded again.
 */
export async function renderForProfile(
  bytes: Buffer,
  format: MediaFormat,
  profile: ModelProfile,
  maxPixels: number,
): Promise<RenderResult> {
  const header = await readHeader(bytes, maxPixels);
  const upright = uprightSize(header);
  const original: OriginalImage = {
    format,
    contentType: MEDIA_TYPES[format].contentType,
    size: bytes.length,
    ...upright,
    frames: header.pages ?? 1,
  };
  const target = fitDimensions(upright.width, upright.height, profile);
  const fits = target.width === upright.width && target.height === upright.height;

  if (fits && canKeepPixels(format, header, profile)) {
    const verdict = judgeContainer(format, bytes);
    const kept =
      verdict.kind === 'clean' ? bytes : verdict.kind === 'strippable' ? verdict.stripped : undefined;
    if (kept && kept.length <= profile.maxBytes) {
      const method = verdict.kind === 'clean' ? 'as-uploaded' : 'metadata-stripped';
      return {
        original,
        rendition: {
          bytes: kept,
          format: format as OutputFormat,
          contentType: MEDIA_TYPES[format].contentType,
          ...upright,
          method,
        },
      };
    }
  }
  // The first attempt is the largest (encodingAttempts shrinks from `target`).
  const source = await decodableSource(bytes, header, maxPixels, target);
  const outputFormat = chooseOutputFormat(format, header.hasAlpha === true, profile);
  for (const attempt of encodingAttempts(outputFormat, target, header.hasAlpha === true)) {
    const encoded = await encode(source, attempt, upright, maxPixels);
    if (encoded.length <= profile.maxBytes) {
      return {
        original,
        rendition: {
          bytes: encoded,
          format: attempt.format,
          contentType: MEDIA_TYPES[attempt.format].contentType,
          width: attempt.width,
          height: attempt.height,
          method: 'rendered',
        },
      };
    }
  }
  // Every attempt (down to a small fraction of the size) is over the cap: nothing to serve.
  throw decoderError(new Error(`no encoding fits ${profile.maxBytes} bytes`), maxPixels);
}

/** Whether the pixels may stay as they are: a served format, upright, one frame, 8-bit sRGB. */
function canKeepPixels(format: MediaFormat, header: Metadata, profile: ModelProfile): boolean {
  return (
    LOSSLESS_FORMATS.has(format) &&
    profile.formats.includes(format as OutputFormat) &&
    (header.orientation ?? 1) === 1 &&
    (header.pages ?? 1) === 1 &&
    header.depth === 'uchar' &&
    (header.space === 'srgb' || header.space === 'b-w') &&
    (header.icc === undefined || isSrgbProfile(header.icc))
  );
}

// An embedded sRGB profile says what untagged pixels mean anyway; any other must be converted.
// ICC v2 profiles name themselves in ASCII, v4 ones (libvips, lcms write these) in UTF-16BE.
const SRGB_NAMES = [Buffer.from('sRGB', 'latin1'), Buffer.from('\0s\0R\0G\0B', 'latin1')];
function isSrgbProfile(icc: Buffer): boolean {
  return SRGB_NAMES.some((name) => icc.includes(name));
}

async function encode(
  source: Decodable,
  attempt: EncodingAttempt,
  upright: { width: number; height: number },
  maxPixels: number,
): Promise<Buffer> {
  // First frame only, upright, no metadata copied (openUpright); sRGB 8-bit.
  let pipeline: Sharp = openUpright(source, maxPixels);
  if (attempt.width !== upright.width || attempt.height !== upright.height) {
    pipeline = pipeline.resize(attempt.width, attempt.height, { fit: 'fill' });
  }
  pipeline = pipeline.toColourspace('srgb');
  if (attempt.format === 'jpeg')
    pipeline = pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: attempt.quality });
  else if (attempt.format === 'png')
    pipeline = pipeline.png({ palette: attempt.palette === true, quality: attempt.quality });
  else if (attempt.format === 'webp') pipeline = pipeline.webp({ quality: attempt.quality });
  else pipeline = pipeline.gif();
  try {
    return await pipeline.toBuffer();
  } catch (err) {
    throw decoderError(err, maxPixels);
  }
}
