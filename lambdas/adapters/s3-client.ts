import { S3Client } from '@aws-sdk/client-s3';
import { S3_TIMEOUTS, type S3ClientSettings } from '../core/s3-timeouts';
import type { StorageConfig, StorageLocation } from './config';

/**
 * Makes the one S3 client of a process. Checksums only when required: the SDK default bakes
 * an empty-body CRC into presigned PUT URLs and sends aws-chunked bodies s3rver corrupts.
 */
export function createS3Client(
  storage: StorageConfig | StorageLocation,
  settings: S3ClientSettings = S3_TIMEOUTS,
): S3Client {
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
