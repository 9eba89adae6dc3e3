import { cliFix } from '../lambdas/settings/setting';
import { listSetting, oneOfSetting, patternSetting } from '../lambdas/settings/setting-kinds';
import { fail, optionalString } from './config-readers';

export type PriceClassName = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

/** A custom CDN domain and its ACM certificate (which CloudFront requires in us-east-1). */
export interface CustomDomainConfig {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** Deploy-only settings of the distribution: where it serves from, who may fetch, what guards it. */
export const cdnSettings = {
  priceClass: oneOfSetting<PriceClassName>({
    contextKey: 'priceClass',
    fallback: 'PriceClass_100',
    allowed: ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'],
    example: 'PriceClass_100',
  }),
  /** ARN of a WAFv2 web ACL (scope CLOUDFRONT, us-east-1) to put in front of the CDN. */
  webAclArn: patternSetting({
    contextKey: 'webAclArn',
    fallback: undefined,
    pattern: /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/,
    expected: 'the ARN of a WAFv2 web ACL of scope CLOUDFRONT (us-east-1, global/webacl/…)',
    fix: 'create the web ACL with scope CLOUDFRONT in us-east-1 and pass its ARN',
  }),
  /** ISO 3166-1 alpha-2 country codes allowed to fetch from the CDN; undefined: everywhere. */
  geoAllowlist: listSetting<string, readonly string[] | undefined>({
    contextKey: 'geoAllowlist',
    fallback: undefined,
    example: 'US,CA,DE',
    empty: { refuse: 'name at least one country, or leave it unset' },
    parseItems: (codes) =>
      codes.map((code) => {
        if (!/^[A-Z]{2}$/.test(code))
          throw new Error(`"${code}" is not an ISO 3166-1 alpha-2 country code (upper case)`);
        return code;
      }),
  }),
};

/** Reads `domainName` and `certificateArn`: both or neither. */
export function readCustomDomain(
  domainValue: unknown,
  certificateValue: unknown,
): CustomDomainConfig | undefined {
  const domainName = optionalString(domainValue, 'domainName', cliFix('domainName', 'images.example.com'));
  const certificateArn = optionalString(
    certificateValue,
    'certificateArn',
    cliFix('certificateArn', 'arn:aws:acm:us-east-1:…'),
  );
  if (domainName === undefined && certificateArn === undefined) return undefined;
  if (
    domainName === undefined ||
    !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domainName)
  ) {
    return fail(
      'domainName',
      'a lower-case DNS name such as images.example.com when certificateArn is set',
      domainValue ?? 'nothing',
      cliFix('domainName', 'images.example.com'),
    );
  }
  if (
    certificateArn === undefined ||
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn)
  ) {
    return fail(
      'certificateArn',
      'the ARN of an ACM certificate in us-east-1 (CloudFront only reads certificates there) when domainName is set',
      certificateValue ?? 'nothing',
      'request or import the certificate in us-east-1 and pass -c certificateArn=arn:aws:acm:us-east-1:<account>:certificate/<id>',
    );
  }
  return { domainName, certificateArn };
}
