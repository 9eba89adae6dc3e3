import type { LibheifModule } from 'libheif-js/wasm-bundle.js';
import { AppError, InvalidImageError } from '../core/errors';
import { applyTransforms } from './heif-tiles';
import { halveImage } from './rgba-halve';
import { decodeTilesInWorkers, defaultDecodeWorkers, startTileWorkers } from './hevc-tile-pool';
import { tooManyPixels } from './image-errors';
import { HeifFile, type HeifLayout, type RgbaImage } from './libheif-wasm';

/** Decoded pixels: 8-bit RGBA, row after row. */
export type RgbaPixels = RgbaImage;

/** How to decode: `workers` tile workers (default: the vCPUs this process has; 1 decodes in this thread). */
export interface HevcDecodeOptions {
  readonly workers?: number;
  /**
   * The caller needs at most half the size: halve by a 2×2 box as the tiles are decoded (when the
   * image and its tiles have even sizes, else the full size), as a JPEG's shrink-on-load does, so
   * sharp resizes a quarter of the pixels. The same pixels with any number of workers.
   */
  readonly halve?: boolean;
}

/**
 * Called after each tile-parallel decode with each worker thread's CPU time, in µs: how the
 * benchmarks model the decode's critical path on a machine whose cores others share.
 */
let workerCpuObserver: ((micros: readonly number[]) => void) | undefined;
export function observeWorkerCpu(observer: ((micros: readonly number[]) => void) | undefined): void {
  workerCpuObserver = observer;
}

let libheif: Promise<LibheifModule> | undefined;

/** libheif's WebAssembly module, loaded on the first HEIC only: it adds ~80 ms to a cold start. */
function loadLibheif(): Promise<LibheifModule> {
  libheif ??= import('libheif-js/wasm-bundle.js').then(async ({ default: lib }) => {
    await lib.ready;
    return lib;
  });
  return libheif;
}

const unreadable = (cause: unknown) =>
  new InvalidImageError('INVALID_IMAGE', 'the HEIC decoder cannot read this image', { cause });

/**
 * Decodes the primary image of a HEIC (HEVC inside HEIF) with libheif compiled to WebAssembly:
 * sharp's prebuilt libvips reads the container but has no HEVC decoder. The primary image is
 * the one the file names (`pitm`), as every viewer shows, not merely the first. The decoder's
 * own idea of the size is checked against `maxPixels` before any pixel is made, so a file
 * whose first size record lies cannot slip a bigger image past the limit. libheif's
 * rotation and mirroring (irot/imir) are applied.
 *
 * A grid (how phones store photos: 512×512 HEVC tiles) is decoded tile-parallel on worker
 * threads when more than one vCPU is there; the pixels are the same as a whole decode's.
 */
export async function decodeHevc(
  bytes: Buffer,
  maxPixels: number,
  options: HevcDecodeOptions = {},
): Promise<RgbaPixels> {
  const workers = options.workers ?? defaultDecodeWorkers();
  // Started now, the workers load libheif while this thread loads it and parses the file.
  if (workers > 1) startTileWorkers(workers);
  const lib = await loadLibheif();
  let file: HeifFile;
  try {
    file = new HeifFile(lib, bytes);
  } catch (err) {
    throw unreadable(err);
  }
  try {
    const layout = file.layout();
    if (layout.width * layout.height > maxPixels) throw tooManyPixels(layout.width, layout.height, maxPixels);
    const halved = options.halve === true && evenSizes(layout);
    if (!tileParallel(layout, workers, maxPixels)) {
      const whole = file.decodeWhole();
      return halved ? halveImage(whole) : whole;
    }
    file.close();
    const { image, workerCpuMicros } = await decodeTilesInWorkers(
      bytes,
      layout,
      Math.min(workers, layout.columns * layout.rows),
      halved,
    );
    workerCpuObserver?.(workerCpuMicros);
    return applyTransforms(image, layout.transforms ?? []);
  } catch (err) {
    throw err instanceof AppError ? err : unreadable(err);
  } finally {
    file.close();
  }
}

/** Whether to decode tile by tile in workers: a grid, more than one worker, tiles within the limit. */
function tileParallel(layout: HeifLayout, workers: number, maxPixels: number): boolean {
  return (
    workers > 1 &&
    layout.columns * layout.rows > 1 &&
    layout.transforms !== null &&
    layout.tileWidth * layout.tileHeight <= maxPixels &&
    layout.storedWidth * layout.storedHeight === layout.width * layout.height
  );
}

/** Whether halving by 2×2 blocks leaves no pixel alone, in the image and in each tile (so it commutes with rotation). */
function evenSizes(layout: HeifLayout): boolean {
  return [layout.width, layout.height, layout.tileWidth, layout.tileHeight].every((size) => size % 2 === 0);
}
