import type { MediaFormat } from './media-types';
import type { ModelProfile, OutputFormat } from './model-profiles';

/** One way to encode a rendition; tried in order until one fits the profile's byte cap. */
export interface EncodingAttempt {
  readonly format: OutputFormat;
  readonly width: number;
  readonly height: number;
  /** Encoder quality (JPEG/WebP; PNG only with `palette`). */
  readonly quality: number;
  /** PNG: quantise to a palette (lossy, much smaller). */
  readonly palette?: boolean;
}

/**
 * The served format of a rendition that has to be encoded. A JPEG, PNG or WebP upload keeps
 * its format where the profile serves it; otherwise photos become JPEG, and images with
 * alpha or few colours (GIF) become PNG.
 */
export function chooseOutputFormat(
  input: MediaFormat,
  hasAlpha: boolean,
  profile: ModelProfile,
): OutputFormat {
  const allowed = (format: OutputFormat) => profile.formats.includes(format);
  if ((input === 'jpeg' || input === 'png' || input === 'webp') && allowed(input)) return input;
  const preferred: readonly OutputFormat[] =
    input === 'gif' || hasAlpha ? ['png', 'webp', 'jpeg'] : ['jpeg', 'webp', 'png'];
  const chosen = preferred.find(allowed);
  if (!chosen) throw new Error(`profile ${profile.name} serves none of JPEG, PNG, WebP`);
  return chosen;
}

const JPEG_QUALITIES = [85, 75, 60] as const;
const WEBP_QUALITIES = [85, 70] as const;
// Each step down keeps 80% of the edge (64% of the pixels); five steps reach about a third.
const SHRINK_STEPS = 5;
const SHRINK_FACTOR = 0.8;

/**
 * Encodings to try, best first, for a rendition of `size`: the chosen format at falling
 * quality, then (for PNG) a palette, or JPEG when there is no alpha to keep, then the same at
 * smaller sizes. Almost every image fits on the first attempt; the rest exist so that a
 * noisy screenshot cannot make an upload fail on the byte cap.
 */
export function* encodingAttempts(
  format: OutputFormat,
  size: { width: number; height: number },
  hasAlpha: boolean,
): Generator<EncodingAttempt> {
  for (let step = 0; step <= SHRINK_STEPS; step++) {
    const scale = SHRINK_FACTOR ** step;
    const width = Math.max(1, Math.round(size.width * scale));
    const height = Math.max(1, Math.round(size.height * scale));
    if (format === 'jpeg') for (const quality of JPEG_QUALITIES) yield { format, width, height, quality };
    else if (format === 'webp')
      for (const quality of WEBP_QUALITIES) yield { format, width, height, quality };
    else if (format === 'gif') yield { format, width, height, quality: 100 };
    else {
      yield { format: 'png', width, height, quality: 100 };
      if (!hasAlpha) for (const quality of JPEG_QUALITIES) yield { format: 'jpeg', width, height, quality };
      else yield { format: 'png', width, height, quality: 90, palette: true };
    }
  }
}
