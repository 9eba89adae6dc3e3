import './support/isolated-home';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/adapters/env-names';
import { LAMBDA_ENTRIES } from '../../infra/lambda-bundling';
import { onBundledStack } from './support/bundled-stack';
import { catalogueStatements } from './support/catalogue-statements';
import { logicalIdOf, type Resources } from './support/template-queries';

describe('ImageProxyStack', () => {
  let template: Template, assetOutdir: string, imagesBucket: string;
  // Prepare (the one synthesis with esbuild bundling, shared by the run: support/synth.ts)
  onBundledStack((stack) => ({ template, assetOutdir, imagesBucket } = stack));

  it('bundles one function per capability, each from its own code asset', () => {
    // Prepare
    const names = {
      upload: 'Upload',
      presign: 'Presign',
      objects: 'Objects',
      checkUpload: 'CheckUpload',
      render: 'Render',
      reconcile: 'CatalogueReconciler',
    } as const;

    // Act
    const functions = Object.keys(LAMBDA_ENTRIES).map(
      (entry) =>
        (template.toJSON().Resources as Resources)[
          logicalIdOf(template, 'AWS::Lambda::Function', `${names[entry as keyof typeof names]}Function`)
        ]!,
    );

    // Assess
    const assets = functions.map((fn) => JSON.stringify(fn.Properties.Code.S3Key));
    expect(new Set(assets).size).toBe(Object.keys(LAMBDA_ENTRIES).length);
    for (const fn of functions)
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
  });

  it('bundles the SDK without its default credential chain (Lambda has the role in its environment)', () => {
    // Prepare
    const upload = (template.toJSON().Resources as Resources)[
      logicalIdOf(template, 'AWS::Lambda::Function', 'UploadFunction')
    ]!;
    const assetHash = String(upload.Properties.Code.S3Key).replace(/\.zip$/, '');

    // Act
    const code = readFileSync(join(assetOutdir, `asset.${assetHash}`, 'index.js'), 'utf8');

    // Assess
    expect(code).toContain('CREDENTIALS_ENV_VARS');
    expect(code).not.toContain('@aws-sdk/credential-provider-sso');
    expect(code).not.toContain('@aws-sdk/credential-provider-ini');
  });

  describe('upload function', () => {
    it('runs Node.js 24 on arm64 with its own log group and the shared environment names', () => {
      // Prepare
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'UploadFunctionLogs');
      const alice = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', 'Clientsalice');
      const bob = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', 'Clientsbobbot');

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: Match.objectLike({ LogGroup: { Ref: logGroup } }),
        Environment: {
          Variables: {
            [ENV.bucketName]: { Ref: imagesBucket },
            [ENV.publicBaseUrl]: {
              'Fn::Join': [
                '',
                ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdnDistribution'), 'DomainName'] }],
              ],
            },
            [ENV.clientKeyIds]: {
              'Fn::Join': [
                ',',
                [
                  { 'Fn::Join': ['=', ['alice', { Ref: alice }]] },
                  { 'Fn::Join': ['=', ['bob-bot', { Ref: bob }]] },
                ],
              ],
            },
            [ENV.maxImageBytes]: '4400000',
          },
        },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('holds exactly s3:GetObject and s3:PutObject on the image objects, ListBucket, its catalogue record actions and the key secret, and log writes to its own group', () => {
      // Prepare
      const role = logicalIdOf(template, 'AWS::IAM::Role', 'UploadFunctionRole');
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'UploadFunctionLogs');

      // Act
      const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter(
        (policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role),
      );
      const roleResource = (template.toJSON().Resources as Resources)[role];

      // Assess
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        },
        {
          Action: ['s3:GetObject', 's3:PutObject'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [imagesBucket, 'Arn'] }, '/*']] },
        },
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [imagesBucket, 'Arn'] } },
        ...catalogueStatements(template, 'record', true),
      ]);
      expect(roleResource!.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });
});
