import { ApiError, NetworkError, TimeoutError } from './errors.ts';

/** How the client retries answers that say "later" (429, 502, 503, 504), lost connections and timeouts. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 never retries. @default 4 */
  readonly maxAttempts: number;
  /** Ceiling of the first backoff, in ms; it doubles per attempt (full jitter). @default 250 */
  readonly baseDelayMs: number;
  /** Ceiling of any backoff, in ms. @default 8000 */
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this gives up at once rather than wait, in ms. @default 60000 */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * Whether a failed attempt may be repeated: "later" answers (but a used-up quota, which resets
 * only with its period, and a source of an upload from a URL that answered 4xx), lost
 * connections and timeouts. Every request of this API is safe to
 * repeat: uploads are content-addressed, deletes idempotent, presigns and reads have no effect.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof ApiError) {
    if (err.code === 'QUOTA_EXCEEDED') return false;
    // A source that answered 4xx (a refused token, a missing file) answers the same again.
    if (err.code === 'SOURCE_UNAVAILABLE' && err.sourceStatus !== undefined)
      return err.sourceStatus >= 500 || err.sourceStatus === 429;
    return RETRYABLE_STATUSES.has(err.status);
  }
  return err instanceof NetworkError || err instanceof TimeoutError;
}

/**
 * The wait before the next attempt, in ms, after `attempt` (1 = the first) failed with `err`;
 * undefined: give up. With `Retry-After` the wait is that long plus up to one `baseDelayMs` of
 * jitter, so clients told the same second do not return together; without it, full jitter:
 * a random wait up to `min(maxDelayMs, baseDelayMs · 2^(attempt-1))`.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  err: unknown,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.maxAttempts || !isRetryable(err)) return undefined;
  const retryAfterSeconds = err instanceof ApiError ? err.retryAfterSeconds : undefined;
  if (retryAfterSeconds !== undefined) {
    const wait = retryAfterSeconds * 1000;
    return wait > policy.maxRetryAfterMs ? undefined : wait + random() * policy.baseDelayMs;
  }
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** `Retry-After` in seconds: delay-seconds, or an HTTP date relative to `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether `err` is the error a fetch throws when its signal aborted for `reason`. */
export function abortedBy(err: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && (err === signal.reason || (err as Error)?.name === 'AbortError');
}
