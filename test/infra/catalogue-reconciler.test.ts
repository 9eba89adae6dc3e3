import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/adapters/env-names';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { logicalIdOf, roleStatements } from './support/template-queries';

describe('catalogue reconciler (scheduled, issue 19)', () => {
  let template: Template;
  let off: Template;
  let hourly: Template;
  let quickGrace: Template;

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
    off = synthesize({ ...TWO_CLIENTS_CONTEXT, reconcileEveryHours: 0 }).template;
    hourly = synthesize({ ...TWO_CLIENTS_CONTEXT, reconcileEveryHours: 1 }).template;
    quickGrace = synthesize({ ...TWO_CLIENTS_CONTEXT, reconcileGraceSeconds: '120' }).template;
  });

  const reconcileFunction = (t: Template) =>
    logicalIdOf(t, 'AWS::Lambda::Function', 'CatalogueReconcilerFunction');

  it('runs its function once a day by default, with no EventBridge retries (the next run goes on from the cursor)', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [reconcileFunction(template), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [reconcileFunction(template), 'Arn'] },
    });
  });

  it('follows reconcileEveryHours: 1 is hourly, 0 leaves no schedule but keeps the function', () => {
    // Assess
    hourly.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    off.resourceCountIs('AWS::Events::Rule', 0);
    expect(reconcileFunction(off)).toMatch(/^CatalogueReconcilerFunction/);
  });

  it('gets Lambda’s longest run, and the table, bucket, CDN and grace it reads', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Scheduled: continues folder erasures'),
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          [ENV.catalogueTable]: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'CatalogueTable') },
          [ENV.bucketName]: Match.anyValue(),
          [ENV.publicBaseUrl]: Match.anyValue(),
          [ENV.cdnInvalidateOnDelete]: 'true',
          [ENV.cdnDistributionId]: Match.anyValue(),
          [ENV.reconcileGraceSeconds]: '600',
        }),
      },
    });
  });

  it('follows reconcileGraceSeconds: records and objects younger than it are left alone', () => {
    // Assess
    quickGrace.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Scheduled: continues folder erasures'),
      Environment: { Variables: Match.objectLike({ [ENV.reconcileGraceSeconds]: '120' }) },
    });
  });

  it('holds only what it uses: objects read, listed and deleted (never written), the catalogue with Scan, invalidations, itself', () => {
    // Act
    const statements = roleStatements(template, 'CatalogueReconcilerFunctionRole');
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])) as string[];

    // Assess
    expect(actions).toEqual(
      expect.arrayContaining([
        's3:GetObject',
        's3:DeleteObject',
        's3:ListBucket',
        'dynamodb:Scan',
        'dynamodb:Query',
        'dynamodb:BatchWriteItem',
        'cloudfront:CreateInvalidation',
        'lambda:InvokeFunction',
      ]),
    );
    expect(actions).not.toContain('s3:PutObject');
    expect(actions.filter((a) => a.endsWith('*'))).toEqual([]);
    const table = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::Table', 'CatalogueTable'), 'Arn'] };
    const scan = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('dynamodb:Scan'));
    expect(scan?.Resource).toEqual([table, { 'Fn::Join': ['', [table, '/index/byFolder']] }]);
  });

  it('raises an alarm when a run fails', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('-ReconcileErrors$'),
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: reconcileFunction(template) } }],
    });
  });
});
