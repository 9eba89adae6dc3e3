import { InvalidImageError } from '../core/errors';
import { tooManyPixels } from './image-errors';

/** Decoded pixels: 8-bit RGBA, row after row. */
export interface RgbaPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/**
 * Decodes the primary image of a HEIC (HEVC inside HEIF) with libheif compiled to
 * WebAssembly: sharp's prebuilt libvips reads the container but has no HEVC decoder. The
 * decoder's own idea of the size is checked against `maxPixels` before any pixel is made,
 * so a file whose first size record lies cannot slip a bigger image past the limit.
 * libheif applies the container's rotation and mirroring (irot/imir) while decoding.
 */
export async function decodeHevc(bytes: Buffer, maxPixels: number): Promise<RgbaPixels> {
  // Loaded on the first HEIC only: the WebAssembly decoder adds ~80 ms to every cold start.
  const { default: decodeHeic } = await import('heic-decode');
  let images: Awaited<ReturnType<typeof decodeHeic.all>>;
  try {
    images = await decodeHeic.all({ buffer: bytes });
  } catch (err) {
    throw new InvalidImageError('INVALID_IMAGE', 'the HEIC decoder cannot read this image', { cause: err });
  }
  try {
    const primary = images[0];
    if (!primary) throw new InvalidImageError('INVALID_IMAGE', 'HEIC holds no image');
    if (primary.width * primary.height > maxPixels)
      throw tooManyPixels(primary.width, primary.height, maxPixels);
    const decoded = await primary.decode().catch((err: unknown) => {
      throw new InvalidImageError('INVALID_IMAGE', 'the HEIC decoder cannot read this image', { cause: err });
    });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  } finally {
    images.dispose();
  }
}
