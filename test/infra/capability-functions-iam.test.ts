import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUARANTINE_PREFIX } from '../../lambdas/core/object-namespace';
import { CDN_RENDITION_PREFIX } from '../../lambdas/core/cdn-rendition';
import { CDN_DENIED_KEY_PREFIXES } from '../../infra/constructs/cdn-renditions';
import { catalogueStatements } from './support/catalogue-statements';
import {
  type DefaultCapabilityStack,
  onDefaultCapabilityStack,
  FUNCTIONS,
  type FunctionName,
} from './support/default-capability-stack';
import {
  distributionArnOf,
  logicalIdOf,
  objectArn,
  roleStatements,
  type Resources,
  type Statement,
} from './support/template-queries';

describe('capability functions (default config)', () => {
  let template: Template, bucket: string, bucketArn: unknown, distribution: string;
  let functionIds: Record<FunctionName, string>;
  let fn: DefaultCapabilityStack['fn'], logsStatement: DefaultCapabilityStack['logsStatement'];
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultCapabilityStack(
    (stack) => ({ template, bucket, bucketArn, distribution, functionIds, fn, logsStatement } = stack),
  );

  describe('IAM', () => {
    it('gives the presign function s3:PutObject on _incoming/* and s3:GetObject on the objects (what its URLs may do), and counter updates of its quota table, nothing more', () => {
      // Prepare
      const table = logicalIdOf(template, 'AWS::DynamoDB::Table', 'PresignQuotaTable');

      // Act
      const statements = roleStatements(template, 'PresignFunctionRole');

      // Assess
      expect(statements).toEqual([
        logsStatement('Presign'),
        { Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [table, 'Arn'] } },
        { Action: 's3:PutObject', Effect: 'Allow', Resource: objectArn(bucket, `${QUARANTINE_PREFIX}*`) },
        { Action: 's3:GetObject', Effect: 'Allow', Resource: objectArn(bucket, '*') },
      ]);
    });

    it('gives the objects function ListBucket, Get/DeleteObject, an invalidation of this distribution and an invocation of itself only', () => {
      // Act
      const statements = roleStatements(template, 'ObjectsFunctionRole');

      // Assess
      expect(statements).toEqual([
        logsStatement('Objects'),
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: bucketArn },
        // Actions in a statement are sorted (@aws-cdk/aws-iam:minimizePolicies).
        { Action: ['s3:DeleteObject', 's3:GetObject'], Effect: 'Allow', Resource: objectArn(bucket, '*') },
        {
          Action: 'cloudfront:CreateInvalidation',
          Effect: 'Allow',
          Resource: distributionArnOf(distribution),
        },
        // Lists, describes, patches and deletes records; derives no keys, so no secret.
        ...catalogueStatements(template, 'manage', false),
        // Erases a large folder in the background: invokes itself, and no other function.
        {
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [functionIds.Objects, 'Arn'] },
        },
      ]);
    });

    it('keeps the self-invocation in a policy of its own, so the function does not depend on itself', () => {
      // Act
      const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter(
        (policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('lambda:InvokeFunction'),
      );
      const dependsOn = [fn('Objects').DependsOn ?? []].flat();

      // Assess: the objects function's, and the scheduled reconciler's (it hands over erasures too)
      expect(policies).toHaveLength(2);
      for (const policy of policies) expect(policy.Properties.PolicyDocument.Statement).toHaveLength(1);
      expect(dependsOn.some((id: string) => id.startsWith('ObjectsFunctionSelfInvocation'))).toBe(false);
    });

    it('gives the check function Get/PutObject, DeleteObject only in quarantine, ListBucket, and sends to its failure queue', () => {
      // Prepare
      const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures');

      // Act
      const statements = roleStatements(template, 'CheckUploadFunctionRole');

      // Assess
      expect(statements).toEqual([
        logsStatement('CheckUpload'),
        { Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: objectArn(bucket, '*') },
        { Action: 's3:DeleteObject', Effect: 'Allow', Resource: objectArn(bucket, `${QUARANTINE_PREFIX}*`) },
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: bucketArn },
        ...catalogueStatements(template, 'record', true),
        {
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
        },
      ]);
    });

    it.each([
      ['Presign', ['s3:DeleteObject', 's3:ListBucket']],
      ['Objects', ['s3:PutObject']],
      ['Upload', ['s3:DeleteObject']],
    ] as const)('never lets the %s function %j', (name, forbidden) => {
      // Act
      const actions = roleStatements(template, `${name}FunctionRole`).flatMap((statement) =>
        [statement.Action].flat(),
      );

      // Assess
      for (const action of forbidden) expect(actions).not.toContain(action);
    });

    it('attaches no managed policy to any function role', () => {
      // Assess
      for (const name of FUNCTIONS) {
        const role = logicalIdOf(template, 'AWS::IAM::Role', `${name}FunctionRole`);
        expect(
          (template.toJSON().Resources as Resources)[role]!.Properties.ManagedPolicyArns,
        ).toBeUndefined();
      }
    });

    it('grants no wildcard action anywhere, and no wildcard resource but the image objects', () => {
      // Prepare: Allow on every object, quarantine and renditions; Deny (which only narrows) on private prefixes
      const wildcards = (patterns: readonly string[]) =>
        patterns.map((pattern) => JSON.stringify(objectArn(bucket, pattern)));
      const allowedWildcards = {
        Allow: wildcards(['*', `${QUARANTINE_PREFIX}*`, `${CDN_RENDITION_PREFIX}*`]),
        Deny: wildcards(CDN_DENIED_KEY_PREFIXES.map((prefix) => `${prefix}*`)),
      };

      // Act
      // Not CDK's own deploy-time BucketDeployment function (console assets): acknowledged in cdk-nag.test.ts.
      const statements = Object.entries(template.findResources('AWS::IAM::Policy') as Resources)
        .filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);

      // Assess
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        for (const resource of [statement.Resource].flat()) {
          const rendered = JSON.stringify(resource);
          if (rendered.includes('*'))
            expect(allowedWildcards[statement.Effect as 'Allow' | 'Deny']).toContain(rendered);
        }
      }
    });
  });
});
