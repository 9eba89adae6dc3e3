import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ErasureDispatcher, ErasureEvent } from '../catalogue/erase-in-background';
import type { CdnInvalidator } from '../adapters/cdn-invalidator';
import type { PresignLimit } from '../core/presign-window';
import type { PresignQuota } from '../adapters/presign-quota';
import type { SourceFetcher } from '../adapters/source-fetcher';
import type { CredentialProvider } from '../adapters/url-signer';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What every function gets from where it runs: on Lambda, traced clients and its own Metrics;
 * in local mode, plain clients and the process's one Metrics.
 */
export interface Platform {
  /** Instruments an AWS SDK client (X-Ray on Lambda when tracing; unchanged locally). */
  readonly traced: <T>(client: T) => T;
  /** Where the function's EMF metrics go. */
  readonly metrics: Metrics;
}

/** The platform of a function that reads or writes the bucket. */
export interface StoragePlatform extends Platform {
  /** The bucket's S3 client (Lambda: built from the `S3_*` settings; local: the embedded S3's). */
  readonly s3: S3Client;
}

/** The upload function's: uploads from a URL go through the platform's network. */
export interface UploadPlatform extends StoragePlatform {
  /** Lambda: the system resolver and Node's http(s); local: the settings and network tests choose. */
  sourceFetcher(env: Env): SourceFetcher;
}

/** The presign function's: it signs, and counts presigned uploads per client. */
export interface PresignPlatform extends Platform {
  /** The credentials URLs are signed with (Lambda: the role's, from the environment). */
  readonly signerCredentials: CredentialProvider;
  /** Lambda: the DynamoDB quota table; local: counted in memory, in the same windows. */
  presignQuota(env: Env, limit: PresignLimit): PresignQuota;
}

/** The objects function's: it invalidates the CDN and erases large folders in the background. */
export interface ObjectsPlatform extends StoragePlatform {
  /** Lambda: CloudFront when configured; local: nothing to invalidate (the stand-in caches nothing). */
  invalidator(env: Env): CdnInvalidator;
  /** Lambda: the function invokes itself; local: `worker` runs in this process after the answer. */
  erasureDispatcher(worker: () => (event: ErasureEvent) => Promise<void>): ErasureDispatcher;
}
