import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../lambdas/core/errors';
import {
  describeListedKey,
  directUploadKeys,
  isServableKey,
  keyFromPublicUrl,
  parseQuarantineKey,
  resolveOwnKey,
  resolveOwnPrefix,
} from '../../lambdas/core/object-namespace';
import {
  BOB_SHA,
  FOREIGN_KEY_SPELLINGS,
  QUARANTINED_ID,
  foreignUrlSpellings,
} from '../support/key-spellings';

const CDN = 'https://d111111abcdef8.cloudfront.net';
const OWN = `alice/${BOB_SHA}.png`;

describe('resolveOwnKey', () => {
  it.each([
    ['a content-addressed key', OWN],
    ['a presigned upload key', `alice/${QUARANTINED_ID}.webp`],
    ['a key with a hyphenated client', `alice-2/${BOB_SHA}.jpg`],
  ])('accepts %s of the caller', (_name, key) => {
    // Prepare
    const client = key.split('/')[0]!;

    // Act
    const resolved = resolveOwnKey(client, key);

    // Assess
    expect(resolved).toBe(key);
  });

  it.each(FOREIGN_KEY_SPELLINGS)('refuses %s with 404', (_name, key) => {
    // Act
    const act = () => resolveOwnKey('alice', key);

    // Assess
    expect(act).toThrow(NotFoundError);
  });

  it.each([[undefined], [null], [42], [['alice/x.png']]])(
    'refuses a key that is not a string (%j)',
    (key) => {
      // Act
      const act = () => resolveOwnKey('alice', key);

      // Assess
      expect(act).toThrow(NotFoundError);
    },
  );
});

describe('keyFromPublicUrl', () => {
  it.each([
    ['the plain URL', `${CDN}/${OWN}`, OWN],
    ['a URL with a query and fragment', `${CDN}/${OWN}?w=1#x`, OWN],
    ['a URL under a base path', `https://img.example.com/media/${OWN}`, OWN],
    ['an upper-case host', `https://D111111ABCDEF8.cloudfront.net/${OWN}`, OWN],
  ])('reads the key of %s', (_name, url, expected) => {
    // Prepare
    const base = url.startsWith('https://img.') ? 'https://img.example.com/media' : CDN;

    // Act
    const key = resolveOwnKey('alice', keyFromPublicUrl(base, url));

    // Assess
    expect(key).toBe(expected);
  });

  it.each(foreignUrlSpellings(CDN))('refuses %s with 404', (_name, url) => {
    // Act
    const act = () => resolveOwnKey('alice', keyFromPublicUrl(CDN, url));

    // Assess
    expect(act).toThrow(NotFoundError);
  });

  it('refuses a URL outside the base path of the public URLs', () => {
    // Act
    const act = () =>
      keyFromPublicUrl('https://img.example.com/media', `https://img.example.com/other/${OWN}`);

    // Assess
    expect(act).toThrow(NotFoundError);
  });
});

describe('resolveOwnPrefix', () => {
  it.each([
    [undefined, 'alice/'],
    ['', 'alice/'],
    ['alice/', 'alice/'],
    ['alice/9f86', 'alice/9f86'],
  ])('turns prefix %j into %j', (prefix, expected) => {
    // Act
    const resolved = resolveOwnPrefix('alice', prefix);

    // Assess
    expect(resolved).toBe(expected);
  });

  it.each([
    'alice',
    'ali',
    'alice2/',
    'bob/',
    '/alice/',
    'alice/../bob/',
    'alice/%2e',
    '_incoming/alice/',
    'ａlice/',
    'alice/\u202e',
  ])('refuses prefix %j with 403', (prefix) => {
    // Act
    const act = () => resolveOwnPrefix('alice', prefix);

    // Assess
    expect(act).toThrow(ForbiddenError);
  });
});

describe('direct upload keys', () => {
  it('quarantines under _incoming/ and records the outcome under _uploads/, neither servable', () => {
    // Act
    const keys = directUploadKeys('alice', QUARANTINED_ID, 'jpeg');

    // Assess
    expect(keys).toEqual({
      uploadId: QUARANTINED_ID,
      quarantineKey: `_incoming/alice/${QUARANTINED_ID}.jpg`,
      statusKey: `_uploads/alice/${QUARANTINED_ID}.json`,
    });
    expect(parseQuarantineKey(keys.quarantineKey)).toEqual({
      client: 'alice',
      uploadId: QUARANTINED_ID,
      ext: 'jpg',
    });
    expect(isServableKey(keys.quarantineKey)).toBe(false);
    expect(isServableKey(keys.statusKey)).toBe(false);
    expect(isServableKey(`_originals/alice/${BOB_SHA}.png`)).toBe(false);
    expect(isServableKey(`alice/${BOB_SHA}.png`)).toBe(true);
  });

  it.each([
    ['a public key', `alice/${QUARANTINED_ID}.png`],
    ['a content-addressed name', `_incoming/alice/${BOB_SHA}.png`],
    ['a nested path', `_incoming/alice/x/${QUARANTINED_ID}.png`],
    ['dot-dot', `_incoming/../alice/${QUARANTINED_ID}.png`],
  ])('recognises no upload in %s', (_name, key) => {
    // Act
    const published = parseQuarantineKey(key);

    // Assess
    expect(published).toBeUndefined();
  });

  it.each([
    ['Alice', QUARANTINED_ID],
    ['alice', 'xyz'],
    ['_incoming', QUARANTINED_ID],
  ])('refuses client %j with id %j', (client, id) => {
    // Act
    const act = () => directUploadKeys(client, id, 'png');

    // Assess
    expect(act).toThrow(Error);
  });
});

describe('describeListedKey', () => {
  it.each([
    [`alice/${BOB_SHA}.png`, { contentType: 'image/png', sha256: BOB_SHA }],
    [`alice/${QUARANTINED_ID}.jpg`, { contentType: 'image/jpeg' }],
    ['alice/x.mp4', { contentType: 'video/mp4' }],
    ['alice/x.bin', {}],
  ])('describes %s', (key, expected) => {
    // Act
    const described = describeListedKey(key);

    // Assess
    expect(described).toEqual(expected);
  });
});
