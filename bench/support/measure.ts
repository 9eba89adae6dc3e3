/** The middle value of a sample (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU time (user + system) of the whole process so far, in microseconds. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** An operation under measurement; awaited only when it returns a promise. */
export type Operation = () => unknown;

// With --expose-gc (the runner passes it), each batch starts on a collected heap, so one
// batch's garbage is not collected on the next batch's time.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function runBatch(op: Operation, count: number): Promise<number> {
  collect();
  const start = cpuMicros();
  for (let i = 0; i < count; i++) {
    const result = op();
    if (result instanceof Promise) await result;
  }
  return cpuMicros() - start;
}

/** How many calls of `op` take about `targetMicros` of CPU (at least 1). */
async function calibrate(op: Operation, targetMicros: number): Promise<number> {
  let count = 1;
  for (;;) {
    const spent = await runBatch(op, count);
    if (spent >= targetMicros / 4 || count >= 1 << 20)
      return Math.max(1, Math.round((count * targetMicros) / Math.max(spent, 1)));
    count *= 4;
  }
}

export interface CpuComparison {
  /** Median CPU microseconds per call of the subject. */
  readonly subjectMicros: number;
  /** Median CPU microseconds per call of the floor. */
  readonly floorMicros: number;
  /** Calls per batch of each, and batches of each. */
  readonly subjectBatch: number;
  readonly floorBatch: number;
  readonly batches: number;
}

/**
 * Measures process CPU time (user + system, all threads, so GC helper threads count) per call
 * of `subject` and of `floor`, one call at a time in a quiet loop. Each runs in batches of about
 * `batchMicros` of CPU; batches alternate subject/floor so drift (JIT, heap growth, a noisy
 * neighbour) hits both alike; the result is the median batch, divided by its call count.
 * Operations that take a second or more pass `callsPerBatch` (usually 1): no calibration,
 * and one warm-up call of each.
 */
export async function compareCpu(
  subject: Operation,
  floor: Operation,
  options: { batches?: number; batchMicros?: number; warmupMicros?: number; callsPerBatch?: number } = {},
): Promise<CpuComparison> {
  const batches = options.batches ?? 15;
  const batchMicros = options.batchMicros ?? 30_000;
  const warmupMicros = options.warmupMicros ?? 200_000;
  const fixed = options.callsPerBatch;
  // Warm-up: let the JIT settle and the heap reach its working size before anything counts.
  for (const op of [subject, floor]) {
    const count = fixed === undefined ? await calibrate(op, warmupMicros / 2) : 1;
    await runBatch(op, count);
  }
  const subjectBatch = fixed ?? (await calibrate(subject, batchMicros));
  const floorBatch = fixed ?? (await calibrate(floor, batchMicros));
  const subjectSamples: number[] = [];
  const floorSamples: number[] = [];
  for (let i = 0; i < batches; i++) {
    subjectSamples.push((await runBatch(subject, subjectBatch)) / subjectBatch);
    floorSamples.push((await runBatch(floor, floorBatch)) / floorBatch);
  }
  return {
    subjectMicros: median(subjectSamples),
    floorMicros: median(floorSamples),
    subjectBatch,
    floorBatch,
    batches,
  };
}

export interface PeerComparison {
  /** Median CPU microseconds per call of the subject (this process). */
  readonly subjectMicros: number;
  /** Median CPU microseconds per call of the peer, as the peer measured itself. */
  readonly peerMicros: number;
  readonly rounds: number;
}

/**
 * Compares `subject` with a peer in another process (another language's library doing the
 * same job) that measures its own CPU time: `rounds` rounds of one subject call (on a
 * collected heap, this process's CPU) then one peer call (the peer's CPU; this process waits
 * idle), so that load on the machine hits both alike; medians of each.
 */
export async function compareCpuWithPeer(
  subject: Operation,
  peer: () => Promise<number>,
  rounds: number,
): Promise<PeerComparison> {
  await runBatch(subject, 1);
  const subjectSamples: number[] = [];
  const peerSamples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    subjectSamples.push(await runBatch(subject, 1));
    peerSamples.push(await peer());
  }
  return { subjectMicros: median(subjectSamples), peerMicros: median(peerSamples), rounds };
}
