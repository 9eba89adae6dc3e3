import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { CDN_SECURITY_HEADERS } from '../edge-contract';

const hstsMaxAgeSeconds = Number(/max-age=(\d+)/.exec(CDN_SECURITY_HEADERS['strict-transport-security'])![1]);

/**
 * The headers the CDN adds to every object (the same `CDN_SECURITY_HEADERS` local mode
 * sends): no MIME sniffing, a CSP that forbids any script or plugin even in a polyglot file,
 * HSTS, no referrer, and CORS/CORP so any origin can embed or fetch the images.
 */
export class CdnResponseHeaders extends Construct {
  readonly policy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.policy = new cloudfront.ResponseHeadersPolicy(this, 'Policy', {
      comment: 's3-image-proxy: nosniff, sandboxing CSP, HSTS, CORS for <img> and fetch from any origin',
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: CDN_SECURITY_HEADERS['content-security-policy'],
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(hstsMaxAgeSeconds),
          includeSubdomains: CDN_SECURITY_HEADERS['strict-transport-security'].includes('includeSubDomains'),
          override: true,
        },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Cross-Origin-Resource-Policy',
            value: CDN_SECURITY_HEADERS['cross-origin-resource-policy'],
            override: true,
          },
        ],
      },
      corsBehavior: {
        accessControlAllowOrigins: [CDN_SECURITY_HEADERS['access-control-allow-origin']],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
    });
  }
}
