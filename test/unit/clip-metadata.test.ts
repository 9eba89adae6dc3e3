import { describe, expect, it } from 'vitest';
import { stripClipMetadata } from '../../lambdas/core/clip-metadata';
import { judgeContainer } from '../../lambdas/core/container-metadata';
import { box } from '../support/image-fixtures';
import { CRAFTED_MEDIA, craftClip, ENCODER_NAME, HANDLER_NAME } from '../support/crafted-clips';
import {
  boxPaths,
  boxPayload,
  chunkHeads,
  chunkOffsetTypes,
  chunkOffsetsInMedia,
  mediaData,
} from '../support/mp4-boxes';
import { makeMp4 } from '../support/image-fixtures';

// Where location, device and user text live in an MP4, and the free space that may hold old copies.
const METADATA_PATH = /(^|\/)(udta|meta|uuid|XMP_|keys|ilst|©xyz|©mak|loci|free|skip)(\/|$)/;

/** `bytes` with the 32-bit size of the first `type` box set to `size`. */
function withBoxSize(bytes: Buffer, type: string, size: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32BE(size, copy.indexOf(type, 0, 'latin1') - 4);
  return copy;
}

describe('stripClipMetadata', () => {
  it.each([
    ['moov after mdat, stco', { fastStart: false, co64: false }],
    ['moov after mdat, co64', { fastStart: false, co64: true }],
    ['fast start (moov before mdat), stco', { fastStart: true, co64: false }],
    ['fast start (moov before mdat), co64', { fastStart: true, co64: true }],
  ])('removes every metadata box and keeps the media and its chunks (%s)', (_name, layout) => {
    // Prepare
    const clip = craftClip({ ...layout, metadata: true });
    expect(boxPaths(clip).filter((path) => METADATA_PATH.test(path)).length).toBeGreaterThan(5);

    // Act
    const cleaned = stripClipMetadata(clip);

    // Assess
    expect(boxPaths(cleaned).filter((path) => METADATA_PATH.test(path))).toEqual([]);
    expect(boxPaths(cleaned)).toEqual(boxPaths(craftClip(layout)));
    expect(mediaData(cleaned)).toEqual(CRAFTED_MEDIA);
    expect(chunkOffsetsInMedia(cleaned)).toEqual([[0, 32, 64]]);
    expect(chunkHeads(cleaned)).toEqual(chunkHeads(clip));
    expect(chunkOffsetTypes(cleaned)).toEqual([layout.co64 ? 'co64' : 'stco']);
    expect(cleaned.length).toBeLessThan(clip.length);
  });

  it('moves each chunk with its own mdat when there are several, with free space between them', () => {
    // Prepare: mdat payloads at media offsets 0, 96+16+8 = 120 (after a free box) and 120+40+8.
    const second = box('mdat', Buffer.alloc(40, 0xb2));
    const third = box('mdat', Buffer.alloc(24, 0xc3));
    const chunks = [0, 64, 120, 150, 168];
    const trailing = [box('free', Buffer.alloc(8)), second, third];
    const clip = craftClip({ fastStart: true, metadata: true, trailing, chunks });

    // Act
    const cleaned = stripClipMetadata(clip);

    // Assess
    expect(chunkHeads(cleaned)).toEqual(chunkHeads(clip));
    expect(chunkOffsetsInMedia(cleaned)).toEqual([[0, 64, 104, 134, 152]]);
    expect(boxPaths(cleaned).filter((path) => path === 'mdat')).toHaveLength(3);
  });

  it.each(['moov/mvhd', 'moov/trak/tkhd', 'moov/trak/mdia/mdhd'])(
    'clears the creation and modification times of %s',
    (path) => {
      // Prepare
      const clip = craftClip();
      expect(boxPayload(clip, path)!.readUInt32BE(4)).not.toBe(0);

      // Act
      const cleaned = stripClipMetadata(clip);

      // Assess: version/flags, then the two 32-bit times of a version 0 box.
      expect(boxPayload(cleaned, path)!.subarray(4, 12)).toEqual(Buffer.alloc(8));
      expect(boxPayload(cleaned, path)!.subarray(12)).toEqual(boxPayload(clip, path)!.subarray(12));
    },
  );
});

describe('stripClipMetadata: boxes it does not know', () => {
  it('drops a vendor box from the movie and keeps every sample table box', () => {
    // Prepare
    const vendor = box('smta', Buffer.from('Samsung SM-S918B'));
    const sampleDependencies = box('sdtp', Buffer.alloc(8));
    const clip = craftClip({ fastStart: true, moovExtra: [vendor], stblExtra: [sampleDependencies] });

    // Act
    const cleaned = stripClipMetadata(clip);

    // Assess
    expect(boxPaths(cleaned)).not.toContain('moov/smta');
    expect(cleaned.includes('Samsung', 0, 'latin1')).toBe(false);
    expect(boxPaths(cleaned)).toContain('moov/trak/mdia/minf/stbl/sdtp');
    expect(chunkOffsetsInMedia(cleaned)).toEqual([[0, 32, 64]]);
  });

  it('goes no deeper than the movie needs (20 000 movie boxes nested in one another)', () => {
    // Prepare: each level a bare header whose size spans the levels inside it.
    const depth = 20_000;
    const nested = Buffer.alloc(8 * depth);
    for (let level = 0; level < depth; level++) {
      nested.writeUInt32BE(8 * (depth - level), 8 * level);
      nested.write('moov', 8 * level + 4, 'latin1');
    }
    const clip = craftClip({ moovExtra: [nested] });

    // Act
    const cleaned = stripClipMetadata(clip);

    // Assess
    expect(boxPaths(cleaned).filter((path) => path === 'moov')).toHaveLength(1);
  });
});

describe('stripClipMetadata: names of devices', () => {
  it.each([
    ['the handler name', HANDLER_NAME],
    ['the video encoder name', ENCODER_NAME],
  ])('blanks %s in place', (_name, text) => {
    // Prepare
    const clip = craftClip();
    expect(clip.includes(text, 0, 'latin1')).toBe(true);

    // Act
    const cleaned = stripClipMetadata(clip);

    // Assess
    expect(cleaned.includes(text, 0, 'latin1')).toBe(false);
    expect(cleaned.length).toBe(clip.length);
    expect(boxPaths(cleaned)).toEqual(boxPaths(clip));
  });
});

describe('judgeContainer on MP4 clips', () => {
  it('judges a clip with metadata strippable, and the stripped clip clean', () => {
    // Prepare
    const clip = craftClip({ fastStart: true, metadata: true });

    // Act
    const first = judgeContainer('mp4', clip);
    const stripped = first.kind === 'strippable' ? first.stripped : clip;
    const second = judgeContainer('mp4', stripped);

    // Assess
    expect(first.kind).toBe('strippable');
    expect(second).toEqual({ kind: 'clean' });
  });

  it('serves a clip with nothing to remove as it came', () => {
    // Act
    const verdict = judgeContainer('mp4', makeMp4());

    // Assess
    expect(verdict).toEqual({ kind: 'clean' });
  });
});

describe('stripClipMetadata refuses what it cannot clean (422)', () => {
  const trex = box('trex', Buffer.alloc(24));
  const saio = box('saio', Buffer.alloc(12));
  it.each([
    ['a fragmented clip (mvex in moov)', craftClip({ moovExtra: [box('mvex', trex)] }), 'CLIP_NOT_CLEANABLE'],
    [
      'a fragmented clip (moof after mdat)',
      craftClip({ trailing: [box('moof', Buffer.alloc(8))] }),
      'CLIP_NOT_CLEANABLE',
    ],
    ['a timed-metadata track (GPS samples in mdat)', craftClip({ handler: 'meta' }), 'CLIP_NOT_CLEANABLE'],
    ['a text track', craftClip({ handler: 'text' }), 'CLIP_NOT_CLEANABLE'],
    ['media in another file', craftClip({ drefFlags: 0 }), 'CLIP_NOT_CLEANABLE'],
    ['a chunk before mdat', craftClip({ chunks: [0, -12] }), 'CLIP_NOT_CLEANABLE'],
    ['a chunk past mdat', craftClip({ chunks: [0, 500] }), 'CLIP_NOT_CLEANABLE'],
    ['encryption offsets (saio)', craftClip({ stblExtra: [saio] }), 'CLIP_NOT_CLEANABLE'],
    ['a track box larger than its movie', withBoxSize(craftClip(), 'trak', 100_000), 'INVALID_IMAGE'],
    ['a track box smaller than its header', withBoxSize(craftClip(), 'trak', 4), 'INVALID_IMAGE'],
    ['a chunk table with more entries than bytes', withBoxSize(craftClip(), 'stco', 12), 'INVALID_IMAGE'],
    [
      'two movie boxes',
      Buffer.concat([craftClip(), craftClip().subarray(craftClip().indexOf('moov') - 4)]),
      'INVALID_IMAGE',
    ],
    [
      'no movie box',
      Buffer.concat([craftClip().subarray(0, 24), box('mdat', CRAFTED_MEDIA)]),
      'INVALID_IMAGE',
    ],
  ])('refuses %s with %s', (_name, clip, code) => {
    // Act
    const act = () => stripClipMetadata(clip);

    // Assess
    expect(act).toThrow(expect.objectContaining({ statusCode: 422, code }));
  });
});
