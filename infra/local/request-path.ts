/**
 * Request-target checks of the local gateway. WHATWG URL parsing would quietly resolve
 * `/cdn/../uploads` to `/uploads`, read `//host/x` as another host and turn `\` into `/`;
 * a path that needs any of that is refused instead of being guessed at.
 */

// `.` and `..` segments, percent-encoded or not (`%2e%2E`), and encoded NUL or backslash.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
const FORBIDDEN_IN_PATH = /%00|%5c|\\/i;

/** Why a raw request target is refused, or undefined when it is a plain origin-form path. */
export function refusedRequestTarget(rawTarget: string): string | undefined {
  if (!rawTarget.startsWith('/')) return 'the request target must be a path starting with /';
  const path = rawTarget.split('?', 1)[0]!;
  if (path.startsWith('//')) return 'the path must not start with //';
  if (FORBIDDEN_IN_PATH.test(path)) return 'the path has a NUL or backslash';
  if (path.split('/').some((segment) => DOT_SEGMENT.test(segment))) return 'the path has . or .. segments';
  return undefined;
}

/**
 * Decodes the key part of a CDN path (`alice/abc.png`), segment by segment. Undefined when a
 * segment does not decode, or decodes to an empty, `.` or `..` segment or a control character:
 * no stored key has those, and a stand-in must not pass them to the storage as paths.
 */
export function decodeCdnKey(path: string): string | undefined {
  if (path === '') return ''; // the bare prefix: no such object
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
    if (segment === '' || segment === '.' || segment === '..' || /[\u0000-\u001f\u007f\\/]/.test(segment))
      return undefined;
    segments.push(segment);
  }
  return segments.join('/');
}
