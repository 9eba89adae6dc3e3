import { Duration, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CDN_SECURITY_HEADERS } from '../edge-contract';
import type { CdnRenditions } from './cdn-renditions';
import { CdnResponseHeaders } from './cdn-response-headers';

export interface ImageCdnProps {
  /** The private bucket the CDN serves, read through Origin Access Control. */
  readonly bucket: s3.IBucket;
  /**
   * Where CloudFront standard logs go (under `cdn/`); the bucket must accept ACL grants.
   * @default - no CDN access logs
   */
  readonly logBucket?: s3.IBucket;
  /**
   * Edge locations served; a larger class costs more per GB in some regions.
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * A custom domain (`images.example.com`) instead of `dxxxx.cloudfront.net`.
   * @default - the distribution's own domain
   */
  readonly domainName?: string;
  /**
   * ACM certificate (in us-east-1) covering `domainName`; required with it.
   * @default - none
   */
  readonly certificate?: acm.ICertificate;
  /**
   * ARN of a WAFv2 web ACL (scope CLOUDFRONT) to attach.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Countries (ISO 3166-1 alpha-2) allowed to fetch; others get 403.
   * @default - no geo restriction
   */
  readonly geoAllowlist?: readonly string[];
  /**
   * Renditions made at the CDN: the default behaviour runs their viewer-request function and
   * falls back from the bucket to their rendering function, with Origin Shield in front of both
   * origins when they name a region.
   * @default - objects only; viewer requests for private `/_…` paths are answered 404 at the edge
   */
  readonly renditions?: CdnRenditions;
}

/**
 * The viewer-request function of the `/_*` behaviour when there are no renditions (whose edge
 * function does the same): a private key is answered 404, as if absent, with the JSON body and
 * headers of the CDN's other errors (infra/local/cdn-stand-in.ts answers it the same way),
 * instead of S3's AccessDenied 403.
 */
export function privateKeyNotFoundCode(): string {
  const headers = Object.fromEntries(
    Object.entries({
      ...CDN_SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    }).map(([name, value]) => [name, { value }]),
  );
  return [
    'function handler(event) {',
    `  var body = JSON.stringify({ error: 'NOT_FOUND', message: 'no such object', requestId: event.context.requestId });`,
    `  return { statusCode: 404, statusDescription: 'Not Found', headers: ${JSON.stringify(headers)},`,
    `    body: { encoding: 'text', data: body } };`,
    '}',
  ].join('\n');
}

/**
 * CloudFront in front of the private bucket: HTTPS only, OAC (SigV4) to S3, long caching of
 * immutable content-addressed objects, compression, and the security response headers. With
 * `renditions`, a miss falls back to their rendering function (OAC to its function URL).
 */
export class ImageCdn extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<custom domain or distribution domain>`, no trailing slash. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: ImageCdnProps) {
    super(scope, id);
    if ((props.domainName === undefined) !== (props.certificate === undefined)) {
      throw new Error(
        `ImageCdn: domainName and certificate go together, got domainName=${props.domainName ?? 'none'}`,
      );
    }
    const { renditions } = props;
    const objects = S3BucketOrigin.withOriginAccessControl(props.bucket, {
      ...(renditions?.originShieldRegion !== undefined && {
        originShieldRegion: renditions.originShieldRegion,
      }),
    });
    const imageBehavior = this.imageBehavior(renditions !== undefined);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 's3-image-proxy images',
      defaultBehavior: {
        ...imageBehavior,
        ...(renditions
          ? { origin: renditions.originGroup(objects), functionAssociations: renditions.functionAssociations }
          : { origin: objects }),
      },
      ...distributionSettings(props),
    });
    this.baseUrl = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
    if (renditions === undefined) this.answerPrivateKeysNotFound(objects, imageBehavior);
    acknowledgeProtectionsLeftOut(this.distribution, props);
  }

  /** How images are served: HTTPS, GET and HEAD, cached as immutable, compressed, with the security headers. */
  private imageBehavior(varyByAccept: boolean): cloudfront.AddBehaviorOptions {
    const cachePolicy = new cloudfront.CachePolicy(this, 'ImmutableObjects', {
      comment: 's3-image-proxy: content-addressed objects never change under their key',
      // Objects carry Cache-Control: public, max-age=31536000, immutable; the TTLs honour it.
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    return {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      // Nothing the viewer sends is in the cache key: with renditions, the viewer-request
      // function has moved the canonical rendition (format=auto resolved from Accept) into the URI.
      cachePolicy,
      responseHeadersPolicy: new CdnResponseHeaders(this, 'ResponseHeaders', { varyByAccept }).policy,
      compress: true,
    };
  }

  /**
   * Without renditions, `/_…` gets its own behaviour whose viewer-request function answers 404:
   * only those requests run the function (and pay for it); they never reach S3.
   */
  private answerPrivateKeysNotFound(
    objects: cloudfront.IOrigin,
    imageBehavior: cloudfront.AddBehaviorOptions,
  ): void {
    this.distribution.addBehavior('/_*', objects, {
      ...imageBehavior,
      functionAssociations: [
        {
          function: new cloudfront.Function(this, 'PrivateKeyNotFound', {
            comment: 's3-image-proxy: private keys (/_…) are answered 404, never read from the bucket',
            runtime: cloudfront.FunctionRuntime.JS_2_0,
            code: cloudfront.FunctionCode.fromInline(privateKeyNotFoundCode()),
          }),
          eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
        },
      ],
    });
  }
}

/** The distribution's settings besides its behaviours: errors, protocol, prices, domain, logs, WAF, geo. */
function distributionSettings(props: ImageCdnProps): Omit<cloudfront.DistributionProps, 'defaultBehavior'> {
  return {
    // A missing object is a 403 from S3 (the CDN may not list): cache it briefly only,
    // so an object uploaded after a miss shows up within seconds.
    errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(10) })),
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
    ...(props.domainName !== undefined && {
      domainNames: [props.domainName],
      certificate: props.certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    }),
    ...(props.logBucket && { enableLogging: true, logBucket: props.logBucket, logFilePrefix: 'cdn/' }),
    ...(props.webAclArn !== undefined && { webAclId: props.webAclArn }),
    ...(props.geoAllowlist !== undefined && {
      geoRestriction: cloudfront.GeoRestriction.allowlist(...props.geoAllowlist),
    }),
  };
}

/** The cdk-nag findings of the protections the ops left out (custom domain's TLS policy, geo, WAF), with why. */
function acknowledgeProtectionsLeftOut(distribution: cloudfront.Distribution, props: ImageCdnProps): void {
  if (props.domainName === undefined) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose viewer security policy ' +
        'CloudFront fixes and which cannot be raised; the service itself is HTTPS-only (HTTP redirects). ' +
        'Set domainName + certificateArn to enforce TLSv1.2_2021.',
    });
  }
  if (props.geoAllowlist === undefined) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The CDN serves images to AI providers and bots whose fetchers run in many countries; a geo restriction would ' +
        'break them unpredictably. Ops who know their consumers can set geoAllowlist.',
    });
  }
  if (props.webAclArn === undefined) {
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The CDN serves static, immutable objects from a private bucket (GET/HEAD only, no origin logic to attack); ' +
        'CloudFront Shield Standard covers volumetric attacks. A WAF web ACL costs a fixed monthly fee per ACL and rule, ' +
        'so it is opt-in: set webAclArn to attach one.',
    });
  }
}
