import { StorageUnavailableError } from '../core/errors';

/**
 * Errors of AWS service calls, recognised by shape rather than class, so the functions that call
 * S3, CloudFront or DynamoDB share one mapping without one importing another's SDK client.
 */
interface ServiceErrorShape {
  readonly name: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: {
    readonly httpStatusCode?: number;
    readonly requestId?: string;
    readonly extendedRequestId?: string;
    readonly cfId?: string;
    readonly attempts?: number;
  };
}

function isServiceError(err: unknown): err is ServiceErrorShape & Error {
  return (
    err instanceof Error && '$metadata' in err && typeof (err as ServiceErrorShape).$metadata === 'object'
  );
}

// Throttling as S3 (SlowDown), and as DynamoDB and other JSON services name it.
const THROTTLING_CODES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'ThrottlingException',
  'RequestTimeout',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

const NETWORK_CODES = /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)$/;

/**
 * Maps a storage failure to a retryable `StorageUnavailableError` with the failure as its cause
 * (503 when the service asked us to slow down or could not be reached in time, 502 when it
 * failed), or returns it unchanged when it is a bug or a misconfiguration.
 */
export function toStorageError(err: unknown): unknown {
  // Answered by the service (a status): throttled, failed, or the caller's mistake.
  const status = isServiceError(err) ? (err.$metadata?.httpStatusCode ?? 0) : 0;
  if (isServiceError(err) && (status > 0 || THROTTLING_CODES.has(err.name))) {
    if (THROTTLING_CODES.has(err.name) || status === 503)
      return new StorageUnavailableError(503, 2, { cause: err });
    // Both mean the bytes S3 received do not match the digest we computed from them.
    if (status >= 500 || err.name === 'BadDigest' || err.name === 'XAmzContentSHA256Mismatch')
      return new StorageUnavailableError(502, 1, { cause: err });
    return err;
  }
  const name = (err as Error | undefined)?.name ?? '';
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (name === 'TimeoutError' || name === 'RequestTimeout' || NETWORK_CODES.test(code)) {
    return new StorageUnavailableError(503, 2, { cause: err });
  }
  return err;
}

/** What a log line says about the cause of a 5xx: enough to find the call in AWS's records, no secrets. */
export interface CauseDescription {
  /** Error class or service error code (`SlowDown`, `InternalError`, `TimeoutError`). */
  readonly name: string;
  /** The service's HTTP status, when it answered. */
  readonly httpStatus?: number;
  /** The service's request id (`x-amz-request-id`), to quote to AWS Support or find in S3 logs. */
  readonly requestId?: string;
  /** S3's extended request id (`x-amz-id-2`). */
  readonly extendedRequestId?: string;
  /** CloudFront's request id (`x-amz-cf-id`), when a CloudFront call failed. */
  readonly cfId?: string;
  /** How many attempts the SDK made. */
  readonly attempts?: number;
  /** The network error code, when the service never answered (`ECONNRESET`). */
  readonly code?: string;
  /** Coarse kind, the `fault` dimension of the `StorageFaults` metric (few values). */
  readonly fault: StorageFault;
}

/** Kinds of storage faults: a bounded set, fit to be a metric dimension. */
export type StorageFault = 'throttled' | 'server-error' | 'timeout' | 'connection' | 'corrupt' | 'other';

/**
 * Describes the cause of a failure for a log line. Only names, codes, statuses and ids: never a
 * message (which may quote a request) or a header value.
 */
export function describeCause(cause: unknown): CauseDescription | undefined {
  if (cause === undefined || cause === null) return undefined;
  const err = cause as Partial<ServiceErrorShape> & { code?: unknown };
  const name = typeof err.name === 'string' ? err.name : typeof cause;
  const meta = (cause as Partial<ServiceErrorShape>).$metadata;
  const code = typeof err.code === 'string' && NETWORK_CODES.test(err.code) ? err.code : undefined;
  const status = meta?.httpStatusCode;
  const fault: StorageFault =
    THROTTLING_CODES.has(name) || status === 503
      ? 'throttled'
      : name === 'BadDigest' || name === 'XAmzContentSHA256Mismatch'
        ? 'corrupt'
        : status !== undefined && status >= 500
          ? 'server-error'
          : name === 'TimeoutError' || name === 'RequestTimeout' || code === 'ETIMEDOUT'
            ? 'timeout'
            : code !== undefined
              ? 'connection'
              : 'other';
  return {
    name,
    ...(status !== undefined && { httpStatus: status }),
    ...(meta?.requestId && { requestId: meta.requestId }),
    ...(meta?.extendedRequestId && { extendedRequestId: meta.extendedRequestId }),
    ...(meta?.cfId && { cfId: meta.cfId }),
    ...(meta?.attempts !== undefined && { attempts: meta.attempts }),
    ...(code !== undefined && { code }),
    fault,
  };
}
