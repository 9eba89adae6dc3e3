import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { privateKeyNotFoundCode } from '../../infra/constructs/image-cdn';
import { PRIVATE_KEY_PREFIX } from '../../lambdas/core/object-namespace';
import {
  bucketPolicyStatements,
  DISABLED_CONTEXT,
  distributionConfig,
  imageEdgeFunctions,
  imageOrigins,
} from './support/cdn-renditions-template';
import { onSynthesized } from './support/synth';
import { logicalIdOf, objectArn, type Resources } from './support/template-queries';

describe('renditions at the CDN turned off (renditions.enabled=false)', () => {
  let template: Template;
  // Prepare (synthesized once for the run: support/synth.ts)
  onSynthesized(DISABLED_CONTEXT, (synthesized) => ({ template } = synthesized));

  it('adds no Vary to objects, which never vary by Accept', () => {
    // Act
    const [policy] = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy') as Resources,
    );

    // Assess
    expect(
      policy!.Properties.ResponseHeadersPolicyConfig.CustomHeadersConfig.Items.map(
        (item: { Header: string }) => item.Header,
      ),
    ).not.toContain('Vary');
  });

  it('creates no rendering function, no function URL, no Lambda OAC and no origin group', () => {
    // Assess
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('Render')),
    ).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Url', 0);
    // One OAC for the images bucket, one for the console's assets.
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 2);
    const config = distributionConfig(template);
    expect(config.OriginGroups).toBeUndefined();
    expect(imageOrigins(config)).toHaveLength(1);
    expect(config.DefaultCacheBehavior.FunctionAssociations).toBeUndefined();
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(imageOrigins(config)[0]!.Id);
  });

  it('has no rendition edge function, only the one that answers private paths 404 on a /_* behaviour', () => {
    // Act
    const functions = imageEdgeFunctions(template);
    const [behavior] = distributionConfig(template).CacheBehaviors;

    // Assess
    expect(functions).toHaveLength(1);
    const [id, edgeFunction] = functions[0]!;
    expect(id).toMatch(/^CdnPrivateKeyNotFound/);
    expect(edgeFunction.Properties.FunctionCode).toBe(privateKeyNotFoundCode());
    expect(edgeFunction.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(behavior).toMatchObject({
      PathPattern: '/_*',
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [id, 'FunctionARN'] } },
      ],
    });
  });

  it('still denies CloudFront every key under _, as before renditions', () => {
    // Act
    const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
    const [deny] = bucketPolicyStatements(template).filter(
      (statement) => statement.Sid === 'DenyCdnReadsOfPrivateKeys',
    );

    // Assess
    expect(deny!.Resource).toEqual(objectArn(bucket, `${PRIVATE_KEY_PREFIX}*`));
  });

  it('grows no alarms for a rendering function that is not there', () => {
    // Act
    const alarmNames = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources).map(
      (alarm) => String(alarm.Properties.AlarmName),
    );

    // Assess
    expect(alarmNames.filter((name) => name.includes('Render'))).toEqual([]);
    expect(alarmNames.length).toBeGreaterThan(0);
  });
});
