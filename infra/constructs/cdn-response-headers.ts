import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { CDN_RENDITION_VARY, CDN_SECURITY_HEADERS } from '../edge-contract';

const hstsMaxAgeSeconds = Number(/max-age=(\d+)/.exec(CDN_SECURITY_HEADERS['strict-transport-security'])![1]);

export interface CdnResponseHeadersProps {
  /**
   * Whether answers say `Vary: Accept` (`CDN_RENDITION_VARY`): needed when renditions are on,
   * since `?format=auto` answers by the viewer's `Accept`. A policy applies to a whole cache
   * behaviour, and the behaviour serves objects and renditions alike, so both get it.
   * @default false
   */
  readonly varyByAccept?: boolean;
}

/**
 * The headers the CDN adds to every object (the same `CDN_SECURITY_HEADERS` local mode
 * sends): no MIME sniffing, a CSP that forbids any script or plugin even in a polyglot file,
 * HSTS, no referrer, CORS/CORP so any origin can embed or fetch the images, and with
 * renditions `Vary: Accept`.
 */
export class CdnResponseHeaders extends Construct {
  readonly policy: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: CdnResponseHeadersProps = {}) {
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
          ...(props.varyByAccept ? [{ header: 'Vary', value: CDN_RENDITION_VARY.vary, override: true }] : []),
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
