import { BadRequestError } from '/work/wt-bench/lambdas/core/errors';

// One alphabet per string: mixing `+/` with `-_` is refused, as is any other character.
// Node's Buffer.from(s, 'base64') silently skips invalid characters, so it cannot be the check.
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9\-_]*={0,2}$/;
const WHITESPACE = /[\t\n\r ]/g;

/**
 * Decodes standard or URL-safe base64, with or without padding; line breaks and spaces are
 * tolerated (MIME-wrapped input). Throws `INVALID_BASE64` on anything else.
 */
export function decodeBase64Strict(input: string): Buffer {
  let text = input;
  if (!STANDARD.test(text) && !URL_SAFE.test(text)) {
    text = text.replace(WHITESPACE, '');
    if (!STANDARD.test(text) && !URL_SAFE.test(text)) {
      throw new BadRequestError('INVALID_BASE64', 'image is not valid base64: it has characters outside one base64 alphabet');
    }
  }
  const padded = text.endsWith('=');
  if ((padded && text.length % 4 !== 0) || text.length % 4 === 1) {
    throw new BadRequestError('INVALID_BASE64', 'image is not valid base64: its length is not a whole number of bytes');
  }
  return Buffer.from(text, 'base64');
}
