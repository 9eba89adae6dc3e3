import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onBundledStack } from './support/bundled-stack';
import { distributionArnOf, logicalIdOf, type Resources } from './support/template-queries';

describe('ImageProxyStack', () => {
  let template: Template, imagesBucket: string, logBucket: string, cdnLogBucket: string;
  // Prepare (the one synthesis with esbuild bundling, shared by the run: support/synth.ts)
  onBundledStack((stack) => ({ template, imagesBucket, logBucket, cdnLogBucket } = stack));

  describe('storage', () => {
    it('blocks all public access, encrypts and retains the four buckets by default', () => {
      // Act
      const buckets = template.findResources('AWS::S3::Bucket') as Resources;

      // Assess
      // Images, its access logs, the CDN's logs, and the console's assets (console-site.test.ts).
      expect(Object.keys(buckets)).toHaveLength(4);
      for (const bucket of Object.values(buckets)) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ]);
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
    });

    it('logs image bucket access to the log bucket and aborts stale multipart uploads', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: 's3/' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            }),
          ]),
        },
      });
    });

    it('sets no ACL anywhere (cfn-lint W3045): S3 delivers its access logs under the log bucket’s policy, with ACLs disabled', () => {
      // Act
      const buckets = template.findResources('AWS::S3::Bucket') as Resources;
      const logPolicy = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources).find(
        (policy) => policy.Properties.Bucket.Ref === logBucket,
      );

      // Assess
      for (const bucket of Object.values(buckets)) expect(bucket.Properties.AccessControl).toBeUndefined();
      expect(buckets[logBucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
      expect(buckets[imagesBucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
      expect(logPolicy!.Properties.PolicyDocument.Statement).toContainEqual({
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [imagesBucket, 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logBucket, 'Arn'] }, '/s3/*']] },
      });
      // CloudFront's standard logging writes with an ACL grant it adds itself: only its own bucket allows ACLs.
      expect(buckets[cdnLogBucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }],
      });
    });

    it('denies every request without TLS on every bucket', () => {
      // Act
      const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources);

      // Assess
      expect(policies.map((policy) => policy.Properties.Bucket)).toEqual(
        expect.arrayContaining([{ Ref: imagesBucket }, { Ref: logBucket }, { Ref: cdnLogBucket }]),
      );
      for (const policy of policies) {
        const bucket = policy.Properties.Bucket.Ref as string;
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual({
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Resource: [
            { 'Fn::GetAtt': [bucket, 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
          ],
        });
      }
    });

    it('allows reads of images only to this distribution through CloudFront', () => {
      // Act
      const [policy] = Object.values(
        template.findResources('AWS::S3::BucketPolicy', {
          Properties: { Bucket: { Ref: imagesBucket } },
        }) as Resources,
      );
      const allows = policy!.Properties.PolicyDocument.Statement.filter(
        (statement: { Effect: string }) => statement.Effect === 'Allow',
      );

      // Assess
      const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
      expect(allows).toEqual([
        {
          Action: 's3:GetObject',
          Condition: {
            StringEquals: {
              'AWS:SourceArn': distributionArnOf(distribution),
            },
          },
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [imagesBucket, 'Arn'] }, '/*']] },
        },
      ]);
    });
  });
});
