import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidImageError } from '../../lambdas/core/errors';
import { parseJpegLayout } from '../../lambdas/core/jpeg-segments';
import { restartIntervalJpeg, spliceInto } from '../support/crafted-images';
import {
  baseline,
  EOI,
  GREYS,
  HTML,
  markersOf,
  noisyJpeg,
  progressive,
  SOI,
  SOS,
  SOS_BYTES,
  ZIP,
} from '../support/jpeg-samples';

describe('parseJpegLayout', () => {
  it.each([
    ['baseline', baseline, 0xc0],
    ['progressive', progressive, 0xc2],
    ['restart-marker', async () => restartIntervalJpeg(GREYS), 0xc0],
  ] as const)(
    'walks a %s JPEG from SOI to EOI in segments that tile it',
    async (_name, make, startOfFrame) => {
      // Prepare
      const jpeg = await make();

      // Act
      const layout = parseJpegLayout(jpeg);

      // Assess
      expect(layout.segments[0]).toEqual({ marker: SOI, start: 0, end: 2 });
      expect(layout.segments.at(-1)).toEqual({ marker: EOI, start: jpeg.length - 2, end: jpeg.length });
      expect(layout.segments.slice(1).map((s) => s.start)).toEqual(
        layout.segments.slice(0, -1).map((s) => s.end),
      );
      expect(layout.segments.map((s) => s.marker)).toContain(startOfFrame);
      expect(layout.imageEnd).toBe(jpeg.length);
    },
  );

  it('finds every scan of a progressive JPEG', async () => {
    // Prepare
    const jpeg = await progressive();

    // Act
    const scans = parseJpegLayout(jpeg).segments.filter((s) => s.marker === SOS);

    // Assess
    expect(scans.length).toBeGreaterThan(1);
    for (const scan of scans) expect(jpeg.subarray(scan.start, scan.start + 2)).toEqual(SOS_BYTES);
  });

  it('reads stuffed FF 00 bytes as part of the entropy-coded data', async () => {
    // Prepare
    const jpeg = await noisyJpeg();
    const sos = jpeg.lastIndexOf(SOS_BYTES);
    expect(jpeg.subarray(sos).includes(Buffer.from([0xff, 0x00]))).toBe(true);

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.segments.slice(-2)).toEqual([
      { marker: SOS, start: sos, end: jpeg.length - 2 },
      { marker: EOI, start: jpeg.length - 2, end: jpeg.length },
    ]);
  });

  it('reads restart markers as part of the scan they interrupt', async () => {
    // Prepare: the crafted JPEG really is one: sharp decodes each block to its grey
    const jpeg = restartIntervalJpeg(GREYS);
    const decoded = await sharp(jpeg).extractChannel(0).raw().toBuffer();
    expect([...GREYS.keys()].map((block) => decoded[block * 8])).toEqual(GREYS);
    for (let rst = 0xd0; rst <= 0xd7; rst++) expect(jpeg.includes(Buffer.from([0xff, rst]))).toBe(true);

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.segments.map((s) => s.marker)).toEqual([SOI, 0xdb, 0xc0, 0xc4, 0xc4, 0xdd, SOS, EOI]);
    expect(layout.segments.at(-2)!.end).toBe(jpeg.length - 2);
  });

  it.each([
    ['an HTML page', Buffer.from(HTML)],
    ['a ZIP archive', ZIP],
    ['a second JPEG (a motion photo)', restartIntervalJpeg(GREYS)],
  ])('ends the image at its EOI, before %s appended to it', async (_name, tail) => {
    // Prepare
    const image = await baseline();
    const jpeg = Buffer.concat([image, tail]);

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.imageEnd).toBe(image.length);
    expect(layout.segments.at(-1)).toEqual({ marker: EOI, start: image.length - 2, end: image.length });
  });

  it('skips fill bytes before a marker', async () => {
    // Prepare
    const image = await baseline();
    const jpeg = spliceInto(image, 2, Buffer.from([0xff, 0xff, 0xff]));

    // Act
    const layout = parseJpegLayout(jpeg);

    // Assess
    expect(layout.segments.map((s) => s.marker)).toEqual(markersOf(image));
    expect(layout.segments[1]!.start).toBe(5);
    expect(layout.imageEnd).toBe(jpeg.length);
  });

  it.each([
    ['only its SOI', (j: Buffer) => j.subarray(0, 2)],
    ['cut after a marker, before its length', (j: Buffer) => j.subarray(0, 4)],
    ['cut inside its first header segment', (j: Buffer) => j.subarray(0, 30)],
    ['cut inside its entropy-coded data', (j: Buffer) => j.subarray(0, j.length - 40)],
    ['cut just before its EOI', (j: Buffer) => j.subarray(0, j.length - 2)],
    ['cut between the two bytes of its EOI', (j: Buffer) => j.subarray(0, j.length - 1)],
    ['cut at the start of its last scan', (j: Buffer) => j.subarray(0, j.lastIndexOf(SOS_BYTES))],
    ['cut in half', (j: Buffer) => j.subarray(0, j.length >> 1)],
  ])('refuses a progressive JPEG with InvalidImageError when it is %s (truncated)', async (_name, cut) => {
    // Prepare
    const jpeg = cut(await progressive());

    // Act
    const act = () => parseJpegLayout(jpeg);

    // Assess
    expect(act).toThrow(InvalidImageError);
    expect(act).toThrow(
      expect.objectContaining({
        code: 'INVALID_IMAGE',
        statusCode: 422,
        message: expect.stringMatching(/truncated/),
      }),
    );
  });

  it.each([
    [
      'a byte other than FF where a marker must start',
      (j: Buffer) => Buffer.concat([j.subarray(0, 2), Buffer.from([0x00]), j.subarray(3)]),
    ],
    [
      'a segment length of 0',
      (j: Buffer) => Buffer.concat([j.subarray(0, 4), Buffer.from([0, 0]), j.subarray(6)]),
    ],
    [
      'a segment length of 1',
      (j: Buffer) => Buffer.concat([j.subarray(0, 4), Buffer.from([0, 1]), j.subarray(6)]),
    ],
    [
      'a segment length one byte too long, landing inside the next segment',
      (j: Buffer) => {
        const out = Buffer.from(j);
        out.writeUInt16BE(out.readUInt16BE(4) + 1, 4);
        return out;
      },
    ],
    [
      'a segment length that runs past the end of the file',
      (j: Buffer) => Buffer.concat([j.subarray(0, 4), Buffer.from([0xff, 0xf0]), j.subarray(6)]),
    ],
    [
      'a PNG signature after the SOI',
      (j: Buffer) =>
        Buffer.concat([j.subarray(0, 2), Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), j.subarray(2)]),
    ],
  ])('refuses a JPEG with InvalidImageError when its segments are broken: %s', async (_name, damage) => {
    // Prepare
    const jpeg = damage(await baseline());

    // Act
    const act = () => parseJpegLayout(jpeg);

    // Assess
    expect(act).toThrow(InvalidImageError);
    expect(act).toThrow(expect.objectContaining({ code: 'INVALID_IMAGE', statusCode: 422 }));
  });
});
