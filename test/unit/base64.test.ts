import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../lambdas/core/base64';

const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x10, 0x83]);

describe('decodeBase64Strict', () => {
  it.each([
    ['standard, padded', bytes.toString('base64')],
    ['URL-safe, unpadded', bytes.toString('base64url')],
    [
      'MIME-wrapped with CRLF',
      `${bytes.toString('base64').slice(0, 4)}\r\n${bytes.toString('base64').slice(4)}`,
    ],
    ['spaces and tabs', ` ${bytes.toString('base64').slice(0, 4)}\t${bytes.toString('base64').slice(4)} `],
  ])('decodes %s', (_, input) => {
    // Act
    const decoded = decodeBase64Strict(input);

    // Assess
    expect(decoded.equals(bytes)).toBe(true);
  });

  it.each([
    ['a character outside both alphabets', 'iVBO*w0K'],
    ['mixed standard and URL-safe alphabets', '+/-_'],
    ['padding in the middle', 'ab=c'],
    ['three padding characters', 'a==='],
    ['a length that is not whole bytes', 'abcde'],
    ['padding on a length not a multiple of 4', 'abc=='],
    ['non-ASCII letters', 'ÄÖÜß'],
    ['a NUL byte', 'abc\u0000'],
  ])('refuses %s with INVALID_BASE64', (_, input) => {
    // Act / Assess
    expect(() => decodeBase64Strict(input)).toThrow(
      expect.objectContaining({ code: 'INVALID_BASE64', statusCode: 400 }),
    );
  });

  it('decodes an empty string to no bytes (the caller refuses empty images)', () => {
    expect(decodeBase64Strict('').length).toBe(0);
  });
});
