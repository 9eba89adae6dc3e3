import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MODEL_PROFILES } from '../../lambdas/core/model-profiles';
import { renderForProfile } from '../../lambdas/imaging/render-image';
import { smoothJpeg } from '../support/model-ready-fixtures';

const MAX_PIXELS = 100_000_000;

describe('renderForProfile: the cheapest path that gets there', () => {
  it('strips an sRGB ICC profile (v4, as libvips writes it) losslessly instead of re-encoding', async () => {
    // Prepare
    const jpeg = await sharp(await smoothJpeg(640, 480))
      .withIccProfile('srgb')
      .jpeg()
      .toBuffer();
    expect((await sharp(jpeg).metadata()).icc).toBeDefined();

    // Act
    const { rendition } = await renderForProfile(jpeg, 'jpeg', MODEL_PROFILES.original, MAX_PIXELS);

    // Assess
    expect(rendition.method).toBe('metadata-stripped');
    expect((await sharp(rendition.bytes).metadata()).icc).toBeUndefined();
  });

  it('converts an image with a wide-gamut profile (Display P3) to sRGB, re-encoding it', async () => {
    // Prepare
    const jpeg = await sharp(await smoothJpeg(640, 480))
      .withIccProfile('p3')
      .jpeg()
      .toBuffer();

    // Act
    const { rendition } = await renderForProfile(jpeg, 'jpeg', MODEL_PROFILES.original, MAX_PIXELS);

    // Assess
    expect(rendition.method).toBe('rendered');
    expect((await sharp(rendition.bytes).metadata()).icc).toBeUndefined();
  });

  it('decodes a HEIC with the WebAssembly decoder, loaded on demand', async () => {
    // Prepare
    const { phoneHeic } = await import('../support/model-ready-fixtures');

    // Act
    const { rendition, original } = await renderForProfile(
      phoneHeic(),
      'heic',
      MODEL_PROFILES.universal,
      MAX_PIXELS,
    );

    // Assess
    expect(original).toMatchObject({ format: 'heic', width: 640, height: 480 });
    expect(rendition).toMatchObject({ format: 'jpeg', width: 640, height: 480, method: 'rendered' });
  });
});
