import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { onBundledStack } from './support/bundled-stack';
import { logicalIdOf } from './support/template-queries';

describe('ImageProxyStack', () => {
  let template: Template;
  // Prepare (the one synthesis with esbuild bundling, shared by the run: support/synth.ts)
  onBundledStack((stack) => ({ template } = stack));

  it('outputs the API URL, the CDN base URL and, per client, its key id and the command that reads the key', () => {
    // Prepare
    const alice = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', 'Clientsalice');
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'ApiUrl',
        'CdnBaseUrl',
        'CdnDistributionDomain',
        'ConsoleUrl',
        'UploadCheckFailuresQueueUrl',
        'DashboardUrl',
        'ApiKeyIdAlice',
        'ApiKeyCommandAlice',
        'ApiKeyIdBobBot',
        'ApiKeyCommandBobBot',
      ].sort(),
    );
    const api = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api');
    const stage = logicalIdOf(template, 'AWS::ApiGateway::Stage', 'ApiDeploymentStage');
    expect(outputs.ApiUrl!.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: api },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          { Ref: stage },
          '/',
        ],
      ],
    });
    expect(outputs.CdnBaseUrl!.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          {
            'Fn::GetAtt': [
              logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution'),
              'DomainName',
            ],
          },
        ],
      ],
    });
    expect(outputs.UploadCheckFailuresQueueUrl!.Value).toEqual({
      Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures'),
    });
    expect(outputs.ApiKeyIdAlice!.Value).toEqual({ Ref: alice });
    expect(outputs.ApiKeyCommandAlice!.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'aws apigateway get-api-key --api-key ',
          { Ref: alice },
          ' --include-value --query value --output text --region ',
          { Ref: 'AWS::Region' },
        ],
      ],
    });
  });
});
