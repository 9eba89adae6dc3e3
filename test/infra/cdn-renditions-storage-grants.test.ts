import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CDN_DENIED_KEY_PREFIXES } from '../../infra/constructs/cdn-renditions';
import { CDN_RENDITION_PREFIX } from '../../lambdas/core/cdn-rendition';
import { acknowledgements } from './support/acknowledgements';
import {
  bucketPolicyStatements,
  distributionArn,
  onDefaultRenditionStack,
  PRIVATE_PREFIXES,
  resourcesOf,
} from './support/cdn-renditions-template';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { objectArn, roleStatements } from './support/template-queries';

describe('renditions at the CDN (default config)', () => {
  let template: Template, bucket: string;
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultRenditionStack((stack) => ({ template, bucket } = stack));

  it('lets the render role read objects and list the bucket, write only under _renditions/, never delete, never read unchecked uploads or records', () => {
    // Act
    const statements = roleStatements(template, 'RenderFunctionRole');

    // Assess
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      { Action: 's3:GetObject', Effect: 'Allow', Resource: objectArn(bucket, '*') },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [bucket, 'Arn'] } },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: objectArn(bucket, `${CDN_RENDITION_PREFIX}*`) },
    ]);
    expect(statements.filter((statement) => statement.Effect === 'Deny')).toEqual([
      {
        Sid: 'NeverRenderUncheckedUploadsOrRecords',
        Action: 's3:GetObject',
        Effect: 'Deny',
        Resource: [objectArn(bucket, '_incoming/*'), objectArn(bucket, '_uploads/*')],
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain('s3:DeleteObject');
  });

  it('lets the objects function list and delete renditions under _renditions/<key>/ when it deletes an object', () => {
    // Act
    const statements = roleStatements(template, 'ObjectsFunctionRole');

    // Assess
    expect(statements).toContainEqual({
      Action: 's3:ListBucket',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
    });
    expect(statements).toContainEqual({
      Action: ['s3:DeleteObject', 's3:GetObject'],
      Effect: 'Allow',
      Resource: objectArn(bucket, '*'),
    });
    // …and invalidates /<key> and /_renditions/<key>/* on this distribution.
    expect(statements).toContainEqual({
      Action: 'cloudfront:CreateInvalidation',
      Effect: 'Allow',
      Resource: distributionArn(template),
    });
  });

  it('expires stored renditions after 30 days', () => {
    // Act
    const rules = resourcesOf(template)[bucket]!.Properties.LifecycleConfiguration.Rules;

    // Assess
    expect(rules).toContainEqual({
      Id: 'expire-renditions',
      Prefix: CDN_RENDITION_PREFIX,
      ExpirationInDays: 30,
      Status: 'Enabled',
    });
  });

  it('denies CloudFront every private key prefix the service defines, except _renditions/', () => {
    // Act
    const [deny] = bucketPolicyStatements(template).filter(
      (statement) => statement.Sid === 'DenyCdnReadsOfPrivateKeys',
    );
    const denied = [deny!.Resource].flat().map((resource) => JSON.stringify(resource));

    // Assess
    expect(PRIVATE_PREFIXES).toEqual(
      expect.arrayContaining(['_incoming/', '_originals/', '_uploads/', '_renditions/']),
    );
    for (const prefix of PRIVATE_PREFIXES.filter((candidate) => candidate !== CDN_RENDITION_PREFIX)) {
      expect(denied, prefix).toContain(JSON.stringify(objectArn(bucket, `${prefix}*`)));
    }
    expect(denied).toHaveLength(PRIVATE_PREFIXES.length - 1);
    expect([...CDN_DENIED_KEY_PREFIXES].sort()).toEqual(
      PRIVATE_PREFIXES.filter((prefix) => prefix !== CDN_RENDITION_PREFIX).sort(),
    );
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(denied).not.toContain(JSON.stringify(objectArn(bucket, '_*')));
    expect(denied).not.toContain(JSON.stringify(objectArn(bucket, `${CDN_RENDITION_PREFIX}*`)));
  });

  it('acknowledges, on the render function only, a missing dead-letter queue (CloudFront invokes it synchronously) and its wildcard S3 grants, each with why', () => {
    // Act
    const acks = acknowledgements(synthesize(TWO_CLIENTS_CONTEXT).stack).filter(
      (ack) =>
        ack.path.startsWith('S3ImageProxy/Render/') &&
        ['Serverless-LambdaDLQ', 'AwsSolutions-IAM5'].some((rule) => ack.rule.startsWith(rule)),
    );

    // Assess
    expect(acks.map((ack) => `${ack.path} ${ack.rule.replace(/<\w+\.Arn>/, '<bucket>')}`).sort()).toEqual([
      'S3ImageProxy/Render/Function AwsSolutions-IAM5[Resource::<bucket>/*]',
      'S3ImageProxy/Render/Function AwsSolutions-IAM5[Resource::<bucket>/_renditions/*]',
      'S3ImageProxy/Render/Function/Function Serverless-LambdaDLQ',
    ]);
    const reasonOf = (rule: RegExp) => acks.find((ack) => rule.test(ack.rule))!.reason;
    expect(reasonOf(/^Serverless-LambdaDLQ$/)).toContain(
      'CloudFront through the function URL (AWS_IAM auth, Origin Access Control)',
    );
    expect(reasonOf(/^AwsSolutions-IAM5\[Resource::<\w+\.Arn>\/\*\]$/)).toMatch(
      /_originals\/<client>\/<name>.*cannot exclude keys.*_incoming\/ and _uploads\/ are denied/,
    );
  });
});
