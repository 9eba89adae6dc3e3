import './support/isolated-home';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CDN_DENIED_KEY_PREFIXES, RENDER_FUNCTION_TIMEOUT } from '../../infra/constructs/cdn-renditions';
import { privateKeyNotFoundCode } from '../../infra/constructs/image-cdn';
import { renditionEdgeCode } from '../../infra/edge/rendition-edge';
import { CDN_SECURITY_HEADERS } from '../../infra/edge-contract';
import { ENV } from '../../lambdas/adapters/env-names';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';
import * as renditionModule from '../../lambdas/core/cdn-rendition';
import { CDN_RENDITION_PREFIX, DEFAULT_RENDITION_SIZES } from '../../lambdas/core/cdn-rendition';
import { DEFAULT_MAX_DIRECT_UPLOAD_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import * as namespaceModule from '../../lambdas/core/object-namespace';
import { PRIVATE_KEY_PREFIX } from '../../lambdas/core/object-namespace';
import { acknowledgements } from './support/acknowledgements';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import {
  distributionArnOf,
  logicalIdOf,
  objectArn,
  type Resources,
  roleStatements,
} from './support/template-queries';

// No bundling: the wiring does not depend on the code (lambda-packaging.test.ts bundles it).

/** A configuration unlike the defaults in every field, so each one is seen to reach the template. */
const CUSTOM_CONTEXT = {
  ...TWO_CLIENTS_CONTEXT,
  renditions: {
    maxEdgePx: 1999,
    sizes: [777, 333, 1999],
    expirationDays: 9,
    originShieldRegion: 'eu-central-1',
  },
};
const DISABLED_CONTEXT = { ...TWO_CLIENTS_CONTEXT, renditions: { enabled: false } };

/**
 * Every private key prefix the service defines (a string export starting with `_` and ending
 * with `/`) in the modules that name them: a prefix added later is found here too.
 */
const PRIVATE_PREFIXES = [
  ...Object.values<unknown>(namespaceModule),
  ...Object.values<unknown>(renditionModule),
].filter(
  (value): value is string =>
    typeof value === 'string' && value.startsWith(PRIVATE_KEY_PREFIX) && value.endsWith('/'),
);

const resourcesOf = (template: Template) => template.toJSON().Resources as Resources;

/** The one distribution's config. */
function distributionConfig(template: Template): Record<string, any> {
  const id = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
  return resourcesOf(template)[id]!.Properties.DistributionConfig;
}

/** The distribution's ARN as the template renders it (the SourceArn of its permissions and grants). */
function distributionArn(template: Template): unknown {
  return distributionArnOf(logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution'));
}

/** The statements of the image bucket's policy. */
function bucketPolicyStatements(template: Template): Array<Record<string, any>> {
  const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
  const [policy] = Object.values(
    template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucket } } }) as Resources,
  );
  return policy!.Properties.PolicyDocument.Statement;
}

/** Runs the source of a CloudFront Function's handler on `event` (the code is plain ES5.1-style JS). */
function runCloudFrontFunction(code: string, event: unknown): any {
  return new Function(`${code}\nreturn handler;`)()(event);
}

describe('renditions at the CDN (default config)', () => {
  let template: Template;
  let renderFunction: string;
  let functionUrl: string;
  let bucket: string;

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
    renderFunction = logicalIdOf(template, 'AWS::Lambda::Function', 'RenderFunction');
    functionUrl = logicalIdOf(template, 'AWS::Lambda::Url', 'RenderFunction');
    bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
  });

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

  it('lets the render role read objects and list the bucket, write only under _renditions/, never delete, never read unchecked uploads or records', () => {
    // Act
    const statements = roleStatements(template, 'RenderFunctionRole');

    // Assess
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
      { Action: 's3:GetObject', Effect: 'Allow', Resource: objectArn(bucket, '*') },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [bucket, 'Arn'] } },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: objectArn(bucket, `${CDN_RENDITION_PREFIX}*`) },
    ]);
    expect(statements.filter((statement) => statement.Effect === 'Deny')).toEqual([
      {
        Sid: 'NeverRenderUncheckedUploadsOrRecords',
        Action: 's3:GetObject',
        Effect: 'Deny',
        Resource: [objectArn(bucket, '_incoming/*'), objectArn(bucket, '_uploads/*')],
      },
    ]);
    expect(JSON.stringify(statements)).not.toContain('s3:DeleteObject');
  });

  it('lets the objects function list and delete renditions under _renditions/<key>/ when it deletes an object', () => {
    // Act
    const statements = roleStatements(template, 'ObjectsFunctionRole');

    // Assess
    expect(statements).toContainEqual({
      Action: 's3:ListBucket',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [bucket, 'Arn'] },
    });
    expect(statements).toContainEqual({
      Action: ['s3:DeleteObject', 's3:GetObject'],
      Effect: 'Allow',
      Resource: objectArn(bucket, '*'),
    });
    // …and invalidates /<key> and /_renditions/<key>/* on this distribution.
    expect(statements).toContainEqual({
      Action: 'cloudfront:CreateInvalidation',
      Effect: 'Allow',
      Resource: distributionArn(template),
    });
  });

  it('expires stored renditions after 30 days', () => {
    // Act
    const rules = resourcesOf(template)[bucket]!.Properties.LifecycleConfiguration.Rules;

    // Assess
    expect(rules).toContainEqual({
      Id: 'expire-renditions',
      Prefix: CDN_RENDITION_PREFIX,
      ExpirationInDays: 30,
      Status: 'Enabled',
    });
  });

  it('denies CloudFront every private key prefix the service defines, except _renditions/', () => {
    // Act
    const [deny] = bucketPolicyStatements(template).filter(
      (statement) => statement.Sid === 'DenyCdnReadsOfPrivateKeys',
    );
    const denied = [deny!.Resource].flat().map((resource) => JSON.stringify(resource));

    // Assess
    expect(PRIVATE_PREFIXES).toEqual(
      expect.arrayContaining(['_incoming/', '_originals/', '_uploads/', '_renditions/']),
    );
    for (const prefix of PRIVATE_PREFIXES.filter((candidate) => candidate !== CDN_RENDITION_PREFIX)) {
      expect(denied, prefix).toContain(JSON.stringify(objectArn(bucket, `${prefix}*`)));
    }
    expect(denied).toHaveLength(PRIVATE_PREFIXES.length - 1);
    expect([...CDN_DENIED_KEY_PREFIXES].sort()).toEqual(
      PRIVATE_PREFIXES.filter((prefix) => prefix !== CDN_RENDITION_PREFIX).sort(),
    );
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(denied).not.toContain(JSON.stringify(objectArn(bucket, '_*')));
    expect(denied).not.toContain(JSON.stringify(objectArn(bucket, `${CDN_RENDITION_PREFIX}*`)));
  });

  it('puts no Origin Shield in front of either origin unless a region is configured', () => {
    // Assess
    for (const origin of distributionConfig(template).Origins) expect(origin.OriginShield).toBeUndefined();
  });

  it('acknowledges, on the render function only, a missing dead-letter queue (CloudFront invokes it synchronously) and its wildcard S3 grants, each with why', () => {
    // Act
    const acks = acknowledgements(synthesize(TWO_CLIENTS_CONTEXT).stack).filter(
      (ack) =>
        ack.path.startsWith('S3ImageProxy/Render/') &&
        ['Serverless-LambdaDLQ', 'AwsSolutions-IAM5'].some((rule) => ack.rule.startsWith(rule)),
    );

    // Assess
    expect(acks.map((ack) => `${ack.path} ${ack.rule.replace(/<\w+\.Arn>/, '<bucket>')}`).sort()).toEqual([
      'S3ImageProxy/Render/Function AwsSolutions-IAM5[Resource::<bucket>/*]',
      'S3ImageProxy/Render/Function AwsSolutions-IAM5[Resource::<bucket>/_renditions/*]',
      'S3ImageProxy/Render/Function/Function Serverless-LambdaDLQ',
    ]);
    const reasonOf = (rule: RegExp) => acks.find((ack) => rule.test(ack.rule))!.reason;
    expect(reasonOf(/^Serverless-LambdaDLQ$/)).toContain(
      'CloudFront through the function URL (AWS_IAM auth, Origin Access Control)',
    );
    expect(reasonOf(/^AwsSolutions-IAM5\[Resource::<\w+\.Arn>\/\*\]$/)).toMatch(
      /_originals\/<client>\/<name>.*cannot exclude keys.*_incoming\/ and _uploads\/ are denied/,
    );
  });
});

describe('renditions at the CDN (every setting changed)', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare (synthesize throws on any cdk-nag finding nobody acknowledged)
    template = synthesize(CUSTOM_CONTEXT).template;
  });

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

describe('renditions at the CDN turned off (renditions.enabled=false)', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare (synthesize throws on any cdk-nag finding nobody acknowledged)
    template = synthesize(DISABLED_CONTEXT).template;
  });

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

describe('privateKeyNotFoundCode (the /_* viewer-request function without renditions)', () => {
  it('answers 404 with the CDN’s JSON error body, its security headers and no-store, whatever the path', () => {
    // Prepare
    const event = {
      context: { requestId: 'req-1' },
      request: { method: 'GET', uri: '/_originals/alice/a.jpg' },
    };

    // Act
    const response = runCloudFrontFunction(privateKeyNotFoundCode(), event);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body.data)).toEqual({
      error: 'NOT_FOUND',
      message: 'no such object',
      requestId: 'req-1',
    });
    expect(response.body.encoding).toBe('text');
    expect(response.headers['content-type']).toEqual({ value: 'application/json; charset=utf-8' });
    expect(response.headers['cache-control']).toEqual({ value: 'no-store' });
    for (const [name, value] of Object.entries(CDN_SECURITY_HEADERS))
      expect(response.headers[name]).toEqual({ value });
  });
});

/** The distribution's origins but the console's assets bucket (docs/console.md). */
function imageOrigins(config: Record<string, any>): Record<string, any>[] {
  return config.Origins.filter(
    (origin: Record<string, any>) => !JSON.stringify(origin.DomainName).includes('ConsoleAssets'),
  );
}

/** CloudFront Functions but the console's own (which maps /console/ to its index). */
function imageEdgeFunctions(template: Template): [string, Record<string, any>][] {
  return Object.entries(template.findResources('AWS::CloudFront::Function') as Resources).filter(
    ([id]) => !id.startsWith('Console'),
  );
}
