import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidImageError } from '../../lambdas/core/errors';
import { parseJpegLayout, stripJpegMetadata } from '../../lambdas/core/jpeg-segments';
import { allScansThroughEoi, jpegSegment, lastScanThroughEoi, spliceInto } from '../support/crafted-images';
import {
  APP14,
  baseline,
  CLEAN,
  cmyk,
  DIRTY,
  EOI,
  FOREIGN_APP14,
  gradient,
  markersOf,
  pixelsOf,
  WITH_CLEAN_ORIGINAL,
} from '../support/jpeg-samples';
import { CAMERA, GPS, XMP } from '../support/metadata-samples';

describe('stripJpegMetadata', () => {
  it.each(DIRTY)('keeps the decoded pixels of a %s', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect((await pixelsOf(stripped)).equals(await pixelsOf(jpeg))).toBe(true);
  });

  it.each(DIRTY)('keeps the last scan of a %s byte for byte, from its SOS to EOI', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(lastScanThroughEoi(stripped).equals(lastScanThroughEoi(jpeg))).toBe(true);
  });

  it.each(DIRTY)('leaves no trace of what a %s carried, and nothing after its EOI', async (_name, make) => {
    // Prepare
    const { jpeg, trace } = await make();
    expect(jpeg.includes(trace, 0, 'latin1')).toBe(true);

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.includes(trace, 0, 'latin1')).toBe(false);
    expect(stripped.subarray(-2)).toEqual(Buffer.from([0xff, EOI]));
    expect(parseJpegLayout(stripped).imageEnd).toBe(stripped.length);
  });

  it.each(WITH_CLEAN_ORIGINAL)('gives back exactly the JPEG a %s was made from', async (_name, make) => {
    // Prepare
    const { jpeg, clean } = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.equals(clean!)).toBe(true);
  });

  it.each([
    ['EXIF with GPS', () => gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer(), ['exif']],
    ['EXIF and ICC', () => gradient().jpeg().withMetadata().toBuffer(), ['exif', 'icc']],
    ['a Display P3 ICC profile', () => gradient().jpeg().withIccProfile('p3').toBuffer(), ['icc']],
    ['XMP', () => gradient().jpeg().withXmp(XMP).toBuffer(), ['xmp']],
    [
      'EXIF, ICC and XMP, progressive',
      () => gradient().jpeg({ progressive: true }).withMetadata().withXmp(XMP).toBuffer(),
      ['exif', 'icc', 'xmp'],
    ],
  ] as const)('removes %s so that sharp reads none', async (_name, make, fields) => {
    // Prepare
    const jpeg = await make();
    const before = await sharp(jpeg).metadata();
    for (const field of fields) expect(before[field]).toBeDefined();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    const after = await sharp(stripped).metadata();
    expect({
      exif: after.exif,
      icc: after.icc,
      xmp: after.xmp,
      iptc: after.iptc,
      hasProfile: after.hasProfile,
    }).toEqual({
      exif: undefined,
      icc: undefined,
      xmp: undefined,
      iptc: undefined,
      hasProfile: false,
    });
    expect({ width: after.width, height: after.height, isProgressive: after.isProgressive }).toEqual({
      width: before.width,
      height: before.height,
      isProgressive: before.isProgressive,
    });
  });

  it('keeps every scan of a progressive JPEG byte for byte', async () => {
    // Prepare
    const jpeg = await gradient().jpeg({ progressive: true }).withMetadata().withXmp(XMP).toBuffer();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(allScansThroughEoi(stripped).equals(allScansThroughEoi(jpeg))).toBe(true);
  });

  it('keeps the Adobe APP14 segment, which says how to read the colour channels', async () => {
    // Prepare
    const jpeg = await cmyk().withExif({ IFD0: CAMERA }).toBuffer();
    expect(markersOf(jpeg)).toContain(APP14);

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(markersOf(stripped)).toContain(APP14);
    expect(stripped.includes('Adobe', 0, 'latin1')).toBe(true);
    expect(await sharp(stripped).metadata()).toMatchObject({ space: 'cmyk', channels: 4 });
    expect((await pixelsOf(stripped)).equals(await pixelsOf(jpeg))).toBe(true);
  });

  // A non-Adobe APP14 (here carrying a position and a script) is metadata: it goes.
  it('removes an APP14 segment that is not Adobe’s, with what it carries', async () => {
    // Prepare
    const clean = await baseline();
    const jpeg = spliceInto(clean, 2, jpegSegment(APP14, FOREIGN_APP14));

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.includes('<script>', 0, 'latin1')).toBe(false);
    expect(stripped.equals(clean)).toBe(true);
  });

  it.each(CLEAN)('leaves a clean %s byte for byte', async (_name, make) => {
    // Prepare
    const jpeg = await make();

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.equals(jpeg)).toBe(true);
  });

  it('drops fill bytes, which carry nothing', async () => {
    // Prepare
    const image = await baseline();
    const jpeg = spliceInto(image, 2, Buffer.from([0xff, 0xff, 0xff]));

    // Act
    const stripped = stripJpegMetadata(jpeg);

    // Assess
    expect(stripped.equals(image)).toBe(true);
  });

  it('refuses a truncated JPEG rather than serve what is left of it', async () => {
    // Prepare
    const jpeg = await gradient().jpeg().withExif({ IFD0: CAMERA, IFD3: GPS }).toBuffer();
    const truncated = jpeg.subarray(0, jpeg.length - 40);

    // Act
    const act = () => stripJpegMetadata(truncated);

    // Assess
    expect(act).toThrow(InvalidImageError);
  });
});
