import { randomUUID } from 'node:crypto';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CdnInvalidationError } from '../core/errors';
import type { InvalidationConfig } from '../settings/invalidation';
import { S3_TIMEOUTS } from '../core/s3-timeouts';
import { type Deferred, onFirstUse, resolveDeferred } from './on-first-use';

/** Drops the CDN's cached copies of paths (`/alice/abc.png`), so deleted objects stop being served. */
export interface CdnInvalidator {
  invalidate(paths: readonly string[]): Promise<void>;
}

/** For local mode (its CDN stand-in caches nothing) and for deployments that turned invalidation off. */
export const NO_CDN_INVALIDATION: CdnInvalidator = { invalidate: async () => undefined };

/**
 * Invalidates through CloudFront's API; any failure becomes a retryable 502. Only deletes need
 * it, so the SDK is loaded by the first of them (`import()`), not by every cold start.
 */
export class CloudFrontInvalidator implements CdnInvalidator {
  constructor(
    private readonly cloudFront: Deferred<CloudFrontClient>,
    private readonly distributionId: string,
  ) {}

  async invalidate(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    try {
      const { CreateInvalidationCommand } = await import('./sdk/cloudfront');
      const cloudFront = await resolveDeferred(this.cloudFront);
      await cloudFront.send(
        new CreateInvalidationCommand({
          DistributionId: this.distributionId,
          InvalidationBatch: {
            CallerReference: randomUUID(),
            Paths: { Quantity: paths.length, Items: [...paths] },
          },
        }),
      );
    } catch (err) {
      throw new CdnInvalidationError({ cause: err });
    }
  }
}

/** The invalidator a deployment's config asks for; `wrap` may instrument its client (tracing). */
export function createCdnInvalidator(
  config: InvalidationConfig,
  wrap: (client: CloudFrontClient) => CloudFrontClient = (client) => client,
): CdnInvalidator {
  if (!config.enabled) return NO_CDN_INVALIDATION;
  const cloudFront = onFirstUse(async () => {
    const { CloudFrontClient } = await import('./sdk/cloudfront');
    return wrap(
      new CloudFrontClient({
        region: 'us-east-1', // CloudFront's control plane
        maxAttempts: S3_TIMEOUTS.maxAttempts,
        requestHandler: {
          connectionTimeout: S3_TIMEOUTS.connectionTimeoutMs,
          requestTimeout: S3_TIMEOUTS.requestTimeoutMs,
        },
      }),
    );
  });
  return new CloudFrontInvalidator(cloudFront, config.distributionId);
}
