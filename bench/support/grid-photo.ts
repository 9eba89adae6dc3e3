import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gridHeif, gridTilesOf } from '../../test/support/heif-fixtures';
import { photoOfSize } from './photos';

/** The 12 MP photo the HEIC sections compare, as a phone JPEG and as an iPhone stores it. */
export interface GridPhoto {
  readonly jpeg: Buffer;
  readonly jpegPath: string;
  /** 4032×3024 in 8×6 HEVC tiles of 512² (x265), as an iPhone stores a photo. */
  readonly grid: Buffer;
  readonly gridPath: string;
}

/**
 * The photo as JPEG and as grid HEIC, made once per `npm run bench` and kept in its fixtures
 * folder: heif-enc takes most of a minute for the 48 tiles on 2 shared cores, and the sections
 * that run after the first compare the very same bytes.
 */
export async function gridPhoto(fixtures: string): Promise<GridPhoto> {
  const jpegPath = join(fixtures, 'heic-12mp.jpg');
  const gridPath = join(fixtures, 'heic-12mp-grid.heic');
  if (!existsSync(gridPath)) {
    const photo = await photoOfSize(4032, 3024, 3_000_000);
    writeFileSync(jpegPath, photo.jpeg);
    const encodeStart = performance.now();
    const { tiles, layout } = await gridTilesOf(photo.pixels.data, 4032, 3024, 512);
    process.stderr.write(`(48 tiles encoded in ${((performance.now() - encodeStart) / 1000).toFixed(0)} s) `);
    writeFileSync(gridPath, gridHeif(tiles, layout));
  }
  return { jpeg: readFileSync(jpegPath), jpegPath, grid: readFileSync(gridPath), gridPath };
}
