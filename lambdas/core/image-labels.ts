import { BadRequestError } from './errors';

/** Most folder segments (`users/{email}/uploads/…` needs 3; 8 leaves room). */
export const MAX_FOLDER_SEGMENTS = 8;
/** Longest folder, in characters. */
export const MAX_FOLDER_CHARS = 256;
/** Most tags on one image. */
export const MAX_TAGS = 20;
/** Most metadata pairs on one image. */
export const MAX_METADATA_PAIRS = 20;
/** Most metadata bytes (UTF-8 of every name and value) on one image. */
export const MAX_METADATA_BYTES = 2048;

// ASCII only: percent-encoded and unicode look-alikes (fullwidth solidus, dots) never pass.
const FOLDER_SEGMENT = /^[A-Za-z0-9@._+-]+$/;
const TAG = /^[a-zA-Z0-9 _.:-]{1,64}$/;
const METADATA_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
// Values are text; controls and invalid unicode would lie when displayed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/;

function invalidFolder(message: string): BadRequestError {
  return new BadRequestError('INVALID_FOLDER', message);
}

/**
 * The folder an image is filed under: `''` (the client's root) when none is given, else a path
 * of 1–8 segments of letters, digits and `@ . _ + -` (e-mail addresses work), at most 256
 * characters. `.`/`..`/empty segments, a leading `/` or `_`, percent-encoding and non-ASCII
 * look-alikes are refused with 400 `INVALID_FOLDER`.
 */
export function parseFolder(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw invalidFolder('folder must be a string');
  if (value.length === 0 || value.length > MAX_FOLDER_CHARS)
    throw invalidFolder(`folder must be 1 to ${MAX_FOLDER_CHARS} characters`);
  if (value.startsWith('/') || value.startsWith('_'))
    throw invalidFolder('folder must not start with "/" or "_"');
  const segments = value.split('/');
  if (segments.length > MAX_FOLDER_SEGMENTS)
    throw invalidFolder(`folder has more than ${MAX_FOLDER_SEGMENTS} segments`);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..')
      throw invalidFolder('folder segments must not be empty, "." or ".."');
    if (!FOLDER_SEGMENT.test(segment))
      throw invalidFolder('folder segments hold only letters, digits and @ . _ + -');
  }
  return value;
}

/** Tags given on an upload or a PATCH (`undefined` when none): at most 20, each 1–64 of `[a-zA-Z0-9 _.:-]`, deduplicated. */
export function parseTags(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new BadRequestError('INVALID_TAGS', 'tags must be an array of strings');
  if (list.length > MAX_TAGS) throw new BadRequestError('INVALID_TAGS', `at most ${MAX_TAGS} tags`);
  for (const tag of list) {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      throw new BadRequestError(
        'INVALID_TAGS',
        'each tag is 1 to 64 characters of letters, digits, space and _ . : -',
      );
    }
  }
  return [...new Set(list as string[])];
}

/** Metadata given on an upload or a PATCH (`undefined` when none): at most 20 string pairs, 2 KB in all. */
export function parseMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const invalid = (message: string) => new BadRequestError('INVALID_METADATA', message);
  if (typeof value !== 'object' || Array.isArray(value))
    throw invalid('metadata must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_PAIRS) throw invalid(`at most ${MAX_METADATA_PAIRS} metadata pairs`);
  let bytes = 0;
  for (const [name, text] of entries) {
    if (!METADATA_NAME.test(name)) throw invalid('metadata names are 1 to 64 of letters, digits and _ . : -');
    if (typeof text !== 'string' || UNSAFE_TEXT.test(text) || !text.isWellFormed())
      throw invalid(`metadata "${name}" must be text without control characters`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(text);
  }
  if (bytes > MAX_METADATA_BYTES) throw invalid(`metadata is larger than ${MAX_METADATA_BYTES} bytes`);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The folders whose recursive stats an image in `folder` counts in: the root, then each ancestor, then itself. */
export function foldersUpTo(folder: string): string[] {
  if (folder === '') return [''];
  const segments = folder.split('/');
  return ['', ...segments.map((_, i) => segments.slice(0, i + 1).join('/'))];
}
