import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PATH, consoleContentSecurityPolicy } from '../../infra/console-assets';
import { consoleIndexFunctionCode } from '../../infra/constructs/console-site';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { distributionArnOf, logicalIdOf, type Resources } from './support/template-queries';

/** The CSP as the template renders it: CloudFormation joins its literal parts around the tokens. */
function cspParts(template: Template): unknown[] {
  const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources;
  const console = Object.values(policies).find((p) =>
    p.Properties.ResponseHeadersPolicyConfig.Comment.includes('console'),
  );
  const csp = console!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy;
  expect(csp.Override).toBe(true);
  return csp.ContentSecurityPolicy['Fn::Join'][1];
}

describe('the console on AWS', () => {
  let template: Template;
  let distribution: string;
  let assets: string;

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
    distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
    assets = logicalIdOf(template, 'AWS::S3::Bucket', 'ConsoleAssets');
  });

  it('is the /console path of the images distribution, HTTPS only, GET and HEAD, from its assets bucket', () => {
    // Act
    const config = (template.findResources('AWS::CloudFront::Distribution') as Resources)[distribution]!
      .Properties.DistributionConfig;
    const behavior = config.CacheBehaviors.find(
      (b: { PathPattern: string }) => b.PathPattern === `${CONSOLE_PATH}*`,
    );
    const origin = config.Origins.find((o: { Id: string }) => o.Id === behavior.TargetOriginId);

    // Assess
    expect(behavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
    });
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [assets, 'RegionalDomainName'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const [oac] = origin.OriginAccessControlId['Fn::GetAtt'];
    expect(template.findResources('AWS::CloudFront::OriginAccessControl')[oac]!.Properties).toMatchObject({
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
  });

  it('reads the private assets bucket through Origin Access Control, for this distribution only', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: assets },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': distributionArnOf(distribution) } },
          }),
        ]),
      },
    });
  });

  it('answers with a strict CSP naming the API and the bucket endpoint, never framed, nosniff, no referrer', () => {
    // Act
    const parts = cspParts(template);
    const literal = parts.filter((part) => typeof part === 'string').join('…');

    // Assess
    expect(literal).toMatch(
      /^default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;/,
    );
    expect(literal).toContain("frame-ancestors 'none'");
    expect(parts).toContainEqual({ Ref: logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api') });
    expect(parts).toContainEqual({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages'), 'RegionalDomainName'],
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        }),
      }),
    });
  });

  it('sends the same CSP as local mode, whose origins are literal', () => {
    // Act
    const csp = consoleContentSecurityPolicy({
      api: 'https://api.example',
      cdn: "'self'",
      uploads: 'https://b.s3.example',
    });

    // Assess
    expect(csp).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; media-src 'self' blob:; " +
        "connect-src 'self' https://api.example https://b.s3.example; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('deploys the three files and a config.json naming the API and the CDN, no secret in it', () => {
    // Act
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment') as Resources);

    // Assess
    expect(deployments).toHaveLength(1);
    const props = deployments[0]!.Properties;
    expect(props.DestinationBucketName).toEqual({ Ref: assets });
    expect(props.DestinationBucketKeyPrefix).toBe('console/');
    expect(props.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(props.SourceMarkers);
    expect(markers).toContain(logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api'));
    expect(markers).toContain(distribution);
    expect(markers).not.toMatch(/ApiKey|apikey|x-api-key/i);
  });

  it('maps /console to /console/ and /console/ to its index.html at the edge', () => {
    // Prepare
    const handler = new Function(`${consoleIndexFunctionCode()}; return handler;`)() as (
      event: unknown,
    ) => any;
    const request = (uri: string) => ({ request: { uri, headers: {} } });

    // Act / Assess
    expect(handler(request('/console'))).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/console/' } },
    });
    expect(handler(request('/console/')).uri).toBe('/console/index.html');
    expect(handler(request('/console/console.js')).uri).toBe('/console/console.js');
  });

  it('outputs the console URL', () => {
    // Assess
    expect(JSON.stringify(template.toJSON().Outputs.ConsoleUrl.Value)).toContain('/console/');
  });
});
