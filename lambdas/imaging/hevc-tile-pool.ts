import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TileAnswer, TileRequest } from './hevc-tile-worker';
import { type HeifLayout, LibheifError, type RgbaImage } from './libheif-wasm';

/** Lambda gives a function one vCPU's worth of CPU time per 1,769 MB of memory. */
export const LAMBDA_MB_PER_VCPU = 1769;

/**
 * How many tile workers a decode should use: the vCPUs this process really has. On Lambda that is
 * its memory share (`memoryMb` / 1,769, rounded down), not the cores Linux shows (two at any size
 * up to 3,008 MB): at 1,024 MB a second worker would only split 0.58 of a vCPU. One means decode
 * in the calling thread, as before.
 */
export function decodeWorkerCount(cpus: number, lambdaMemoryMb?: number): number {
  const share = lambdaMemoryMb === undefined ? cpus : Math.floor(lambdaMemoryMb / LAMBDA_MB_PER_VCPU);
  return Math.max(1, Math.min(cpus, share));
}

/** `decodeWorkerCount` for this process (Lambda sets AWS_LAMBDA_FUNCTION_MEMORY_SIZE). */
export function defaultDecodeWorkers(): number {
  const memory = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  return decodeWorkerCount(
    availableParallelism(),
    Number.isFinite(memory) && memory > 0 ? memory : undefined,
  );
}

/**
 * Per-worker memory bound. The JavaScript heaps stay small: a worker holds the request, and writes
 * the tiles it decodes into the image's shared buffer (outside every heap, one per image).
 * libheif's WebAssembly memory is outside them too, bounded by what one worker is given (the
 * file, ≤ the upload limit, and one tile at a time).
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } as const;

/** The CPU time a worker's thread spent on its tiles, in µs. */
interface DecodedShare {
  readonly cpuMicros: number;
}

interface PooledWorker {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (share: DecodedShare) => void; reject: (err: Error) => void }>;
}

const pool: PooledWorker[] = [];
let nextRequestId = 1;

/**
 * The bundled worker next to a Lambda bundle (CommonJS: `__filename` is the bundle), else the
 * source file beside this one (tests, local mode).
 */
function workerScript(): URL {
  const here = typeof __filename === 'string' ? pathToFileURL(__filename) : import.meta.url;
  const bundled = new URL('./hevc-tile-worker.mjs', here);
  return existsSync(bundled) ? bundled : new URL('./hevc-tile-worker.ts', here);
}

function startWorker(): PooledWorker {
  const worker = new Worker(workerScript(), { resourceLimits: WORKER_LIMITS });
  const pooled: PooledWorker = { worker, pending: new Map() };
  const fail = (err: Error) => {
    const at = pool.indexOf(pooled);
    if (at >= 0) pool.splice(at, 1);
    for (const { reject } of pooled.pending.values()) reject(err);
    pooled.pending.clear();
    void worker.terminate();
  };
  worker.on('message', (answer: TileAnswer) => {
    const waiting = pooled.pending.get(answer.id);
    if (!waiting) return;
    pooled.pending.delete(answer.id);
    if (pooled.pending.size === 0) worker.unref();
    if ('error' in answer) waiting.reject(new LibheifError(answer.error));
    else waiting.resolve({ cpuMicros: answer.cpuMicros });
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`HEIC tile worker exited (${code})`)));
  worker.unref();
  return pooled;
}

function request(pooled: PooledWorker, share: Omit<TileRequest, 'id'>): Promise<DecodedShare> {
  const id = nextRequestId++;
  return new Promise((resolve, reject) => {
    pooled.pending.set(id, { resolve, reject });
    // Referenced while it works, so a script awaiting the tiles does not exit under it.
    pooled.worker.ref();
    pooled.worker.postMessage({ id, ...share } satisfies TileRequest);
  });
}

/**
 * Starts tile workers up to `workers` (they are kept for later images): called before the file is
 * parsed, so on the first HEIC of a process the workers load libheif while this thread does.
 */
export function startTileWorkers(workers: number): void {
  while (pool.length < workers) pool.push(startWorker());
}

/**
 * Decodes every tile of the primary image's `columns`×`rows` grid on `workers` worker threads
 * (started on first use and kept for the next image), tiles dealt round-robin, each written by
 * its worker straight into one shared buffer: the stored image (before transformations), with
 * nothing left to assemble on this thread; `halved`, each tile halved by a 2×2 box on the way. Also says how much CPU each worker's thread spent.
 */
export async function decodeTilesInWorkers(
  bytes: Uint8Array,
  layout: HeifLayout,
  workers: number,
  halved = false,
): Promise<{ image: RgbaImage; workerCpuMicros: number[] }> {
  startTileWorkers(workers);
  const { tileWidth, tileHeight, columns, rows } = layout;
  const scale = halved ? 2 : 1;
  const [width, height] = [layout.storedWidth / scale, layout.storedHeight / scale];
  const pixels = new SharedArrayBuffer(width * height * 4);
  const canvas = { pixels, width, height, tileWidth, tileHeight, halved };
  const shares: Array<Array<[number, number]>> = Array.from({ length: workers }, () => []);
  for (let i = 0; i < columns * rows; i++) shares[i % workers]?.push([i % columns, Math.floor(i / columns)]);
  const answers = await Promise.all(
    shares.map((tiles, k) => request(pool[k] as PooledWorker, { bytes, tiles, canvas })),
  );
  return {
    image: { width, height, data: new Uint8ClampedArray(pixels) },
    workerCpuMicros: answers.map((a) => a.cpuMicros),
  };
}
