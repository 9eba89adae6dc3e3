import { BadRequestError, InvalidImageError, UnsupportedMediaTypeError } from './errors';
import { checkImageStructure } from './image-structure';
import type { UploadLimits } from './limits';
import { formatFromDeclaredType, type MediaFormat } from './media-types';
import { describeRefusedBytes, sniffFormat } from './sniff-format';

/**
 * Decides what the bytes are and whether they may be stored: the type comes from the magic
 * numbers and must agree with every type the client declared; the container must be whole;
 * the declared pixel count must be under the bomb limit.
 */
export function identifyImage(bytes: Buffer, declaredTypes: readonly string[], limits: UploadLimits) {
  if (bytes.length === 0) throw new BadRequestError('EMPTY_IMAGE', 'image is empty');
  const format = sniffFormat(bytes);
  if (!format) {
    throw new UnsupportedMediaTypeError(
      `bytes are ${describeRefusedBytes(bytes)}; accepted: PNG, JPEG, GIF, WebP, AVIF, HEIC/HEIF, MP4`,
    );
  }
  for (const declared of declaredTypes) {
    const declaredFormat = formatFromDeclaredType(declared);
    if (declaredFormat === undefined) {
      throw new UnsupportedMediaTypeError(
        `declared type "${declared.slice(0, 64)}" is not accepted; accepted: png, jpg, gif, webp, avif, heic, heif, mp4`,
      );
    }
    if (!sameFormat(declaredFormat, format)) {
      throw new UnsupportedMediaTypeError(
        `bytes are ${format.toUpperCase()} but the declared type is ${declared.slice(0, 64)}`,
      );
    }
  }
  const dimensions = checkImageStructure(format, bytes);
  if (dimensions && dimensions.width * dimensions.height > limits.maxImagePixels) {
    throw new InvalidImageError(
      'IMAGE_TOO_MANY_PIXELS',
      `image declares ${dimensions.width}×${dimensions.height} pixels, over the limit of ${limits.maxImagePixels}`,
    );
  }
  if (dimensions && (dimensions.width === 0 || dimensions.height === 0)) {
    throw new InvalidImageError('INVALID_IMAGE', 'image declares zero width or height');
  }
  return { format, ...dimensions };
}

// HEIF is the container; HEIC is HEIF with HEVC inside. Clients name either for either.
function sameFormat(declared: MediaFormat, sniffed: MediaFormat): boolean {
  const heif = (f: MediaFormat) => f === 'heic' || f === 'heif';
  return declared === sniffed || (heif(declared) && heif(sniffed));
}
