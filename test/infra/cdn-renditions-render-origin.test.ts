import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RENDER_FUNCTION_TIMEOUT } from '../../infra/constructs/cdn-renditions';
import { ENV } from '../../lambdas/adapters/env-names';
import { DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';
import { DEFAULT_MAX_DIRECT_UPLOAD_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import {
  distributionArn,
  distributionConfig,
  imageOrigins,
  onDefaultRenditionStack,
  resourcesOf,
} from './support/cdn-renditions-template';
import type { Resources } from './support/template-queries';

describe('renditions at the CDN (default config)', () => {
  let template: Template, renderFunction: string, functionUrl: string, bucket: string;
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultRenditionStack((stack) => ({ template, renderFunction, functionUrl, bucket } = stack));

  it('gives the rendering function an AWS_IAM function URL that streams its answer (no 6 MB cap)', () => {
    // Assess
    template.resourceCountIs('AWS::Lambda::Url', 1);
    expect(resourcesOf(template)[functionUrl]!.Properties).toEqual({
      AuthType: 'AWS_IAM',
      InvokeMode: 'RESPONSE_STREAM',
      TargetFunctionArn: { 'Fn::GetAtt': [renderFunction, 'Arn'] },
    });
  });

  it('runs it with 1769 MiB (one vCPU), 25 s, its reserved concurrency and exactly the environment its handler reads', () => {
    // Act
    const properties = resourcesOf(template)[renderFunction]!.Properties;

    // Assess
    expect(properties).toMatchObject({ MemorySize: 1769, Timeout: 25, ReservedConcurrentExecutions: 10 });
    expect(properties.Environment.Variables).toEqual({
      [ENV.bucketName]: { Ref: bucket },
      [ENV.maxImagePixels]: String(DEFAULT_MAX_IMAGE_PIXELS),
      [ENV.maxDirectUploadBytes]: String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES),
      [ENV.renditionMaxEdgePx]: '4096',
      [ENV.renditionSizes]: DEFAULT_RENDITION_SIZES.join(','),
      [ENV.serviceName]: 'S3ImageProxy',
      [ENV.tracingEnabled]: 'false',
    });
  });

  it('reaches the function URL only through an OAC for Lambda that signs every request', () => {
    // Act
    const origin = distributionConfig(template).Origins.find(
      (candidate: Record<string, any>) => candidate.CustomOriginConfig !== undefined,
    );
    const oac = resourcesOf(template)[origin.OriginAccessControlId['Fn::GetAtt'][0]]!;

    // Assess
    expect(origin.DomainName).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [functionUrl, 'FunctionUrl'] }] }],
    });
    expect(oac.Type).toBe('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 'lambda',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(origin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
      OriginReadTimeout: 30,
    });
    expect(origin.CustomOriginConfig.OriginReadTimeout).toBeGreaterThan(RENDER_FUNCTION_TIMEOUT.toSeconds());
  });

  it('lets CloudFront, for this distribution only, invoke it through the URL (InvokeFunctionUrl and InvokeFunction), and no one else', () => {
    // Act: every permission on the function, named by its ARN or through its URL
    const targets = [
      JSON.stringify({ 'Fn::GetAtt': [renderFunction, 'Arn'] }),
      JSON.stringify({ 'Fn::GetAtt': [functionUrl, 'FunctionArn'] }),
      JSON.stringify({ Ref: renderFunction }),
    ];
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission') as Resources)
      .map((permission) => permission.Properties)
      .filter((properties) => targets.includes(JSON.stringify(properties.FunctionName)));

    // Assess
    expect(permissions.map((properties) => properties.Action).sort()).toEqual([
      'lambda:InvokeFunction',
      'lambda:InvokeFunctionUrl',
    ]);
    for (const properties of permissions) {
      expect(properties).toMatchObject({
        Principal: 'cloudfront.amazonaws.com',
        SourceArn: distributionArn(template),
      });
      expect(properties.SourceAccount).toBeUndefined();
    }
    expect(permissions.find((properties) => properties.Action === 'lambda:InvokeFunction')).toMatchObject({
      InvokedViaFunctionUrl: true,
    });
  });

  it('serves images from an origin group: the bucket first, the function URL on a 403 or 404', () => {
    // Act
    const config = distributionConfig(template);
    const [group] = config.OriginGroups.Items;
    const originById = new Map(
      config.Origins.map((origin: Record<string, any>) => [origin.Id, origin] as const),
    );
    const [primary, fallback] = group.Members.Items.map((member: { OriginId: string }) =>
      originById.get(member.OriginId),
    );

    // Assess
    expect(config.OriginGroups.Quantity).toBe(1);
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(group.Id);
    expect(group.FailoverCriteria).toEqual({ StatusCodes: { Items: [403, 404], Quantity: 2 } });
    expect(primary).toMatchObject({
      DomainName: { 'Fn::GetAtt': [bucket, 'RegionalDomainName'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(fallback.DomainName['Fn::Select'][1]['Fn::Split'][1]).toEqual({
      'Fn::GetAtt': [functionUrl, 'FunctionUrl'],
    });
    expect(imageOrigins(config)).toHaveLength(2);
  });

  it('puts no Origin Shield in front of either origin unless a region is configured', () => {
    // Assess
    for (const origin of distributionConfig(template).Origins) expect(origin.OriginShield).toBeUndefined();
  });
});
