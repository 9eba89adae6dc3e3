import { catalogueStatements } from './support/catalogue-statements';
import './support/isolated-home';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Stage } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/adapters/env-names';
import { BINARY_MEDIA_TYPES, CDN_SECURITY_HEADERS } from '../../infra/edge-contract';
import { LAMBDA_ENTRIES } from '../../infra/lambda-bundling';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { distributionArnOf, logicalIdOf, type Resources } from './support/template-queries';

describe('ImageProxyStack', () => {
  let template: Template;
  let assetOutdir: string;
  let imagesBucket: string;
  let logBucket: string;
  let cdnLogBucket: string;

  beforeAll(() => {
    // Prepare (the one synthesis with esbuild bundling, shared by the run: support/synth.ts)
    const synthesized = synthesize(TWO_CLIENTS_CONTEXT, { bundle: true });
    template = synthesized.template;
    assetOutdir = (Stage.of(synthesized.stack) as App).outdir;
    imagesBucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
    logBucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageServerAccessLogs');
    cdnLogBucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageCdnLogs');
    // Six functions bundled by esbuild: past a minute on a shared 2-core host.
  }, 240_000);

  describe('storage', () => {
    it('blocks all public access, encrypts and retains the four buckets by default', () => {
      // Act
      const buckets = template.findResources('AWS::S3::Bucket') as Resources;

      // Assess
      // Images, its access logs, the CDN's logs, and the console's assets (console-site.test.ts).
      expect(Object.keys(buckets)).toHaveLength(4);
      for (const bucket of Object.values(buckets)) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ]);
        expect(bucket.DeletionPolicy).toBe('Retain');
      }
    });

    it('logs image bucket access to the log bucket and aborts stale multipart uploads', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: 's3/' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            }),
          ]),
        },
      });
    });

    it('sets no ACL anywhere (cfn-lint W3045): S3 delivers its access logs under the log bucket’s policy, with ACLs disabled', () => {
      // Act
      const buckets = template.findResources('AWS::S3::Bucket') as Resources;
      const logPolicy = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources).find(
        (policy) => policy.Properties.Bucket.Ref === logBucket,
      );

      // Assess
      for (const bucket of Object.values(buckets)) expect(bucket.Properties.AccessControl).toBeUndefined();
      expect(buckets[logBucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
      expect(buckets[imagesBucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
      expect(logPolicy!.Properties.PolicyDocument.Statement).toContainEqual({
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [imagesBucket, 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logBucket, 'Arn'] }, '/s3/*']] },
      });
      // CloudFront's standard logging writes with an ACL grant it adds itself: only its own bucket allows ACLs.
      expect(buckets[cdnLogBucket]!.Properties.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }],
      });
    });

    it('denies every request without TLS on every bucket', () => {
      // Act
      const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources);

      // Assess
      expect(policies.map((policy) => policy.Properties.Bucket)).toEqual(
        expect.arrayContaining([{ Ref: imagesBucket }, { Ref: logBucket }, { Ref: cdnLogBucket }]),
      );
      for (const policy of policies) {
        const bucket = policy.Properties.Bucket.Ref as string;
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual({
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Resource: [
            { 'Fn::GetAtt': [bucket, 'Arn'] },
            { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] },
          ],
        });
      }
    });

    it('allows reads of images only to this distribution through CloudFront', () => {
      // Act
      const [policy] = Object.values(
        template.findResources('AWS::S3::BucketPolicy', {
          Properties: { Bucket: { Ref: imagesBucket } },
        }) as Resources,
      );
      const allows = policy!.Properties.PolicyDocument.Statement.filter(
        (statement: { Effect: string }) => statement.Effect === 'Allow',
      );

      // Assess
      const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
      expect(allows).toEqual([
        {
          Action: 's3:GetObject',
          Condition: {
            StringEquals: {
              'AWS:SourceArn': distributionArnOf(distribution),
            },
          },
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [imagesBucket, 'Arn'] }, '/*']] },
        },
      ]);
    });
  });

  describe('CDN', () => {
    it('reads the bucket through Origin Access Control, never an OAI', () => {
      // Assess (the others are the rendering function's, cdn-renditions.test.ts, and the console's, console-site.test.ts)
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

  describe('API', () => {
    it('requires an API key on every method but GET /health and GET /openapi.json', () => {
      // Act
      const all = Object.values(template.findResources('AWS::ApiGateway::Method') as Resources);
      // CORS preflights (the console's origin) take no key, as browsers send none: api-cors.test.ts.
      const preflights = all.filter((method) => method.Properties.HttpMethod === 'OPTIONS');
      for (const method of preflights) expect(method.Properties.ApiKeyRequired).toBe(false);
      const methods = all.filter((method) => method.Properties.HttpMethod !== 'OPTIONS');
      const publicResources = new Set([
        logicalIdOf(template, 'AWS::ApiGateway::Resource', 'Apihealth'),
        logicalIdOf(template, 'AWS::ApiGateway::Resource', 'Apiopenapijson'),
      ]);
      const isPublic = (method: (typeof methods)[number]) =>
        publicResources.has(method.Properties.ResourceId?.Ref);

      // Assess
      expect(
        methods
          .filter(isPublic)
          .map((method) => [method.Properties.HttpMethod, method.Properties.ApiKeyRequired])
          .sort(),
      ).toEqual([
        ['GET', false],
        ['GET', false],
      ]);
      const others = methods.filter((method) => !isPublic(method));
      expect(others.length).toBeGreaterThanOrEqual(2);
      for (const method of others) expect(method.Properties.ApiKeyRequired).toBe(true);
    });

    it('answers GET /openapi.json from the objects function, with no key and no authorizer', () => {
      // Prepare
      const objects = logicalIdOf(template, 'AWS::Lambda::Function', 'ObjectsFunction');
      const [resource] = Object.keys(
        template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'openapi.json' } }),
      );

      // Assess
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        ResourceId: { Ref: resource },
        AuthorizationType: 'NONE',
        ApiKeyRequired: false,
        Integration: Match.objectLike({
          Type: 'AWS_PROXY',
          Uri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [objects, 'Arn'] }])] }),
        }),
      });
    });

    it('routes POST /uploads and POST / to the upload function, with the JSON body validated (image or sourceUrl)', () => {
      // Prepare
      const upload = logicalIdOf(template, 'AWS::Lambda::Function', 'UploadFunction');
      const [uploads] = Object.keys(
        template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'uploads' } }),
      );
      const api = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api');

      // Assess
      for (const resourceId of [{ Ref: uploads }, { 'Fn::GetAtt': [api, 'RootResourceId'] }]) {
        template.hasResourceProperties('AWS::ApiGateway::Method', {
          HttpMethod: 'POST',
          ResourceId: resourceId,
          ApiKeyRequired: true,
          RequestValidatorId: Match.anyValue(),
          RequestModels: { 'application/json': Match.anyValue() },
          Integration: Match.objectLike({
            Type: 'AWS_PROXY',
            Uri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [upload, 'Arn'] }])] }),
          }),
        });
      }
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: Match.objectLike({
          title: 'UploadRequest',
          anyOf: [{ required: ['image'] }, { required: ['sourceUrl'] }],
          properties: Match.objectLike({
            image: { type: ['string', 'null'] },
            sourceUrl: { type: ['string', 'null'] },
            sourceHeaders: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
          }),
        }),
      });
      const [uploadModel] = Object.values(
        template.findResources('AWS::ApiGateway::Model', {
          Properties: { Schema: { title: 'UploadRequest' } },
        }),
      );
      expect(uploadModel?.Properties.Schema.required).toBeUndefined();
    });

    it('answers GET /health itself with {"status":"ok"}', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'GET',
        AuthorizationType: 'NONE',
        ApiKeyRequired: false,
        Integration: Match.objectLike({
          Type: 'MOCK',
          IntegrationResponses: [
            Match.objectLike({
              StatusCode: '200',
              ResponseTemplates: { 'application/json': '{"status":"ok"}' },
            }),
          ],
        }),
      });
    });

    it('passes raw image bodies through as binary media types', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        BinaryMediaTypes: [...BINARY_MEDIA_TYPES],
      });
    });

    it('writes a JSON access log line per request to a log group with retention', () => {
      // Act
      const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage') as Resources);
      const format = JSON.parse(stage!.Properties.AccessLogSetting.Format);

      // Assess
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'ApiAccessLogs');
      // The log group's ARN without the ":*" of GetAtt (@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
      expect(JSON.stringify(stage!.Properties.AccessLogSetting.DestinationArn)).toContain(
        `{"Ref":"${logGroup}"}`,
      );
      expect(format).toMatchObject({
        service: 'S3ImageProxy',
        requestId: '$context.requestId',
        apiKeyId: '$context.identity.apiKeyId',
        status: '$context.status',
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it.each([
      ['INVALID_API_KEY', '403', 'FORBIDDEN'],
      ['MISSING_AUTHENTICATION_TOKEN', '404', 'ROUTE_NOT_FOUND'],
      ['REQUEST_TOO_LARGE', '413', 'PAYLOAD_TOO_LARGE'],
      ['THROTTLED', '429', 'THROTTLED'],
      ['QUOTA_EXCEEDED', '429', 'QUOTA_EXCEEDED'],
      ['DEFAULT_5XX', undefined, 'INTERNAL_ERROR'],
    ])('answers the gateway response %s with status %s and the JSON error %s', (type, status, code) => {
      // Act
      const [response] = Object.values(
        template.findResources('AWS::ApiGateway::GatewayResponse', {
          Properties: { ResponseType: type },
        }) as Resources,
      );
      const body = JSON.parse(response!.Properties.ResponseTemplates['application/json']);

      // Assess
      expect(response!.Properties.StatusCode).toBe(status);
      expect(body).toEqual({ error: code, message: expect.any(String), requestId: '$context.requestId' });
    });

    it('tells throttled clients when to retry', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'THROTTLED',
        ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Retry-After': "'1'" }),
      });
    });

    it('gives each client a usage plan with the configured throttle and quota', () => {
      // Assess
      template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 5, BurstLimit: 10 },
        Quota: { Limit: 1000, Period: 'DAY' },
        ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
      });
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Throttle: { RateLimit: 20, BurstLimit: 40 },
        Quota: Match.absent(),
      });
    });
  });

  it('bundles one function per capability, each from its own code asset', () => {
    // Prepare
    const names = {
      upload: 'Upload',
      presign: 'Presign',
      objects: 'Objects',
      checkUpload: 'CheckUpload',
      render: 'Render',
      reconcile: 'CatalogueReconciler',
    } as const;

    // Act
    const functions = Object.keys(LAMBDA_ENTRIES).map(
      (entry) =>
        (template.toJSON().Resources as Resources)[
          logicalIdOf(template, 'AWS::Lambda::Function', `${names[entry as keyof typeof names]}Function`)
        ]!,
    );

    // Assess
    const assets = functions.map((fn) => JSON.stringify(fn.Properties.Code.S3Key));
    expect(new Set(assets).size).toBe(Object.keys(LAMBDA_ENTRIES).length);
    for (const fn of functions)
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
  });

  it('bundles the SDK without its default credential chain (Lambda has the role in its environment)', () => {
    // Prepare
    const upload = (template.toJSON().Resources as Resources)[
      logicalIdOf(template, 'AWS::Lambda::Function', 'UploadFunction')
    ]!;
    const assetHash = String(upload.Properties.Code.S3Key).replace(/\.zip$/, '');

    // Act
    const code = readFileSync(join(assetOutdir, `asset.${assetHash}`, 'index.js'), 'utf8');

    // Assess
    expect(code).toContain('CREDENTIALS_ENV_VARS');
    expect(code).not.toContain('@aws-sdk/credential-provider-sso');
    expect(code).not.toContain('@aws-sdk/credential-provider-ini');
  });

  describe('upload function', () => {
    it('runs Node.js 24 on arm64 with its own log group and the shared environment names', () => {
      // Prepare
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'UploadFunctionLogs');
      const alice = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', 'Clientsalice');
      const bob = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', 'Clientsbobbot');

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: Match.objectLike({ LogGroup: { Ref: logGroup } }),
        Environment: {
          Variables: {
            [ENV.bucketName]: { Ref: imagesBucket },
            [ENV.publicBaseUrl]: {
              'Fn::Join': [
                '',
                ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdnDistribution'), 'DomainName'] }],
              ],
            },
            [ENV.clientKeyIds]: {
              'Fn::Join': [
                ',',
                [
                  { 'Fn::Join': ['=', ['alice', { Ref: alice }]] },
                  { 'Fn::Join': ['=', ['bob-bot', { Ref: bob }]] },
                ],
              ],
            },
            [ENV.maxImageBytes]: '4400000',
          },
        },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('holds exactly s3:GetObject and s3:PutObject on the image objects, ListBucket, its catalogue record actions and the key secret, and log writes to its own group', () => {
      // Prepare
      const role = logicalIdOf(template, 'AWS::IAM::Role', 'UploadFunctionRole');
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'UploadFunctionLogs');

      // Act
      const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter(
        (policy) => policy.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role),
      );
      const roleResource = (template.toJSON().Resources as Resources)[role];

      // Assess
      expect(policies).toHaveLength(1);
      expect(policies[0]!.Properties.PolicyDocument.Statement).toEqual([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
        },
        {
          Action: ['s3:GetObject', 's3:PutObject'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [imagesBucket, 'Arn'] }, '/*']] },
        },
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [imagesBucket, 'Arn'] } },
        ...catalogueStatements(template, 'record', true),
      ]);
      expect(roleResource!.Properties.ManagedPolicyArns).toBeUndefined();
    });
  });

  it('outputs the API URL, the CDN base URL and, per client, its key id and the command that reads the key', () => {
    // Prepare
    const alice = logicalIdOf(template, 'AWS::ApiGateway::ApiKey', 'Clientsalice');
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assess
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'ApiUrl',
        'CdnBaseUrl',
        'CdnDistributionDomain',
        'ConsoleUrl',
        'UploadCheckFailuresQueueUrl',
        'DashboardUrl',
        'ApiKeyIdAlice',
        'ApiKeyCommandAlice',
        'ApiKeyIdBobBot',
        'ApiKeyCommandBobBot',
      ].sort(),
    );
    const api = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api');
    const stage = logicalIdOf(template, 'AWS::ApiGateway::Stage', 'ApiDeploymentStage');
    expect(outputs.ApiUrl!.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: api },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          '/',
          { Ref: stage },
          '/',
        ],
      ],
    });
    expect(outputs.CdnBaseUrl!.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          {
            'Fn::GetAtt': [
              logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution'),
              'DomainName',
            ],
          },
        ],
      ],
    });
    expect(outputs.UploadCheckFailuresQueueUrl!.Value).toEqual({
      Ref: logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures'),
    });
    expect(outputs.ApiKeyIdAlice!.Value).toEqual({ Ref: alice });
    expect(outputs.ApiKeyCommandAlice!.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'aws apigateway get-api-key --api-key ',
          { Ref: alice },
          ' --include-value --query value --output text --region ',
          { Ref: 'AWS::Region' },
        ],
      ],
    });
  });
});
