import type { Color, ResizeOptions, Sharp } from 'sharp';
import { type CdnFormat, type CdnRenditionSpec, DEFAULT_QUALITY } from '../core/cdn-rendition';
import { MEDIA_TYPES, type MediaFormat } from '../core/media-types';
import { decoderError } from './image-errors';
import { decodableSource, openUpright, readHeader, uprightSize } from './image-source';

/** A rendition made at the CDN's request that is a resize and/or a conversion (not a model profile). */
export type ResizeSpec = Extract<CdnRenditionSpec, { kind: 'resize' }>;

/** The bytes of a resized rendition and what they are. */
export interface ResizedImage {
  readonly bytes: Buffer;
  readonly format: CdnFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

/**
 * AVIF encoder effort (0 fastest … 9 smallest). 3 is the most before libaom's cliff: at 4 (sharp's
 * default) a 12 MP photo to 800 px costs ~8× the CPU (2.8 s instead of 0.35 s on one core; 14 s
 * at 2048 px) for 25-50% fewer bytes, too slow for a viewer waiting on a cache miss.
 */
export const AVIF_EFFORT = 3;

const WHITE: Color = { r: 255, g: 255, b: 255, alpha: 1 };
const TRANSPARENT: Color = { r: 0, g: 0, b: 0, alpha: 0 };

/**
 * Makes the rendition `spec` asks for of a stored still image: upright, sRGB, 8-bit, first frame
 * only, no metadata (EXIF, GPS, ICC, XMP), never enlarged, and no side over `maxEdgePx`. One sharp pipeline from the file to
 * the encoder, so JPEG (and WebP) shrink-on-load applies; the header is read first, without
 * decoding, to apply the pixel limit. HEVC photos are decoded by the WebAssembly decoder.
 * What the decoder cannot read is 422 (`INVALID_IMAGE`, `IMAGE_TOO_MANY_PIXELS`).
 *
 * - `inside`: fits the box (or the one edge given), keeping the aspect ratio.
 * - `cover`: fills the box, cropped around the centre. An image smaller than the box is not
 *   enlarged: it is cropped to the box's aspect ratio at its own scale (200×100 for 256×256
 *   gives 100×100).
 * - `contain`: fits inside the box and is letterboxed to exactly the box (white for JPEG,
 *   transparent otherwise); a smaller image is centred, not enlarged.
 * - no `format`: JPEG, PNG and WebP stay what they are, GIF becomes PNG, and AVIF or HEIC
 *   become JPEG (PNG when they carry alpha).
 */
export async function renderResized(
  bytes: Buffer,
  format: MediaFormat,
  spec: ResizeSpec,
  maxPixels: number,
  maxEdgePx: number,
): Promise<ResizedImage> {
  const header = await readHeader(bytes, maxPixels);
  const hasAlpha = header.hasAlpha === true;
  const output = spec.format ?? defaultOutputFormat(format, hasAlpha);
  const source = await decodableSource(bytes, header, maxPixels);
  let pipeline = openUpright(source, maxPixels);
  // The HEVC decoder always gives RGBA: an opaque image must not be encoded with an alpha plane.
  if (source.raw && !hasAlpha) pipeline = pipeline.removeAlpha();
  const upright = source.raw ? { width: source.raw.width, height: source.raw.height } : uprightSize(header);
  pipeline = pipeline.resize(resizeOptions(spec, upright, output, maxEdgePx));
  pipeline = encodeAs(pipeline.toColourspace('srgb'), output, spec.quality);
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
    return {
      bytes: data,
      format: output,
      contentType: MEDIA_TYPES[output].contentType,
      width: info.width,
      height: info.height,
    };
  } catch (err) {
    throw decoderError(err, maxPixels);
  }
}

/** The format of a rendition whose URL names none. */
export function defaultOutputFormat(format: MediaFormat, hasAlpha: boolean): CdnFormat {
  if (format === 'jpeg' || format === 'png' || format === 'webp') return format;
  if (format === 'gif') return 'png';
  return hasAlpha ? 'png' : 'jpeg';
}

function resizeOptions(
  spec: ResizeSpec,
  upright: { width: number; height: number },
  output: CdnFormat,
  maxEdgePx: number,
): ResizeOptions {
  const common = { withoutEnlargement: true, position: 'centre' } as const;
  if (spec.fit === 'cover')
    return { ...coverBox(upright, spec.width!, spec.height!), fit: 'cover', ...common };
  // The edge a URL leaves open is bounded too: `?w=800` of a 1000×90000 strip, or `?format=webp`
  // of an 8000² photo, is no bigger than `maxEdgePx` on any side. (sharp skips a no-op resize.)
  return {
    width: spec.width ?? maxEdgePx,
    height: spec.height ?? maxEdgePx,
    fit: spec.fit,
    ...(spec.fit === 'contain' && { background: output === 'jpeg' ? WHITE : TRANSPARENT }),
    ...common,
  };
}

/**
 * The box a cover crop fills: `width`×`height`, or, when filling it would enlarge the image, the
 * largest box of the same aspect ratio that the image covers at its own scale.
 */
function coverBox(
  image: { width: number; height: number },
  width: number,
  height: number,
): { width: number; height: number } {
  const scale = Math.min(1, image.width / width, image.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function encodeAs(pipeline: Sharp, output: CdnFormat, quality: number | undefined): Sharp {
  switch (output) {
    case 'jpeg':
      return pipeline.flatten({ background: WHITE }).jpeg({ quality: quality ?? DEFAULT_QUALITY.jpeg });
    case 'png':
      // Lossless: a quality does not apply (the edge refuses `q` with `format=png`).
      return pipeline.png();
    case 'webp':
      return pipeline.webp({ quality: quality ?? DEFAULT_QUALITY.webp });
    case 'avif':
      return pipeline.avif({ quality: quality ?? DEFAULT_QUALITY.avif, effort: AVIF_EFFORT });
  }
}
