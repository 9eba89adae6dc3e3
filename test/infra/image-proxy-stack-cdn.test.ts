import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CDN_SECURITY_HEADERS } from '../../infra/edge-contract';
import { onBundledStack } from './support/bundled-stack';
import type { Resources } from './support/template-queries';

describe('ImageProxyStack', () => {
  let template: Template, imagesBucket: string, cdnLogBucket: string;
  // Prepare (the one synthesis with esbuild bundling, shared by the run: support/synth.ts)
  onBundledStack((stack) => ({ template, imagesBucket, cdnLogBucket } = stack));

  describe('CDN', () => {
    it('reads the bucket through Origin Access Control, never an OAI', () => {
      // Assess (the others are the rendering function's, cdn-renditions-caching.test.ts, and the console's, console-site.test.ts)
      template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 3);
      template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: Match.arrayWith([
            Match.objectLike({
              DomainName: { 'Fn::GetAtt': [imagesBucket, 'RegionalDomainName'] },
              OriginAccessControlId: Match.anyValue(),
              S3OriginConfig: { OriginAccessIdentity: '' },
            }),
          ]),
        }),
      });
    });

    it('redirects HTTP to HTTPS, compresses, caches GET/HEAD and logs to its own log bucket', () => {
      // Assess
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            Compress: true,
            AllowedMethods: ['GET', 'HEAD'],
          }),
          Logging: { Bucket: { 'Fn::GetAtt': [cdnLogBucket, 'RegionalDomainName'] }, Prefix: 'cdn/' },
          PriceClass: 'PriceClass_100',
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          MaxTTL: 365 * 24 * 3600,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
            EnableAcceptEncodingBrotli: true,
            EnableAcceptEncodingGzip: true,
            QueryStringsConfig: { QueryStringBehavior: 'none' },
          }),
        }),
      });
    });

    it('adds nosniff, the sandboxing CSP and CORS for any origin to every response', () => {
      // Act
      const [policy] = Object.values(
        template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources,
      );
      const config = policy!.Properties.ResponseHeadersPolicyConfig;

      // Assess
      expect(config.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
      expect(config.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: "default-src 'none'; sandbox",
        Override: true,
      });
      expect(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toBe(
        CDN_SECURITY_HEADERS['content-security-policy'],
      );
      expect(config.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({
        AccessControlMaxAgeSec: 31_536_000,
        IncludeSubdomains: true,
      });
      expect(config.CorsConfig).toMatchObject({
        AccessControlAllowOrigins: { Items: ['*'] },
        AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
        AccessControlAllowCredentials: false,
      });
      expect(config.CustomHeadersConfig.Items).toContainEqual({
        Header: 'Cross-Origin-Resource-Policy',
        Value: 'cross-origin',
        Override: true,
      });
    });
  });
});
