import { decodeWorkerCount, LAMBDA_MB_PER_VCPU } from '../../lambdas/imaging/hevc-tile-pool';

/**
 * Lambda arm64 prices, US East (N. Virginia), first 7.5 billion GB-s a month: $0.0000133334
 * per GB-second and $0.20 per million requests (aws.amazon.com/lambda/pricing, as transcribed
 * by artillery's `lib/platform/aws-lambda/prices.js` (arm64: 1333340 × 1e-11) and cloudchipr's
 * pricing guide; checked 2026-12). The page renders its rates client-side, so no copy of the
 * page itself was readable here.
 */
export const ARM64_USD_PER_GB_SECOND = 0.0000133334;
export const USD_PER_REQUEST = 0.2 / 1_000_000;

/** The memory sizes the table compares, in MB. */
export const MEMORY_SIZES_MB = [1024, 1769, 2048, 3538] as const;

/**
 * A render as CPU time, which other work on a shared machine does not inflate (wall time it
 * does: on these 2 cores shared by 8 engineers a 2 s render took 10 s of wall). `cpuMs` is every
 * thread's; `parallelMs` is the part that ran split over worker threads (their summed CPU) and
 * `longestWorkerMs` the busiest worker's share of it; both 0 for a render on one thread.
 */
export interface RenderCpu {
  readonly cpuMs: number;
  readonly parallelMs: number;
  readonly longestWorkerMs: number;
}

/** Wall time on cores of its own: the serial part plus the busiest worker (the critical path). */
export function criticalPathMs(render: RenderCpu): number {
  return render.cpuMs - render.parallelMs + render.longestWorkerMs;
}

/**
 * Wall time of a render on a Lambda function of `memoryMb`. Lambda caps a function's CPU time
 * with a CFS quota of `memoryMb` / 1,769 vCPU per period, summed over its threads: a render
 * cannot finish before its CPU time divided by that share, nor before its critical path (what
 * it takes on as many whole cores as it has threads). wall = max(cpu / share, critical path).
 * Slightly optimistic: throttling in 20 ms periods and the serial part's libvips threads are
 * not modelled.
 */
export function lambdaWallMs(render: RenderCpu, memoryMb: number): number {
  return Math.max(render.cpuMs / (memoryMb / LAMBDA_MB_PER_VCPU), criticalPathMs(render));
}

/** What 1,000 invocations of `wallMs` each cost at `memoryMb` (duration billed per ms, plus requests). */
export function usdPerThousand(wallMs: number, memoryMb: number): number {
  const gbSeconds = (Math.ceil(wallMs) / 1000) * (memoryMb / 1024);
  return 1000 * (gbSeconds * ARM64_USD_PER_GB_SECOND + USD_PER_REQUEST);
}

/** The tile workers a function of `memoryMb` starts (the decoder's own rule, on a 2-vCPU host). */
export function workersAt(memoryMb: number): number {
  return decodeWorkerCount(2, memoryMb);
}
