import { formatFromContentType, mimeTypeOf } from './media-types';
import { PROVIDER_LIMITS, PROVIDER_NAMES, type ProviderLimits, type ProviderName } from './model-profiles';

/** A served file as a provider fetching its URL meets it. */
export interface ServedFile {
  readonly contentType: string;
  /** Bytes served. */
  readonly size: number;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  /** Frames in the file; undefined = one (renditions keep only the first frame). */
  readonly frames?: number | undefined;
}

/** Whether each provider takes the URL as it is, and, for each that does not, why. */
export interface ProviderVerdicts {
  readonly providers: Readonly<Record<ProviderName, boolean>>;
  readonly providerNotes: Readonly<Partial<Record<ProviderName, string>>>;
}

const bytes = (n: number) => n.toLocaleString('en-US');

/** Every published limit of `limits` that `file` breaks, as sentences; empty when it takes it. */
function refusals(limits: ProviderLimits, file: ServedFile): string[] {
  const { label } = limits;
  const format = formatFromContentType(file.contentType);
  if (format === undefined || !limits.formats.some((f) => f === format)) {
    // The format decides alone: no other limit of a type it never fetches means anything.
    const served = mimeTypeOf(file.contentType) || 'of no type';
    return [`${label} takes only ${limits.formats.join(', ')} by URL; this is ${served}`];
  }
  const found: string[] = [];
  const frames = file.frames ?? 1;
  if (frames > 1 && !limits.takesAnimated) {
    found.push(`${label} takes no animated image; this one has ${frames} frames`);
  }
  const long = Math.max(file.width ?? 0, file.height ?? 0);
  if (limits.maxSidePx !== undefined && long > limits.maxSidePx) {
    found.push(
      `${label} refuses images over ${limits.maxSidePx} px on a side; this one is ${file.width}×${file.height} (fit universal resizes it)`,
    );
  }
  if (file.size > limits.maxBytes) {
    found.push(
      `${label} refuses images over ${bytes(limits.maxBytes)} bytes; this one is ${bytes(file.size)} (fit universal makes it smaller)`,
    );
  }
  return found;
}

/**
 * Judges a served file against each provider's published URL limits (format, animation,
 * longest side, bytes: see `PROVIDER_LIMITS`): `providers[p]` is true only when provider `p`
 * takes the URL as it is; `providerNotes[p]` says why when it does not.
 */
export function judgeProviders(file: ServedFile): ProviderVerdicts {
  const providers = {} as Record<ProviderName, boolean>;
  const providerNotes: Partial<Record<ProviderName, string>> = {};
  for (const name of PROVIDER_NAMES) {
    const found = refusals(PROVIDER_LIMITS[name], file);
    providers[name] = found.length === 0;
    if (found.length > 0) providerNotes[name] = found.join('; ');
  }
  return { providers, providerNotes };
}
