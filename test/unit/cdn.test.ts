import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CloudFrontInvalidator,
  NO_CDN_INVALIDATION,
  createCdnInvalidator,
} from '../../lambdas/adapters/cdn-invalidator';
import { CdnInvalidationError } from '../../lambdas/core/errors';
import { isServableKey } from '../../lambdas/core/object-namespace';
import { serveFromCdn } from '../../infra/local/cdn-stand-in';

const cloudFrontMock = mockClient(CloudFrontClient);
const s3Mock = mockClient(S3Client);

beforeEach(() => {
  cloudFrontMock.reset();
  s3Mock.reset();
});

describe('CloudFrontInvalidator', () => {
  it('creates one invalidation for the paths, with a unique caller reference', async () => {
    // Prepare
    cloudFrontMock.on(CreateInvalidationCommand).resolves({});
    const invalidator = new CloudFrontInvalidator(
      new CloudFrontClient({ region: 'us-east-1' }),
      'E2ABCDEF123456',
    );

    // Act
    await invalidator.invalidate(['/alice/a.png']);
    await invalidator.invalidate(['/alice/a.png']);

    // Assess
    expect(cloudFrontMock).toHaveReceivedCommandWith(CreateInvalidationCommand, {
      DistributionId: 'E2ABCDEF123456',
      InvalidationBatch: {
        CallerReference: expect.any(String),
        Paths: { Quantity: 1, Items: ['/alice/a.png'] },
      },
    });
    const references = cloudFrontMock
      .commandCalls(CreateInvalidationCommand)
      .map((call) => call.args[0].input.InvalidationBatch?.CallerReference);
    expect(new Set(references).size).toBe(2);
  });

  it('turns a CloudFront failure into a retryable CdnInvalidationError', async () => {
    // Prepare
    cloudFrontMock.on(CreateInvalidationCommand).rejects(new Error('TooManyInvalidationsInProgress'));
    const invalidator = new CloudFrontInvalidator(
      new CloudFrontClient({ region: 'us-east-1' }),
      'E2ABCDEF123456',
    );

    // Act
    const act = invalidator.invalidate(['/alice/a.png']);

    // Assess
    await expect(act).rejects.toThrow(CdnInvalidationError);
  });

  it('is a no-op when turned off', () => {
    // Act
    const invalidator = createCdnInvalidator({ enabled: false });

    // Assess
    expect(invalidator).toBe(NO_CDN_INVALIDATION);
  });
});

describe('CDN stand-in with the quarantine predicate', () => {
  it.each(['_incoming/alice/0123456789abcdef0123456789abcdef.png', '_incoming/x'])(
    'answers 404 for %s without reading storage',
    async (key) => {
      // Prepare
      s3Mock.on(GetObjectCommand).resolves({ ContentType: 'image/png' });
      s3Mock.on(HeadObjectCommand).resolves({ ContentType: 'image/png' });
      const res = new PassThrough() as unknown as ServerResponse & { statusCode: number };
      let status = 0;
      Object.assign(res, { writeHead: (code: number) => ((status = code), res), headersSent: false });

      // Act
      await serveFromCdn(
        { s3: new S3Client({ region: 'us-east-1' }), bucketName: 'bucket', isServable: isServableKey },
        { method: 'GET', key, headers: {}, requestId: 'r' },
        res,
      );

      // Assess
      expect(status).toBe(404);
      expect(s3Mock.calls()).toHaveLength(0);
    },
  );
});
