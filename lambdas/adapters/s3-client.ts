import { S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from './config';

/** How long the S3 client waits and how often it tries; `loadS3ClientSettings` reads them. */
export interface S3ClientSettings {
  /** Budget to open a connection, in milliseconds. */
  readonly connectionTimeoutMs: number;
  /** Budget of socket inactivity per attempt (a hung S3 call), in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Attempts per call, the first included; retries back off exponentially with jitter. */
  readonly maxAttempts: number;
}

/** Explicit budgets so a hung S3 call fails inside API Gateway's 29 s, with retries. */
export const S3_TIMEOUTS: S3ClientSettings = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 3,
};

/**
 * Makes the one S3 client of a process. Checksums only when required: the SDK default bakes
 * an empty-body CRC into presigned PUT URLs and sends aws-chunked bodies s3rver corrupts.
 */
export function createS3Client(storage: StorageConfig, settings: S3ClientSettings = S3_TIMEOUTS): S3Client {
  const local = storage.s3Endpoint !== undefined;
  const s3 = new S3Client({
    region: storage.region,
    maxAttempts: settings.maxAttempts,
    // Resolve each command's middleware stack once, not on every send (no command-level middleware here).
    cacheMiddleware: true,
    requestHandler: {
      connectionTimeout: settings.connectionTimeoutMs,
      // The handler only logs a warning at `requestTimeout` unless told to throw; the socket
      // timeout catches an S3 that accepted the request and went silent.
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: settings.requestTimeoutMs,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(local && {
      endpoint: storage.s3Endpoint,
      forcePathStyle: true,
      // s3rver accepts only these; they never leave loopback.
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }),
  });
  s3.middlewareStack.add(
    (next) => async (args) => {
      reusePayloadChecksum((args.request as { headers?: Record<string, string> }).headers);
      return next(args);
    },
    { step: 'build', name: 'reusePayloadChecksum' },
  );
  return s3;
}

/**
 * SigV4 signs the SHA-256 of the body (`x-amz-content-sha256`); a PutObject that carries
 * `ChecksumSHA256` already holds that digest, so it is passed on instead of hashing the image
 * a second time. S3 checks both against the bytes. The signer keeps a header set before it.
 */
function reusePayloadChecksum(headers: Record<string, string> | undefined): void {
  const checksum = headers?.['x-amz-checksum-sha256'];
  if (headers && checksum && headers['x-amz-content-sha256'] === undefined) {
    headers['x-amz-content-sha256'] = Buffer.from(checksum, 'base64').toString('hex');
  }
}
