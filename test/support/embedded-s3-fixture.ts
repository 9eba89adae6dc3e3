import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { type EmbeddedS3, startEmbeddedS3 } from '../../infra/local/embedded-s3';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { S3UrlSigner } from '../../lambdas/adapters/url-signer';
import { makeTempDir } from './temp-dir';

export interface EmbeddedS3Fixture {
  /** The embedded S3 (read it in hooks and tests, not at the file's top level). */
  readonly server: EmbeddedS3;
  /** The real SDK's client of it, as the functions make theirs. */
  readonly s3: S3Client;
  /** A presigner of the bucket with the client's credentials; `now` moves its clock (epoch ms). */
  urlSigner(now?: () => number): S3UrlSigner;
}

/**
 * An embedded S3 with one bucket for the test file that calls this: started in `beforeAll`
 * over a fresh temp dir (port chosen by the OS), with an SDK client whose public base URL is
 * `publicBaseUrl`; both closed and the dir removed in `afterAll`.
 */
export function useEmbeddedS3(name: string, bucketName: string, publicBaseUrl: string): EmbeddedS3Fixture {
  const dir = makeTempDir(name);
  let server: EmbeddedS3 | undefined;
  let s3: S3Client | undefined;

  beforeAll(async () => {
    server = await startEmbeddedS3({ directory: dir.path, bucketName });
    s3 = createS3Client({ bucketName, publicBaseUrl, region: 'us-east-1', s3Endpoint: server.endpoint });
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    dir.remove();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error(`${name}: the embedded S3 is not started (read it in a hook or a test)`);
    return value;
  };
  const fixture: EmbeddedS3Fixture = {
    get server() {
      return started(server);
    },
    get s3() {
      return started(s3);
    },
    urlSigner: (now) =>
      new S3UrlSigner({
        credentials: fixture.s3.config.credentials,
        region: 'us-east-1',
        bucketName,
        endpoint: fixture.server.endpoint,
        ...(now && { now }),
      }),
  };
  return fixture;
}
