import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { renditionEdgeCode } from '../../infra/edge/rendition-edge';
import { ENV } from '../../lambdas/adapters/env-names';
import { CDN_RENDITION_PREFIX } from '../../lambdas/core/cdn-rendition';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import {
  CUSTOM_CONTEXT,
  distributionConfig,
  imageOrigins,
  resourcesOf,
} from './support/cdn-renditions-template';
import { onSynthesized } from './support/synth';
import { logicalIdOf, type Resources } from './support/template-queries';

describe('renditions at the CDN (every setting changed)', () => {
  let template: Template;
  // Prepare (synthesized once for the run: support/synth.ts)
  onSynthesized(CUSTOM_CONTEXT, (synthesized) => ({ template } = synthesized));

  it('writes the same bounds into the edge function and the rendering function’s environment', () => {
    // Act
    const [edgeFunction] = Object.values(template.findResources('AWS::CloudFront::Function') as Resources);
    const code = String(edgeFunction!.Properties.FunctionCode);
    const render = resourcesOf(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'RenderFunction')]!;
    const environment = render.Properties.Environment.Variables;

    // Assess
    expect(environment).toMatchObject({
      [ENV.renditionMaxEdgePx]: '1999',
      [ENV.renditionSizes]: '333,777,1999',
    });
    expect(code).toBe(renditionEdgeCode({ maxEdgePx: 1999, sizes: [333, 777, 1999] }));
    // What the function reads back from its environment is what the edge was given.
    expect(code).toBe(renditionEdgeCode(loadRenditionBounds(environment)));
    expect(code).toContain('1999');
    expect(code).toContain('777');
  });

  it('puts an Origin Shield in the configured region in front of both origins', () => {
    // Assess
    const origins = imageOrigins(distributionConfig(template));
    expect(origins).toHaveLength(2);
    for (const origin of origins)
      expect(origin.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: 'eu-central-1' });
  });

  it('expires stored renditions after the configured days', () => {
    // Act
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
    const rules = resourcesOf(template)[bucket]!.Properties.LifecycleConfiguration.Rules;

    // Assess
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: CDN_RENDITION_PREFIX, ExpirationInDays: 9 }),
    );
  });
});
