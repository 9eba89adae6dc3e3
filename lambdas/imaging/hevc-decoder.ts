import type { LibheifModule } from 'libheif-js/wasm-bundle.js';
import { AppError, InvalidImageError } from '../core/errors';
import { applyTransforms } from './heif-tiles';
import { decodeTilesInWorkers, defaultDecodeWorkers, startTileWorkers } from './hevc-tile-pool';
import { tooManyPixels } from './image-errors';
import { HeifFile, type HeifLayout, type RgbaImage } from './libheif-wasm';

/** Decoded pixels: 8-bit RGBA, row after row. */
export type RgbaPixels = RgbaImage;

/** How to decode: `workers` tile workers (default: the vCPUs this process has; 1 decodes in this thread). */
export interface HevcDecodeOptions {
  readonly workers?: number;
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
    if (!tileParallel(layout, workers, maxPixels)) return file.decodeWhole();
    file.close();
    const { image, workerCpuMicros } = await decodeTilesInWorkers(
      bytes,
      layout,
      Math.min(workers, layout.columns * layout.rows),
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
