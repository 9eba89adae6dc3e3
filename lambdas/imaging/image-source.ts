import sharp, { type CreateRaw, type Metadata, type Sharp } from 'sharp';
import { decodeHevc } from './hevc-decoder';
import { decoderError, tooManyPixels } from './image-errors';

/**
 * What every rendering pipeline starts from: the header, read without decoding a pixel and held
 * to the pixel limit, and a source sharp can decode (HEVC photos through the WebAssembly decoder).
 */

/** The header as the decoder reads it (metadata only, no pixels), with the pixel limit applied to what it says. */
export async function readHeader(bytes: Buffer, maxPixels: number): Promise<Metadata> {
  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch (err) {
    throw decoderError(err, maxPixels);
  }
  const frameHeight = header.pageHeight ?? header.height;
  if (header.width * frameHeight > maxPixels) throw tooManyPixels(header.width, frameHeight, maxPixels);
  return header;
}

/** The size of the first frame once the EXIF orientation is applied, in pixels. */
export function uprightSize(header: Metadata): { width: number; height: number } {
  const height = header.pageHeight ?? header.height;
  // EXIF orientations 5-8 turn the image a quarter: width and height swap.
  return (header.orientation ?? 1) >= 5
    ? { width: height, height: header.width }
    : { width: header.width, height };
}

/** Input sharp can decode: the file itself, or raw RGBA pixels (already upright) for HEVC. */
export type Decodable = { readonly input: Buffer; readonly raw?: CreateRaw };

/**
 * Input sharp can decode: the upload itself, or, for HEVC, pixels from the WebAssembly decoder.
 * Given the largest size the caller will make (`largest`, upright), HEVC pixels come halved when
 * that is at most half the image in both directions: sharp's shrink-on-load does the same for a JPEG.
 */
export async function decodableSource(
  bytes: Buffer,
  header: Metadata,
  maxPixels: number,
  largest?: { readonly width: number; readonly height: number },
): Promise<Decodable> {
  if (header.format !== 'heif' || header.compression !== 'hevc') return { input: bytes };
  const upright = uprightSize(header);
  const halve =
    largest !== undefined && largest.width * 2 <= upright.width && largest.height * 2 <= upright.height;
  const pixels = await decodeHevc(bytes, maxPixels, { halve });
  const input = Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
  return { input, raw: { width: pixels.width, height: pixels.height, channels: 4 } };
}

/**
 * A sharp pipeline over `source`, upright, under the pixel limit. First frame only: sharp reads
 * one page unless told otherwise. No metadata is copied to what it writes: sharp writes none
 * (EXIF, ICC, XMP) unless asked to.
 */
export function openUpright(source: Decodable, maxPixels: number): Sharp {
  const pipeline = sharp(source.input, {
    limitInputPixels: maxPixels,
    ...(source.raw && { raw: source.raw }),
  });
  // libheif has already applied the container's rotation to raw HEVC pixels.
  return source.raw ? pipeline : pipeline.autoOrient();
}
