import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { renditionEdgeCode } from '../../infra/edge/rendition-edge';
import { DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';
import {
  distributionConfig,
  imageEdgeFunctions,
  onDefaultRenditionStack,
  resourcesOf,
} from './support/cdn-renditions-template';

describe('renditions at the CDN (default config)', () => {
  let template: Template;
  // Prepare (synthesized once for the run: support/synth.ts)
  onDefaultRenditionStack((stack) => ({ template } = stack));

  it('says Vary: Accept on every answer of the image behaviour (format=auto), stored renditions included', () => {
    // Act
    const policyId = distributionConfig(template).DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    const policy = resourcesOf(template)[policyId]!.Properties.ResponseHeadersPolicyConfig;

    // Assess
    expect(policy.CustomHeadersConfig.Items).toContainEqual({
      Header: 'Vary',
      Value: 'Accept',
      Override: true,
    });
  });

  it('runs the rendition edge function (cloudfront-js-2.0) on every viewer request, with the configured bounds in its code', () => {
    // Act
    const associations = distributionConfig(template).DefaultCacheBehavior.FunctionAssociations;
    const edgeFunction = resourcesOf(template)[associations[0].FunctionARN['Fn::GetAtt'][0]]!;

    // Assess
    expect(associations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } },
    ]);
    expect(edgeFunction.Type).toBe('AWS::CloudFront::Function');
    expect(edgeFunction.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(edgeFunction.Properties.AutoPublish).toBe(true);
    expect(edgeFunction.Properties.FunctionCode).toBe(
      renditionEdgeCode({ maxEdgePx: 4096, sizes: DEFAULT_RENDITION_SIZES }),
    );
    expect(imageEdgeFunctions(template)).toHaveLength(1);
  });

  it('keeps query strings, headers (Accept among them) and cookies out of the cache key', () => {
    // Act
    const policyId = distributionConfig(template).DefaultCacheBehavior.CachePolicyId.Ref;
    const policy = resourcesOf(template)[policyId]!.Properties.CachePolicyConfig;

    // Assess
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      QueryStringsConfig: { QueryStringBehavior: 'none' },
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
    });
    expect(distributionConfig(template).DefaultCacheBehavior.OriginRequestPolicyId).toBeUndefined();
  });
});
