// A tile worker: decodes the tiles of a grid HEIC it is asked for, with its own libheif
// WebAssembly instance, straight into the image's shared pixel buffer (nothing to copy back or
// assemble after). Started by hevc-tile-pool.ts; bundled for Lambda as hevc-tile-worker.mjs next
// to the function's bundle, run from source elsewhere (Node strips the types), hence the `.ts` import.
import { parentPort } from 'node:worker_threads';
import { HeifFile } from './libheif-wasm.ts';

/** A request: the whole file, which tiles of its primary image to decode, and where to put them. */
export interface TileRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly tiles: ReadonlyArray<readonly [column: number, row: number]>;
  /** The stored image's RGBA rows, shared with the caller and the other workers. */
  readonly canvas: {
    readonly pixels: SharedArrayBuffer;
    readonly width: number;
    readonly height: number;
    readonly tileWidth: number;
    readonly tileHeight: number;
    /** Tiles halved by a 2×2 box as they are written; the canvas is half the stored size. */
    readonly halved: boolean;
  };
}

/** The answer: done (the pixels are in the canvas), or why the tiles could not be decoded. */
export type TileAnswer =
  | {
      readonly id: number;
      /** This thread's CPU time for the request, in µs (what the benchmarks' Lambda model needs). */
      readonly cpuMicros: number;
    }
  | { readonly id: number; readonly error: string };

const port = parentPort;
if (!port) throw new Error('hevc-tile-worker runs as a worker thread only');
const { default: lib } = await import('libheif-js/wasm-bundle.js');
await lib.ready;

port.on('message', (request: TileRequest) => {
  let file: HeifFile | undefined;
  const cpu = process.threadCpuUsage();
  try {
    file = new HeifFile(lib, request.bytes);
    const canvas = { ...request.canvas, data: new Uint8ClampedArray(request.canvas.pixels) };
    for (const [column, row] of request.tiles) file.decodeTileInto(column, row, canvas);
    const spent = process.threadCpuUsage(cpu);
    port.postMessage({ id: request.id, cpuMicros: spent.user + spent.system } satisfies TileAnswer);
  } catch (err) {
    port.postMessage({
      id: request.id,
      error: err instanceof Error ? err.message : String(err),
    } satisfies TileAnswer);
  } finally {
    file?.close();
  }
});
