// A tile worker: decodes the tiles of a grid HEIC it is asked for, with its own libheif
// WebAssembly instance, and hands the pixels back (transferred, not copied). Started by
// hevc-tile-pool.ts; bundled for Lambda as hevc-tile-worker.mjs next to the function's bundle,
// run from source elsewhere (Node strips the types), hence the `.ts` import.
import { parentPort } from 'node:worker_threads';
import { HeifFile } from './libheif-wasm.ts';

/** A request: the whole file, and which tiles of its primary image to decode. */
export interface TileRequest {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly tiles: ReadonlyArray<readonly [column: number, row: number]>;
}

/** The answer: the tiles, or why they could not be decoded. */
export type TileAnswer =
  | {
      readonly id: number;
      /** This thread's CPU time for the request, in µs (what the benchmarks' Lambda model needs). */
      readonly cpuMicros: number;
      readonly tiles: ReadonlyArray<{
        column: number;
        row: number;
        width: number;
        height: number;
        data: Uint8ClampedArray;
      }>;
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
    const tiles = request.tiles.map(([column, row]) => ({
      column,
      row,
      ...(file as HeifFile).decodeTile(column, row),
    }));
    const spent = process.threadCpuUsage(cpu);
    const answer: TileAnswer = { id: request.id, cpuMicros: spent.user + spent.system, tiles };
    port.postMessage(
      answer,
      tiles.map((tile) => tile.data.buffer as ArrayBuffer),
    );
  } catch (err) {
    port.postMessage({
      id: request.id,
      error: err instanceof Error ? err.message : String(err),
    } satisfies TileAnswer);
  } finally {
    file?.close();
  }
});
