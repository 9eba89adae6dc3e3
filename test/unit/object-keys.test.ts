import { describe, expect, it } from 'vitest';
import {
  assertClientName,
  contentAddressedKey,
  publicUrlOf,
  sanitizeFilename,
} from '../../lambdas/core/object-keys';

describe('object keys', () => {
  it('builds <client>/<sha256>.<ext>', () => {
    expect(contentAddressedKey('alice', 'ab'.repeat(32), 'png')).toBe(`alice/${'ab'.repeat(32)}.png`);
  });

  it.each([
    ['https://d1.cloudfront.net', 'alice/x.png', 'https://d1.cloudfront.net/alice/x.png'],
    ['https://d1.cloudfront.net/', 'alice/x.png', 'https://d1.cloudfront.net/alice/x.png'],
    ['http://127.0.0.1:3000/cdn', 'a b/c#d.png', 'http://127.0.0.1:3000/cdn/a%20b/c%23d.png'],
  ])('builds the public URL of %s + %s', (base, key, url) => {
    expect(publicUrlOf(base, key)).toBe(url);
  });

  it.each(['alice', 'bot-1', 'team_a', '0'])('accepts client name %s', (name) => {
    expect(assertClientName(name)).toBe(name);
  });

  it.each(['', 'Alice', '_incoming', '-x', 'a/b', 'a.b', 'x'.repeat(64), 'é'])(
    'refuses client name %j',
    (name) => {
      expect(() => assertClientName(name)).toThrow(/must match/);
    },
  );
});

describe('sanitizeFilename', () => {
  it.each([
    [undefined, undefined],
    ['cat.png', 'cat.png'],
    ['photos/2024/cat.png', 'cat.png'],
    ['C:\\Users\\me\\cat.png', 'cat.png'],
    ['./cat.png', 'cat.png'],
    ['100%.png', '100%.png'],
    ['   ', undefined],
    ['猫.png', '猫.png'],
  ])('keeps %j as %j', (input, expected) => {
    expect(sanitizeFilename(input, 255)).toBe(expected);
  });

  it.each([
    ['a NUL byte', 'cat\u0000.png'],
    ['a newline', 'cat\n.png'],
    ['a right-to-left override', 'cat\u202Egnp.exe'],
    ['a lone surrogate', 'cat\uD800.png'],
    ['an overlong name', `${'x'.repeat(256)}`],
    ['a name over S3 metadata room once percent-encoded', '😀'.repeat(100)],
    ['a bare ..', '..'],
    ['a climb out of the folder', '../../etc/passwd'],
    ['a Windows climb', '..\\..\\boot.ini'],
    ['a climb in the middle', 'photos/../../cat.png'],
    ['a percent-encoded climb', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['an overlong UTF-8 dot, decoded', '\uFFFD\uFFFD/cat.png'],
  ])('refuses %s with INVALID_FILENAME', (_, name) => {
    expect(() => sanitizeFilename(name, 255)).toThrow(
      expect.objectContaining({ statusCode: 400, code: 'INVALID_FILENAME' }),
    );
  });
});
