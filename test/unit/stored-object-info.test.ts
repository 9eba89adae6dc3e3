import { describe, expect, it } from 'vitest';
import { MAX_DIRECT_UPLOAD_BYTES_CEILING } from '../../lambdas/core/limits';
import { describeStoredObject, type StoredObjectHead } from '../../lambdas/core/stored-object-info';

const SHA = 'a3f1c2e4b5d6978812345678900abcdefa3f1c2e4b5d6978812345678900abcd';
const OTHER_SHA = '0'.repeat(64);
const MODIFIED = new Date('2026-11-21T09:41:07.000Z');

/** An object as the store's head answers for it. */
function head(overrides: Partial<StoredObjectHead> = {}): StoredObjectHead {
  return {
    key: `alice/${SHA}.jpg`,
    size: 183_204,
    contentType: 'image/jpeg',
    lastModified: MODIFIED,
    etag: '"9b2cf535f27731c974343645a3985328"',
    metadata: {},
    ...overrides,
  };
}

// What publishing a rendition writes (lambdas/publishing/publish-image.ts).
const RENDITION_METADATA = {
  client: 'alice',
  sha256: SHA,
  profile: 'universal',
  width: '1568',
  height: '1176',
  'original-type': 'image/heic',
  'original-size': '2811222',
  'original-width': '4032',
  'original-height': '3024',
};

describe('describeStoredObject', () => {
  it('describes an object stored before renditions by its head alone', () => {
    // Prepare
    const object = head({ metadata: { client: 'alice', sha256: SHA } });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info).toEqual({
      key: `alice/${SHA}.jpg`,
      size: 183_204,
      contentType: 'image/jpeg',
      sha256: SHA,
      lastModified: '2026-11-21T09:41:07.000Z',
      etag: '"9b2cf535f27731c974343645a3985328"',
    });
    for (const absent of ['width', 'height', 'profile', 'filename', 'original'])
      expect(info).not.toHaveProperty(absent);
  });

  it('describes a rendition: served size, profile and what was uploaded', () => {
    // Prepare
    const object = head({ metadata: RENDITION_METADATA });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info).toMatchObject({
      sha256: SHA,
      width: 1568,
      height: 1176,
      profile: 'universal',
      original: { contentType: 'image/heic', size: 2_811_222, width: 4032, height: 3024 },
    });
  });

  it.each([
    ['a content-addressed key', `alice/${SHA}.png`, SHA],
    ['a key that is not content-addressed', 'alice/cat.png', undefined],
  ])('takes the digest from %s when the metadata has none', (_name, key, sha256) => {
    // Prepare
    const object = head({ key, metadata: {} });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info.sha256).toBe(sha256);
  });

  it('prefers the digest in the metadata to the one in the key', () => {
    // Prepare
    const object = head({ key: `alice/${OTHER_SHA}.jpg`, metadata: { sha256: SHA } });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info.sha256).toBe(SHA);
  });

  it.each([
    ['my%20photo%20%C3%A9.jpg', 'my photo é.jpg'],
    ['cat.png', 'cat.png'],
    ['100%25%20sure.png', '100% sure.png'],
    ['broken%E0%A4%A.png', 'broken%E0%A4%A.png'], // not valid percent-encoding: kept as stored
  ])('gives the stored filename %s as %s', (stored, filename) => {
    // Prepare
    const object = head({ metadata: { 'original-filename': stored } });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info.filename).toBe(filename);
  });

  it.each(['', 'abc', '-5', '12.5', '1e3', ' 12', '12 ', '0x10', '+12', '12px'])(
    'leaves out width and height when the stored width is %j',
    (width) => {
      // Prepare
      const object = head({ metadata: { ...RENDITION_METADATA, width } });

      // Act
      const info = describeStoredObject(object);

      // Assess
      expect(info).not.toHaveProperty('width');
      expect(info).not.toHaveProperty('height');
      expect(info).toMatchObject({ profile: 'universal' });
    },
  );

  it('leaves out width and height when only one of them is stored', () => {
    // Prepare
    const { height: _height, ...onlyWidth } = RENDITION_METADATA;
    const object = head({ metadata: onlyWidth });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info).not.toHaveProperty('width');
    expect(info).not.toHaveProperty('height');
  });

  it('keeps the original type but drops malformed original numbers', () => {
    // Prepare
    const object = head({
      metadata: {
        ...RENDITION_METADATA,
        'original-size': 'big',
        'original-width': '-1',
        'original-height': '30.5',
      },
    });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info.original).toEqual({ contentType: 'image/heic' });
  });

  it('answers without dates or etag the store did not give', () => {
    // Prepare
    const object = head({ lastModified: undefined, etag: undefined });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info.lastModified).toBeUndefined();
    expect(info.etag).toBeUndefined();
    expect(JSON.parse(JSON.stringify(info))).not.toHaveProperty('lastModified');
  });

  // MAX_DIRECT_UPLOAD_BYTES allows originals up to 1 GiB: their size must survive the metadata.
  it('reports the size of an original as large as MAX_DIRECT_UPLOAD_BYTES allows (1 GiB)', () => {
    // Prepare
    const object = head({
      metadata: { ...RENDITION_METADATA, 'original-size': String(MAX_DIRECT_UPLOAD_BYTES_CEILING) },
    });

    // Act
    const info = describeStoredObject(object);

    // Assess
    expect(info.original).toMatchObject({ size: 1_073_741_824 });
  });
});
