/**
 * The fixed window a presigned upload is counted in: windows of `windowSeconds` start at the
 * Unix epoch, so every function instance (and the counter's table) agrees on them without
 * talking to each other.
 */
export interface CountingWindow {
  /** Start of the window, in whole seconds since the epoch: part of the counter's key. */
  readonly startSeconds: number;
  /** Seconds from `nowMs` until the next window opens (at least 1): the `Retry-After` of a refusal. */
  readonly secondsLeft: number;
}

/** The window `nowMs` falls in. */
export function countingWindowAt(nowMs: number, windowSeconds: number): CountingWindow {
  const nowSeconds = nowMs / 1000;
  const startSeconds = Math.floor(nowSeconds / windowSeconds) * windowSeconds;
  return { startSeconds, secondsLeft: Math.max(1, Math.ceil(startSeconds + windowSeconds - nowSeconds)) };
}

/** The ceiling a deployment sets on presigned uploads per client. */
export interface PresignLimit {
  /** Presigned uploads one client may be given per window. */
  readonly uploads: number;
  /** Length of a window, in seconds. */
  readonly windowSeconds: number;
}
