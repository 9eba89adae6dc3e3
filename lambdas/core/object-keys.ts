import { BadRequestError } from './errors';

/** Client names become key prefixes, so they are kept to a URL- and S3-safe alphabet. */
export const CLIENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Throws unless `name` can serve as a client namespace. */
export function assertClientName(name: string): string {
  if (!CLIENT_NAME_PATTERN.test(name)) {
    throw new Error(
      `client name "${name}" must match ${CLIENT_NAME_PATTERN} (lower-case letters, digits, - and _)`,
    );
  }
  return name;
}

/**
 * The key of an upload through the API: `<client>/<sha256>.<ext>`. The same bytes give the
 * same key, which makes retries idempotent and lets the CDN cache forever.
 */
export function contentAddressedKey(client: string, sha256Hex: string, ext: string): string {
  return `${client}/${sha256Hex}.${ext}`;
}

/** The CDN URL of a key: the base URL plus the key, each segment percent-encoded. */
export function publicUrlOf(publicBaseUrl: string, key: string): string {
  const base = publicBaseUrl.endsWith('/') ? publicBaseUrl.slice(0, -1) : publicBaseUrl;
  return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

// Control characters (C0, DEL, C1), the Unicode line/paragraph separators and bidi controls
// that make a filename lie about itself when displayed, and U+FFFD, which is what invalid
// UTF-8 (overlong encodings such as C0 AE for ".") becomes once decoded.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const UNSAFE_FILENAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/;

// S3 caps user metadata at 2 KB; the name is stored percent-encoded, so it gets half of that.
const MAX_FILENAME_ENCODED_BYTES = 1024;

const hasTraversal = (name: string) => name.split(/[\\/]/).some((segment) => segment.trim() === '..');

/** Percent-decodes `value`, or keeps it as it is when it is not valid percent-encoding. */
export function safeDecodeURIComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Validates an optional original filename kept as metadata; returns its last path segment
 * (`photos/cat.png` → `cat.png`). Throws `INVALID_FILENAME` on control or invalid unicode
 * characters, a `..` segment (plain or percent-encoded), or an overlong name.
 */
export function sanitizeFilename(filename: string | undefined, maxChars: number): string | undefined {
  if (filename === undefined) return undefined;
  if (UNSAFE_FILENAME_CHARS.test(filename) || !filename.isWellFormed()) {
    throw new BadRequestError('INVALID_FILENAME', 'filename has control or invalid unicode characters');
  }
  if (hasTraversal(filename) || hasTraversal(safeDecodeURIComponent(filename))) {
    throw new BadRequestError('INVALID_FILENAME', 'filename must not climb directories (..)');
  }
  const base = filename.split(/[\\/]/).pop()!.trim();
  if ([...base].length > maxChars || encodeURIComponent(base).length > MAX_FILENAME_ENCODED_BYTES) {
    throw new BadRequestError(
      'INVALID_FILENAME',
      `filename is longer than ${maxChars} characters or ${MAX_FILENAME_ENCODED_BYTES} bytes`,
    );
  }
  return base === '' || base === '.' ? undefined : base;
}
