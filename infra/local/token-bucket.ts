import type { ThrottleSettings } from '../../lambdas/core/limits';

/** The outcome of asking for one request's token. */
export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Per-client token buckets, the way an API Gateway usage plan throttles: each client's bucket
 * holds up to `burst` tokens and refills at `ratePerSecond`; a request takes one. The clock is
 * passed in (milliseconds), so tests drive it.
 */
export class ClientThrottle {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly nowMs: () => number,
  ) {}

  take(client: string): ThrottleDecision {
    const now = this.nowMs();
    const bucket = this.buckets.get(client) ?? { tokens: this.settings.burst, updatedMs: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(
      this.settings.burst,
      bucket.tokens + elapsedSeconds * this.settings.ratePerSecond,
    );
    bucket.updatedMs = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.settings.ratePerSecond)),
    };
  }
}
