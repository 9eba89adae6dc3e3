/** How long the S3 client waits and how often it tries; `loadS3ClientSettings` reads them. */
export interface S3ClientSettings {
  /** Budget to open a connection, in milliseconds. */
  readonly connectionTimeoutMs: number;
  /** Budget of socket inactivity per attempt (a hung S3 call), in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Attempts per call, the first included; retries back off exponentially with jitter. */
  readonly maxAttempts: number;
}

/**
 * Explicit budgets so a hung S3 call fails inside API Gateway's 29 s, with retries. Kept apart
 * from the S3 client so that config (read by every function, the presign one included) does
 * not pull the S3 SDK into bundles that never call S3.
 */
export const S3_TIMEOUTS: S3ClientSettings = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 3,
};
