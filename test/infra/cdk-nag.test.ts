import './support/isolated-home';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { acknowledgedRules, acknowledgements } from './support/acknowledgements';
import { FEATURE_FLAGS, synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';

/** The role of CDK's BucketDeployment function (one per stack), which deploys the console's files. */
const DEPLOYMENT_ROLE = /^S3ImageProxy\/Custom::CDKBucketDeployment\w+\/ServiceRole$/;

const noBundling = { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] };

describe('cdk-nag AwsSolutions and Serverless checks', () => {
  it('fail synthesis on a finding nobody acknowledged', () => {
    // Prepare: the app as app.ts builds it, plus a bucket with none of the safeguards
    const app = new App({ context: { ...TWO_CLIENTS_CONTEXT, ...noBundling } });
    const stack = buildApp(app);
    new s3.Bucket(stack, 'Careless');

    // Act
    const synth = () => Template.fromStack(stack);

    // Assess
    expect(synth).toThrow(/AwsSolutions-S1/);
    expect(synth).toThrow(/Careless/);
  });

  it('fail synthesis on a Serverless finding nobody acknowledged (the pack is attached too)', () => {
    // Prepare: a queue that satisfies AwsSolutions but has no dead-letter queue
    const app = new App({ context: { ...TWO_CLIENTS_CONTEXT, ...noBundling } });
    const stack = buildApp(app);
    new sqs.Queue(stack, 'CarelessQueue', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });

    // Act
    const synth = () => Template.fromStack(stack);

    // Assess
    expect(synth).toThrow(/Serverless-SQSRedrivePolicy/);
  });

  it('find nothing unacknowledged in the default stack, whose optional CDN features are acknowledged as off', () => {
    // Act
    const { stack } = synthesize(TWO_CLIENTS_CONTEXT);

    // Assess (synthesize throws on an unacknowledged finding)
    const acknowledged = acknowledgedRules(stack);
    for (const rule of ['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4'])
      expect(acknowledged).toContain(rule);
  });

  it('find nothing unacknowledged with every optional feature on, and no longer need their acknowledgements', () => {
    // Prepare
    const context = {
      ...TWO_CLIENTS_CONTEXT,
      domainName: 'images.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234',
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/proxy/1234',
      geoAllowlist: ['US', 'DE'],
      priceClass: 'PriceClass_All',
      objectExpirationDays: 7,
      removalPolicy: 'destroy',
      renditions: { originShieldRegion: 'eu-central-1', expirationDays: 14 },
    };

    // Act
    const { stack, template } = synthesize(context);

    // Assess
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['images.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: context.certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        WebACLId: context.webAclArn,
        Restrictions: { GeoRestriction: { Locations: ['US', 'DE'], RestrictionType: 'whitelist' } },
        PriceClass: 'PriceClass_All',
        Origins: [
          Match.objectLike({ OriginShield: { Enabled: true, OriginShieldRegion: 'eu-central-1' } }),
          Match.objectLike({ OriginShield: { Enabled: true, OriginShieldRegion: 'eu-central-1' } }),
          // The console's assets bucket (console-site.test.ts): small files, no shield.
          Match.objectLike({ OriginAccessControlId: Match.anyValue() }),
        ],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { PUBLIC_BASE_URL: 'https://images.example.com' } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
            Id: 'abort-incomplete-multipart-uploads',
          },
          { ExpirationInDays: 7, Id: 'expire-ephemeral-images', Status: 'Enabled' },
          { ExpirationInDays: 1, Id: 'expire-unchecked-uploads', Prefix: '_incoming/', Status: 'Enabled' },
          { ExpirationInDays: 2, Id: 'expire-uploads', Prefix: '_uploads/', Status: 'Enabled' },
          { ExpirationInDays: 14, Id: 'expire-renditions', Prefix: '_renditions/', Status: 'Enabled' },
        ],
      },
    });
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket')))
      expect(bucket.DeletionPolicy).toBe('Delete');
    const acknowledged = acknowledgedRules(stack);
    for (const rule of ['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR4'])
      expect(acknowledged).not.toContain(rule);
  });

  it('are acknowledged precisely where the finding is, each with a reason, never for the whole stack', () => {
    // Act
    const { stack } = synthesize(TWO_CLIENTS_CONTEXT);
    const acks = acknowledgements(stack);

    // Assess
    expect(acks.filter((ack) => ack.path === stack.node.path)).toEqual([]);
    for (const ack of acks.filter(({ rule }) => /^(AwsSolutions|Serverless)-/.test(rule))) {
      expect(ack.reason.length, `${ack.path} ${ack.rule}`).toBeGreaterThan(80);
    }
    expect(acks.filter((ack) => ack.rule.startsWith('AwsSolutions-IAM4'))).toEqual([
      {
        path: expect.stringMatching(/^S3ImageProxy\/BucketNotificationsHandler[0-9a-f]{32}$/),
        rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: expect.stringContaining('CDK'),
      },
      {
        path: expect.stringMatching(DEPLOYMENT_ROLE),
        rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: expect.stringContaining('BucketDeployment'),
      },
    ]);
    expect(acks.filter((ack) => ack.rule === 'AwsSolutions-SQS3').map((ack) => ack.path)).toEqual([
      'S3ImageProxy/UploadCheck/Failures',
    ]);
    // CDK's own BucketDeployment (the console's files), deploy-time only: S3 wildcards in two buckets.
    expect(
      acks
        .filter((ack) => ack.rule.startsWith('AwsSolutions-IAM5') && DEPLOYMENT_ROLE.test(ack.path))
        .map((ack) => ack.rule.replace(/<\w+\.Arn>/, '<bucket>'))
        .sort(),
    ).toEqual(
      [
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map(
          (action) => `AwsSolutions-IAM5[Action::${action}]`,
        ),
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'AwsSolutions-IAM5[Resource::<bucket>/*]',
      ].sort(),
    );
    const iam5 = acks
      .filter((ack) => ack.rule.startsWith('AwsSolutions-IAM5') && !DEPLOYMENT_ROLE.test(ack.path))
      .map((ack) => `${ack.path} ${ack.rule.replace(/<\w+\.Arn>/, '<bucket>')}`);
    expect(iam5.sort()).toEqual(
      [
        'S3ImageProxy/UploadFunction AwsSolutions-IAM5[Resource::<bucket>/*]',
        'S3ImageProxy/PresignFunction AwsSolutions-IAM5[Resource::<bucket>/_incoming/*]',
        'S3ImageProxy/PresignFunction AwsSolutions-IAM5[Resource::<bucket>/*]',
        'S3ImageProxy/ObjectsFunction AwsSolutions-IAM5[Resource::<bucket>/*]',
        'S3ImageProxy/CheckUploadFunction AwsSolutions-IAM5[Resource::<bucket>/*]',
        'S3ImageProxy/CheckUploadFunction AwsSolutions-IAM5[Resource::<bucket>/_incoming/*]',
        'S3ImageProxy/Render/Function AwsSolutions-IAM5[Resource::<bucket>/*]',
        'S3ImageProxy/Render/Function AwsSolutions-IAM5[Resource::<bucket>/_renditions/*]',
        'S3ImageProxy/CatalogueReconciler/Function AwsSolutions-IAM5[Resource::<bucket>/*]',
      ].sort(),
    );
  });

  it('reject an unacknowledged finding in another stack of the same app too (attached to the app)', () => {
    // Prepare
    const app = new App({ context: { ...TWO_CLIENTS_CONTEXT, ...noBundling } });
    buildApp(app);
    const other = new Stack(app, 'Other');
    new s3.Bucket(other, 'Careless');

    // Act
    const synth = () => Template.fromStack(other);

    // Assess
    expect(synth).toThrow(/AwsSolutions-S1/);
  });
});
