import { describe, expect, it } from 'vitest';
import { isCleanJpeg, stripJpegMetadata } from '../../lambdas/core/jpeg-segments';
import { jpegSegment, spliceInto } from '../support/crafted-images';
import { APP14, baseline, CLEAN, DIRTY, FOREIGN_APP14 } from '../support/jpeg-samples';

describe('isCleanJpeg', () => {
  it.each(CLEAN)('reports a %s clean', async (_name, make) => {
    // Prepare
    const jpeg = await make();

    // Act
    const clean = isCleanJpeg(jpeg);

    // Assess
    expect(clean).toBe(true);
  });

  it.each(DIRTY)('reports a %s not clean', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const clean = isCleanJpeg(jpeg);

    // Assess
    expect(clean).toBe(false);
  });

  // Only Adobe's exact colour-transform record is image data; any other APP14 can carry anything.
  it('reports a JPEG with an APP14 segment that is not Adobe’s not clean', async () => {
    // Prepare
    const jpeg = spliceInto(await baseline(), 2, jpegSegment(APP14, FOREIGN_APP14));

    // Act
    const clean = isCleanJpeg(jpeg);

    // Assess
    expect(clean).toBe(false);
  });

  it.each(DIRTY)('reports the stripped %s clean', async (_name, make) => {
    // Prepare
    const { jpeg } = await make();

    // Act
    const clean = isCleanJpeg(stripJpegMetadata(jpeg));

    // Assess
    expect(clean).toBe(true);
  });
});
