import { S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from './config';

/** Explicit budgets so a hung S3 call fails inside API Gateway's 29 s, with retries. */
export const S3_TIMEOUTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 5_000, maxAttempts: 3 } as const;

/**
 * Makes the one S3 client of a process. Checksums only when required: the SDK default bakes
 * an empty-body CRC into presigned PUT URLs and sends aws-chunked bodies s3rver corrupts.
 */
export function createS3Client(storage: StorageConfig): S3Client {
  const local = storage.s3Endpoint !== undefined;
  return new S3Client({
    region: storage.region,
    maxAttempts: S3_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: S3_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: S3_TIMEOUTS.requestTimeoutMs,
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
}
