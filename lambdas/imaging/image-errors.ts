import { InvalidImageError } from '../core/errors';

/** 422 `IMAGE_TOO_MANY_PIXELS`, as the decoder saw the image. */
export function tooManyPixels(width: number, height: number, maxPixels: number): InvalidImageError {
  return new InvalidImageError(
    'IMAGE_TOO_MANY_PIXELS',
    `image is ${width}×${height} pixels, over the limit of ${maxPixels} pixels`,
  );
}

/**
 * Maps what libvips (through sharp) threw while reading an upload: over the pixel limit is
 * 422 `IMAGE_TOO_MANY_PIXELS`; anything else it could not read is 422 `INVALID_IMAGE`.
 */
export function decoderError(err: unknown, maxPixels: number): InvalidImageError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    return new InvalidImageError('IMAGE_TOO_MANY_PIXELS', `image is over the limit of ${maxPixels} pixels`, {
      cause: err,
    });
  }
  return new InvalidImageError('INVALID_IMAGE', 'the image decoder cannot read this image', { cause: err });
}
