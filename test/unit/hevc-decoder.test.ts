import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidImageError } from '../../lambdas/core/errors';
import { decodeHevc } from '../../lambdas/imaging/hevc-decoder';
import { decodeWorkerCount } from '../../lambdas/imaging/hevc-tile-pool';
import { encodeHevcImage, gridHeif, gridTilesOf, primarySecondHeif } from '../support/heif-fixtures';

const MAX_PIXELS = 100_000_000;

function solid(width: number, height: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb.set([r, g, b], i);
  return rgb;
}

/** A gradient with a diagonal pattern: every tile and every orientation looks different. */
function pattern(width: number, height: number): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      rgb.set([(x * 255) / width, (y * 255) / height, ((x + 2 * y) * 7) & 255], (y * width + x) * 3);
  return rgb;
}

describe('decodeHevc: the primary image', () => {
  it('decodes the image the file names primary, not its first image', async () => {
    // Prepare: heif-enc (Debian's, libheif 1.15) writes one image per file and cannot choose the
    // primary; two of its images are put into one HEIF whose pitm names the second.
    const first = await encodeHevcImage(solid(64, 64, [220, 20, 20]), 64, 64);
    const primary = await encodeHevcImage(solid(128, 64, [20, 20, 220]), 128, 64);
    const heif = primarySecondHeif(first, primary);

    // Act
    const decoded = await decodeHevc(heif, MAX_PIXELS);

    // Assess
    expect([decoded.width, decoded.height]).toEqual([128, 64]);
    const [r, g, b] = decoded.data;
    expect(b).toBeGreaterThan(200);
    expect(r).toBeLessThan(60);
    expect(g).toBeLessThan(60);
  });
});

describe('decodeHevc: grids, tile-parallel on worker threads', () => {
  // 300×200 in 64² tiles: 5×4 tiles, the last column and row cropped, as an iPhone's 4032×3024
  // is 8×6 tiles of 512².
  let grid: Buffer;
  let rotated: Buffer;
  let quarterTurnsClockwise: Buffer;
  beforeAll(async () => {
    const { tiles, layout } = await gridTilesOf(pattern(300, 200), 300, 200, 64);
    grid = gridHeif(tiles, layout);
    rotated = gridHeif(tiles, { ...layout, quarterTurns: 1 });
    quarterTurnsClockwise = gridHeif(tiles, { ...layout, quarterTurns: 3 });
  }, 60_000);

  it.each([
    ['upright', () => grid, [300, 200]],
    ['turned a quarter counter-clockwise (irot 1)', () => rotated, [200, 300]],
    ['turned three quarters (irot 3)', () => quarterTurnsClockwise, [200, 300]],
  ] as const)(
    'gives the same pixels with 2 workers as libheif decoding it whole: %s',
    async (_, file, size) => {
      // Act
      const whole = await decodeHevc(file(), MAX_PIXELS, { workers: 1 });
      const tiled = await decodeHevc(file(), MAX_PIXELS, { workers: 2 });

      // Assess
      expect([whole.width, whole.height]).toEqual(size);
      expect([tiled.width, tiled.height]).toEqual(size);
      expect(Buffer.from(tiled.data).equals(Buffer.from(whole.data))).toBe(true);
    },
  );

  it.each([
    ['upright', () => grid, [150, 100]],
    ['turned a quarter counter-clockwise (irot 1)', () => rotated, [100, 150]],
  ] as const)(
    'halves by a 2×2 box when asked, the same pixels with 2 workers as 1: %s',
    async (_, file, size) => {
      // Act
      const full = await decodeHevc(file(), MAX_PIXELS, { workers: 1 });
      const whole = await decodeHevc(file(), MAX_PIXELS, { workers: 1, halve: true });
      const tiled = await decodeHevc(file(), MAX_PIXELS, { workers: 2, halve: true });

      // Assess
      expect([whole.width, whole.height]).toEqual(size);
      expect([tiled.width, tiled.height]).toEqual(size);
      expect(Buffer.from(tiled.data).equals(Buffer.from(whole.data))).toBe(true);
      // Each pixel is the rounded mean of its 2×2 block of the full decode (a tile corner, and inside one).
      for (const [x, y] of [
        [0, 0],
        [31, 31],
        [32, 17],
        [size[0] - 1, size[1] - 1],
      ] as const) {
        const at = (fx: number, fy: number, c: number) => full.data[(fy * full.width + fx) * 4 + c] as number;
        const mean = [0, 1, 2, 3].map(
          (c) =>
            (at(2 * x, 2 * y, c) +
              at(2 * x + 1, 2 * y, c) +
              at(2 * x, 2 * y + 1, c) +
              at(2 * x + 1, 2 * y + 1, c) +
              2) >>
            2,
        );
        expect([...tiled.data.subarray((y * size[0] + x) * 4, (y * size[0] + x) * 4 + 4)]).toEqual(mean);
      }
    },
  );

  it('refuses a grid over the pixel limit with 422 IMAGE_TOO_MANY_PIXELS before decoding a tile', async () => {
    // Act
    const decoding = decodeHevc(grid, 300 * 200 - 1, { workers: 2 });

    // Assess
    await expect(decoding).rejects.toThrow(InvalidImageError);
    await expect(decoding).rejects.toMatchObject({ code: 'IMAGE_TOO_MANY_PIXELS' });
  });

  it('answers 422 INVALID_IMAGE for a grid with a damaged tile, as the whole decode does', async () => {
    // Prepare: the last tile's coded data (at the end of mdat) cut to nothing but garbage.
    const damaged = Buffer.from(grid);
    damaged.fill(0xff, damaged.length - 200);

    // Act
    const tiled = decodeHevc(damaged, MAX_PIXELS, { workers: 2 });
    const whole = decodeHevc(damaged, MAX_PIXELS, { workers: 1 });

    // Assess
    await expect(tiled).rejects.toMatchObject({ name: 'InvalidImageError', code: 'INVALID_IMAGE' });
    await expect(whole).rejects.toMatchObject({ name: 'InvalidImageError', code: 'INVALID_IMAGE' });
  });
});

describe('decodeWorkerCount', () => {
  it.each([
    [2, undefined, 2],
    [1, undefined, 1],
    [2, 1024, 1],
    [2, 1769, 1],
    [2, 2048, 1],
    [2, 3008, 1],
    [3, 3538, 2],
    [2, 10240, 2],
  ])('%i cores, Lambda memory %s MB: %i worker(s)', (cpus, memory, expected) => {
    expect(decodeWorkerCount(cpus, memory)).toBe(expected);
  });
});
