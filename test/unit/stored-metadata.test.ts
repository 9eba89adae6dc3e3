import { describe, expect, it } from 'vitest';
import { PRESIGNED_PUT_HEADERS } from '../../lambdas/core/presign-request';
import {
  decodeStoredMetadata,
  encodeStoredMetadata,
  type StoredMetadata,
  storedMetadataHeaders,
} from '../../lambdas/core/stored-metadata';

const SHA = 'a3f1c2e4b5d6978812345678900abcdefa3f1c2e4b5d6978812345678900abcd';

describe('the stored-metadata codec', () => {
  it.each<[string, StoredMetadata]>([
    [
      'a rendition',
      {
        client: 'alice',
        via: 'api',
        sha256: SHA,
        filename: 'holiday photo (1).heic',
        profile: 'universal',
        width: 1568,
        height: 1176,
        originalType: 'image/heic',
        originalSize: 2_811_222,
        originalWidth: 4032,
        originalHeight: 3024,
        source: `_originals/alice/${SHA}.heic`,
        imageId: 'f00d',
      },
    ],
    ['a kept original', { client: 'alice', via: 'presigned-put', sha256: SHA }],
    [
      'a CDN rendition',
      { client: 'alice', sha256: SHA, renderedFrom: 'alice/x.png', width: 800, height: 600 },
    ],
    ['a presigned upload', { fit: 'claude', filename: 'ä b.png', folder: 'users/42', tags: ['cat', 'dog'] }],
  ])('reads back %s as it was written', (_what, value) => {
    // Act
    const decoded = decodeStoredMetadata(encodeStoredMetadata(value));

    // Assess
    expect(decoded).toEqual(value);
  });

  it('writes the names S3 keeps and older objects carry, numbers as decimal text, file names percent-encoded', () => {
    // Act
    const encoded = encodeStoredMetadata({
      client: 'alice',
      filename: 'a b.png',
      width: 10,
      originalType: 'image/png',
      originalSize: 99,
      renderedFrom: 'alice/k.png',
      imageId: 'f00d',
      tags: ['a', 'b'],
    });

    // Assess
    expect(encoded).toEqual({
      client: 'alice',
      'original-filename': 'a%20b.png',
      width: '10',
      'original-type': 'image/png',
      'original-size': '99',
      'rendered-from': 'alice/k.png',
      image: 'f00d',
      tags: 'a,b',
    });
  });

  it('leaves out what is absent, and empty tags', () => {
    expect(encodeStoredMetadata({ client: 'alice', tags: [] })).toEqual({ client: 'alice' });
  });

  it('ignores numbers that are not whole decimal text', () => {
    // Act
    const decoded = decodeStoredMetadata({ width: '12px', height: '-3', 'original-size': '1e3' });

    // Assess
    expect(decoded.width).toBeUndefined();
    expect(decoded.height).toBeUndefined();
    expect(decoded.originalSize).toBeUndefined();
  });

  it('signs as x-amz-meta-* headers only names the bucket CORS rule allows', () => {
    // Act
    const headers = storedMetadataHeaders({ fit: 'claude', filename: 'a.png', folder: 'f', tags: ['t'] });

    // Assess
    expect(headers).toEqual({
      'x-amz-meta-fit': 'claude',
      'x-amz-meta-original-filename': 'a.png',
      'x-amz-meta-folder': 'f',
      'x-amz-meta-tags': 't',
    });
    expect(PRESIGNED_PUT_HEADERS).toEqual(expect.arrayContaining(Object.keys(headers)));
  });
});
