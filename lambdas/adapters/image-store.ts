import { PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { StorageUnavailableError } from '../core/errors';

/** Cache-Control of content-addressed objects: their bytes never change under their key. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** An object to store. */
export interface NewObject {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** Base64 SHA-256 of `bytes`: S3 recomputes it and refuses the write on a mismatch. */
  readonly sha256Base64: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The storage the handlers talk to; the S3 adapter below is its only production form. */
export interface ImageStore {
  /** Stores an object whole or not at all. */
  putObject(object: NewObject): Promise<void>;
}

/** An `ImageStore` over S3. SDK errors become the project's own storage errors. */
export class S3ImageStore implements ImageStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucketName: string,
  ) {}

  async putObject(object: NewObject): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucketName,
          Key: object.key,
          Body: object.bytes,
          ContentLength: object.bytes.byteLength,
          ContentType: object.contentType,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
          ChecksumSHA256: object.sha256Base64,
          Metadata: { ...object.metadata },
        }),
      );
    } catch (err) {
      throw toStorageError(err);
    }
  }
}

const THROTTLING_CODES = new Set(['SlowDown', 'ServiceUnavailable', 'ThrottlingException', 'RequestTimeout']);

/**
 * Maps an S3/SDK failure to a retryable storage error (503 when S3 asked us to slow down or
 * could not be reached in time, 502 when it failed), or rethrows what is a bug or misconfiguration.
 */
export function toStorageError(err: unknown): unknown {
  if (err instanceof S3ServiceException) {
    const status = err.$metadata?.httpStatusCode ?? 0;
    if (THROTTLING_CODES.has(err.name) || status === 503) return new StorageUnavailableError(503, 2, { cause: err });
    // Both mean the bytes S3 received do not match the digest we computed from them.
    if (status >= 500 || err.name === 'BadDigest' || err.name === 'XAmzContentSHA256Mismatch') return new StorageUnavailableError(502, 1, { cause: err });
    return err;
  }
  const name = (err as Error | undefined)?.name ?? '';
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (name === 'TimeoutError' || name === 'RequestTimeout' || /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)$/.test(code)) {
    return new StorageUnavailableError(503, 2, { cause: err });
  }
  return err;
}
