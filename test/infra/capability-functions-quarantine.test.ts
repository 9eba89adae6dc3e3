import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUARANTINE_PREFIX } from '../../lambdas/core/object-namespace';
import { PRESIGNED_PUT_HEADERS } from '../../lambdas/core/presign-request';
import { onDefaultCapabilityStack, type FunctionName } from './support/default-capability-stack';
import { logicalIdOf, objectArn, type Resources, type Statement } from './support/template-queries';

describe('capability functions (default config)', () => {
  let template: Template, bucket: string, bucketArn: unknown, functionIds: Record<FunctionName, string>;
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultCapabilityStack((stack) => ({ template, bucket, bucketArn, functionIds } = stack));

  describe('quarantine of presigned uploads', () => {
    it('runs the check function on every object created under _incoming/ and nothing else', () => {
      // Act
      const notifications = Object.values(
        template.findResources('Custom::S3BucketNotifications') as Resources,
      );

      // Assess
      expect(notifications).toHaveLength(1);
      expect(notifications[0]!.Properties.BucketName).toEqual({ Ref: bucket });
      expect(notifications[0]!.Properties.NotificationConfiguration).toEqual({
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: QUARANTINE_PREFIX }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionIds.CheckUpload, 'Arn'] },
          },
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionIds.CheckUpload, 'Arn'] },
        Principal: 's3.amazonaws.com',
        SourceArn: bucketArn,
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
    });

    it('retries a failed check twice, then keeps the event in an encrypted, TLS-only queue', () => {
      // Prepare
      const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures');

      // Assess
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionIds.CheckUpload },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        },
      });
    });

    it('denies CloudFront reads of every private key (_incoming/, _originals/, _uploads/) next to the OAC allow', () => {
      // Act
      const [policy] = Object.values(
        template.findResources('AWS::S3::BucketPolicy', {
          Properties: { Bucket: { Ref: bucket } },
        }) as Resources,
      );
      const statements = policy!.Properties.PolicyDocument.Statement as Statement[];

      // Assess
      // (renditions are on by default, so _renditions/ is readable: cdn-renditions-storage-grants.test.ts)
      expect(statements).toContainEqual({
        Sid: 'DenyCdnReadsOfPrivateKeys',
        Effect: 'Deny',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: [
          objectArn(bucket, '_incoming/*'),
          objectArn(bucket, '_originals/*'),
          objectArn(bucket, '_uploads/*'),
        ],
      });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: objectArn(bucket, '*'),
        }),
      );
    });

    it('expires whatever stays in _incoming/ for a day', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            {
              Id: 'expire-unchecked-uploads',
              Prefix: QUARANTINE_PREFIX,
              ExpirationInDays: 1,
              Status: 'Enabled',
            },
          ]),
        },
      });
    });

    it('lets browsers PUT and GET through presigned URLs from any origin, with the headers a presigned PUT binds', () => {
      // Act
      const buckets = template.findResources('AWS::S3::Bucket') as Resources;

      // Assess
      expect(buckets[bucket]!.Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedOrigins: ['*'],
            AllowedHeaders: [...PRESIGNED_PUT_HEADERS],
            ExposedHeaders: ['ETag'],
            MaxAge: 3600,
          },
        ],
      });
      for (const logBucket of ['StorageServerAccessLogs', 'StorageCdnLogs'])
        expect(
          buckets[logicalIdOf(template, 'AWS::S3::Bucket', logBucket)]!.Properties.CorsConfiguration,
        ).toBeUndefined();
    });
  });
});
