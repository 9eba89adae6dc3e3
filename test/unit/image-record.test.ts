import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  type ImageRecord,
  keysOfImage,
  mergeUpload,
  recordAnswer,
  statsDelta,
} from '../../lambdas/core/image-record';
import { imageIdOf, imageOriginalKeyOf, opaqueKeyOf } from '../../lambdas/core/opaque-keys';

const SECRET = Buffer.alloc(32, 7);
const SHA = 'ab'.repeat(32);

function record(overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    client: 'alice',
    imageId: 'i1',
    folder: 'users/a@b.c',
    key: 'alice/k1.jpg',
    filename: 'cat.jpg',
    tags: ['a'],
    metadata: { m: '1' },
    source: 'upload',
    createdAt: '2026-12-07T00:00:00.000Z',
    updatedAt: '2026-12-07T00:00:00.000Z',
    original: {
      contentType: 'image/jpeg',
      size: 1000,
      width: 30,
      height: 20,
      key: '_originals/alice/i1.jpg',
    },
    profiles: {
      universal: {
        key: 'alice/k1.jpg',
        size: 100,
        contentType: 'image/jpeg',
        sha256: SHA,
        width: 3,
        height: 2,
      },
    },
    version: 1,
    ...overrides,
  };
}

describe('opaque keys', () => {
  it('are stable for one upload in one folder, and differ across folders, clients, profiles and secrets', () => {
    // Prepare
    const id = imageIdOf(SECRET, 'alice', 'users/a', SHA);

    // Assess
    expect(imageIdOf(SECRET, 'alice', 'users/a', SHA)).toBe(id);
    expect(imageIdOf(SECRET, 'alice', 'users/b', SHA)).not.toBe(id);
    expect(imageIdOf(SECRET, 'bob', 'users/a', SHA)).not.toBe(id);
    expect(imageIdOf(Buffer.alloc(32, 8), 'alice', 'users/a', SHA)).not.toBe(id);
    const key = opaqueKeyOf(SECRET, 'alice', id, 'universal', 'jpg');
    expect(key).toMatch(/^alice\/[0-9a-f]{40}\.jpg$/);
    expect(opaqueKeyOf(SECRET, 'alice', id, 'openai', 'jpg')).not.toBe(key);
    expect(key).not.toContain(SHA.slice(0, 16));
    expect(imageOriginalKeyOf('alice', id, 'heic')).toBe(`_originals/alice/${id}.heic`);
  });
});

describe('image records', () => {
  it('adds a profile and tags, merges metadata, and keeps the filename on a re-upload that names none', () => {
    // Prepare
    const entry = { key: 'alice/k2.jpg', size: 50, contentType: 'image/jpeg', sha256: SHA };

    // Act
    const merged = mergeUpload(
      record(),
      'openai',
      entry,
      { tags: ['b', 'a'], metadata: { n: '2' } },
      'later',
    );

    // Assess
    expect(merged.tags).toEqual(['a', 'b']);
    expect(merged.metadata).toEqual({ m: '1', n: '2' });
    expect(merged.filename).toBe('cat.jpg');
    expect(keysOfImage(merged)).toEqual(['alice/k1.jpg', 'alice/k2.jpg', '_originals/alice/i1.jpg']);
    expect(merged.updatedAt).toBe('later');
  });

  it('refuses a re-upload whose tags would pass 20 with INVALID_TAGS', () => {
    // Prepare
    const full = record({ tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
    const entry = full.profiles.universal!;

    // Act / Assess
    expect(() => mergeUpload(full, 'universal', entry, { tags: ['new'] }, 'later')).toThrow(
      expect.objectContaining({ code: 'INVALID_TAGS' }),
    );
  });

  it('replaces each label a PATCH gives, and only those', () => {
    // Act
    const patched = applyPatch(record(), { tags: [] }, 'later');

    // Assess
    expect(patched.tags).toEqual([]);
    expect(patched.metadata).toEqual({ m: '1' });
    expect(patched.filename).toBe('cat.jpg');
  });

  it('counts a new image once, a re-upload by its added bytes, and a delete back to nothing', () => {
    // Prepare
    const first = record();
    const second = mergeUpload(
      first,
      'openai',
      { key: 'alice/k2.jpg', size: 50, contentType: 'image/webp', sha256: SHA },
      {},
      'x',
    );

    // Act / Assess
    expect(statsDelta(undefined, first)).toEqual({
      images: 1,
      servedBytes: 100,
      originalBytes: 1000,
      contentTypes: { 'image/jpeg': 1 },
      sources: { upload: 1 },
    });
    expect(statsDelta(first, second)).toEqual({
      images: 0,
      servedBytes: 50,
      originalBytes: 0,
      contentTypes: {},
      sources: {},
    });
    expect(statsDelta(second, undefined)).toMatchObject({
      images: -1,
      servedBytes: -150,
      originalBytes: -1000,
    });
  });

  it('answers the record through the key asked about, with every profile and its URL', () => {
    // Act
    const answer = recordAnswer(record(), 'https://cdn.example.com');

    // Assess
    expect(answer).toMatchObject({
      key: 'alice/k1.jpg',
      url: 'https://cdn.example.com/alice/k1.jpg',
      profile: 'universal',
      folder: 'users/a@b.c',
      originalSize: 1000,
      profiles: { universal: { url: 'https://cdn.example.com/alice/k1.jpg', width: 3, height: 2 } },
    });
  });
});
