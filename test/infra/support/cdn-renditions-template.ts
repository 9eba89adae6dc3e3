import type { Template } from 'aws-cdk-lib/assertions';
import * as renditionModule from '../../../lambdas/core/cdn-rendition';
import * as namespaceModule from '../../../lambdas/core/object-namespace';
import { PRIVATE_KEY_PREFIX } from '../../../lambdas/core/object-namespace';
import { onDefaultCapabilityStack } from './default-capability-stack';
import { TWO_CLIENTS_CONTEXT } from './synth';
import { distributionArnOf, logicalIdOf, type Resources } from './template-queries';

// No bundling: the wiring does not depend on the code (lambda-packaging.test.ts bundles it).

/** A configuration unlike the defaults in every field, so each one is seen to reach the template. */
export const CUSTOM_CONTEXT = {
  ...TWO_CLIENTS_CONTEXT,
  renditions: {
    maxEdgePx: 1999,
    sizes: [777, 333, 1999],
    expirationDays: 9,
    originShieldRegion: 'eu-central-1',
  },
};
export const DISABLED_CONTEXT = { ...TWO_CLIENTS_CONTEXT, renditions: { enabled: false } };

/**
 * Every private key prefix the service defines (a string export starting with `_` and ending
 * with `/`) in the modules that name them: a prefix added later is found here too.
 */
export const PRIVATE_PREFIXES = [
  ...Object.values<unknown>(namespaceModule),
  ...Object.values<unknown>(renditionModule),
].filter(
  (value): value is string =>
    typeof value === 'string' && value.startsWith(PRIVATE_KEY_PREFIX) && value.endsWith('/'),
);

export const resourcesOf = (template: Template) => template.toJSON().Resources as Resources;

/** The one distribution's config. */
export function distributionConfig(template: Template): Record<string, any> {
  const id = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
  return resourcesOf(template)[id]!.Properties.DistributionConfig;
}

/** The distribution's ARN as the template renders it (the SourceArn of its permissions and grants). */
export function distributionArn(template: Template): unknown {
  return distributionArnOf(logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution'));
}

/** The statements of the image bucket's policy. */
export function bucketPolicyStatements(template: Template): Array<Record<string, any>> {
  const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
  const [policy] = Object.values(
    template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucket } } }) as Resources,
  );
  return policy!.Properties.PolicyDocument.Statement;
}

/** The distribution's origins but the console's assets bucket (docs/console.md). */
export function imageOrigins(config: Record<string, any>): Record<string, any>[] {
  return config.Origins.filter(
    (origin: Record<string, any>) => !JSON.stringify(origin.DomainName).includes('ConsoleAssets'),
  );
}

/** CloudFront Functions but the console's own (which maps /console/ to its index). */
export function imageEdgeFunctions(template: Template): [string, Record<string, any>][] {
  return Object.entries(template.findResources('AWS::CloudFront::Function') as Resources).filter(
    ([id]) => !id.startsWith('Console'),
  );
}

/** The default-config stack (support/default-capability-stack.ts) and the ids the rendition tests look up in it. */
export interface DefaultRenditionStack {
  readonly template: Template;
  readonly renderFunction: string;
  readonly functionUrl: string;
  readonly bucket: string;
}

/** Registers a `beforeAll` that hands the default-config stack's rendition ids to `assign` (a describe block's variables). */
export function onDefaultRenditionStack(assign: (stack: DefaultRenditionStack) => unknown): void {
  onDefaultCapabilityStack(({ template, bucket }) =>
    assign({
      template,
      bucket,
      renderFunction: logicalIdOf(template, 'AWS::Lambda::Function', 'RenderFunction'),
      functionUrl: logicalIdOf(template, 'AWS::Lambda::Url', 'RenderFunction'),
    }),
  );
}
