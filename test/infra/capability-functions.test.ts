import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/adapters/env-names';
import { DEFAULT_MAX_DIRECT_UPLOAD_BYTES, DEFAULT_MAX_IMAGE_PIXELS } from '../../lambdas/core/limits';
import { QUARANTINE_PREFIX } from '../../lambdas/core/object-namespace';
import { CDN_RENDITION_PREFIX } from '../../lambdas/core/cdn-rendition';
import { CDN_DENIED_KEY_PREFIXES } from '../../infra/constructs/cdn-renditions';
import { MAX_PRESIGN_BATCH_ITEMS, PRESIGNED_PUT_HEADERS } from '../../lambdas/core/presign-request';
import { catalogueStatements } from './support/catalogue-statements';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import {
  distributionArnOf,
  logicalIdOf,
  objectArn,
  roleStatements,
  type Resources,
  type Statement,
} from './support/template-queries';

// No bundling here: grants, environments, routes and triggers do not depend on the code
// (image-proxy-stack.test.ts bundles the real functions once).

type FunctionName = 'Upload' | 'Presign' | 'Objects' | 'CheckUpload';
const FUNCTIONS: readonly FunctionName[] = ['Upload', 'Presign', 'Objects', 'CheckUpload'];

describe('capability functions (default config)', () => {
  let template: Template;
  let bucket: string;
  let bucketArn: unknown;
  let distribution: string;
  /** The console's origin (the CDN's), which the deployment adds to the API's CORS origins itself. */
  const consoleOrigin = {
    'Fn::Join': [
      '',
      ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^CdnDistribution/), 'DomainName'] }],
    ],
  };
  let functionIds: Record<FunctionName, string>;

  const fn = (name: FunctionName) => (template.toJSON().Resources as Resources)[functionIds[name]]!;
  const logsStatement = (name: FunctionName): Statement => ({
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Effect: 'Allow',
    Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}FunctionLogs`), 'Arn'] },
  });

  beforeAll(() => {
    // Prepare
    template = synthesize(TWO_CLIENTS_CONTEXT).template;
    bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'StorageImages');
    bucketArn = { 'Fn::GetAtt': [bucket, 'Arn'] };
    distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
    functionIds = Object.fromEntries(
      FUNCTIONS.map((name) => [name, logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)]),
    ) as Record<FunctionName, string>;
  });

  describe('IAM', () => {
    it('gives the presign function s3:PutObject on _incoming/* and s3:GetObject on the objects (what its URLs may do), and counter updates of its quota table, nothing more', () => {
      // Prepare
      const table = logicalIdOf(template, 'AWS::DynamoDB::Table', 'PresignQuotaTable');

      // Act
      const statements = roleStatements(template, 'PresignFunctionRole');

      // Assess
      expect(statements).toEqual([
        logsStatement('Presign'),
        { Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: { 'Fn::GetAtt': [table, 'Arn'] } },
        { Action: 's3:PutObject', Effect: 'Allow', Resource: objectArn(bucket, `${QUARANTINE_PREFIX}*`) },
        { Action: 's3:GetObject', Effect: 'Allow', Resource: objectArn(bucket, '*') },
      ]);
    });

    it('gives the objects function ListBucket, Get/DeleteObject, an invalidation of this distribution and an invocation of itself only', () => {
      // Act
      const statements = roleStatements(template, 'ObjectsFunctionRole');

      // Assess
      expect(statements).toEqual([
        logsStatement('Objects'),
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: bucketArn },
        // Actions in a statement are sorted (@aws-cdk/aws-iam:minimizePolicies).
        { Action: ['s3:DeleteObject', 's3:GetObject'], Effect: 'Allow', Resource: objectArn(bucket, '*') },
        {
          Action: 'cloudfront:CreateInvalidation',
          Effect: 'Allow',
          Resource: distributionArnOf(distribution),
        },
        // Lists, describes, patches and deletes records; derives no keys, so no secret.
        ...catalogueStatements(template, 'manage', false),
        // Erases a large folder in the background: invokes itself, and no other function.
        {
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [functionIds.Objects, 'Arn'] },
        },
      ]);
    });

    it('keeps the self-invocation in a policy of its own, so the function does not depend on itself', () => {
      // Act
      const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter(
        (policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('lambda:InvokeFunction'),
      );
      const dependsOn = [fn('Objects').DependsOn ?? []].flat();

      // Assess: the objects function's, and the scheduled reconciler's (it hands over erasures too)
      expect(policies).toHaveLength(2);
      for (const policy of policies) expect(policy.Properties.PolicyDocument.Statement).toHaveLength(1);
      expect(dependsOn.some((id: string) => id.startsWith('ObjectsFunctionSelfInvocation'))).toBe(false);
    });

    it('gives the check function Get/PutObject, DeleteObject only in quarantine, ListBucket, and sends to its failure queue', () => {
      // Prepare
      const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures');

      // Act
      const statements = roleStatements(template, 'CheckUploadFunctionRole');

      // Assess
      expect(statements).toEqual([
        logsStatement('CheckUpload'),
        { Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: objectArn(bucket, '*') },
        { Action: 's3:DeleteObject', Effect: 'Allow', Resource: objectArn(bucket, `${QUARANTINE_PREFIX}*`) },
        { Action: 's3:ListBucket', Effect: 'Allow', Resource: bucketArn },
        ...catalogueStatements(template, 'record', true),
        {
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
        },
      ]);
    });

    it.each([
      ['Presign', ['s3:DeleteObject', 's3:ListBucket']],
      ['Objects', ['s3:PutObject']],
      ['Upload', ['s3:DeleteObject']],
    ] as const)('never lets the %s function %j', (name, forbidden) => {
      // Act
      const actions = roleStatements(template, `${name}FunctionRole`).flatMap((statement) =>
        [statement.Action].flat(),
      );

      // Assess
      for (const action of forbidden) expect(actions).not.toContain(action);
    });

    it('attaches no managed policy to any function role', () => {
      // Assess
      for (const name of FUNCTIONS) {
        const role = logicalIdOf(template, 'AWS::IAM::Role', `${name}FunctionRole`);
        expect(
          (template.toJSON().Resources as Resources)[role]!.Properties.ManagedPolicyArns,
        ).toBeUndefined();
      }
    });

    it('grants no wildcard action anywhere, and no wildcard resource but the image objects', () => {
      // Prepare: Allow on every object, quarantine and renditions; Deny (which only narrows) on private prefixes
      const wildcards = (patterns: readonly string[]) =>
        patterns.map((pattern) => JSON.stringify(objectArn(bucket, pattern)));
      const allowedWildcards = {
        Allow: wildcards(['*', `${QUARANTINE_PREFIX}*`, `${CDN_RENDITION_PREFIX}*`]),
        Deny: wildcards(CDN_DENIED_KEY_PREFIXES.map((prefix) => `${prefix}*`)),
      };

      // Act
      // Not CDK's own deploy-time BucketDeployment function (console assets): acknowledged in cdk-nag.test.ts.
      const statements = Object.entries(template.findResources('AWS::IAM::Policy') as Resources)
        .filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);

      // Assess
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
        for (const resource of [statement.Resource].flat()) {
          const rendered = JSON.stringify(resource);
          if (rendered.includes('*'))
            expect(allowedWildcards[statement.Effect as 'Allow' | 'Deny']).toContain(rendered);
        }
      }
    });
  });

  describe('environment', () => {
    it('gives every function the shared settings loadCommonConfig requires, by the shared names', () => {
      // Prepare
      const upload = fn('Upload').Properties.Environment.Variables;

      // Assess
      for (const name of FUNCTIONS) {
        const variables = fn(name).Properties.Environment.Variables;
        expect(variables[ENV.bucketName]).toEqual({ Ref: bucket });
        for (const shared of [ENV.publicBaseUrl, ENV.clientKeyIds])
          expect(variables[shared]).toEqual(upload[shared]);
        // The metrics' `service` dimension and the Tracer's switch.
        expect(variables[ENV.serviceName]).toBe('S3ImageProxy');
        expect(variables[ENV.tracingEnabled]).toBe('false');
      }
    });

    it.each([
      [
        'Presign',
        {
          [ENV.presignDefaultExpiresSeconds]: '3600',
          [ENV.presignMaxExpiresSeconds]: '86400',
          [ENV.maxDirectUploadBytes]: String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES),
          [ENV.defaultFit]: 'universal',
          [ENV.presignQuotaTable]: { Ref: expect.stringMatching(/^PresignQuotaTable/) },
          [ENV.presignUploadLimit]: '1000',
          [ENV.presignUploadWindowSeconds]: '3600',
          // An API function: the browser origins of CORS, by default only the deployment's console.
          [ENV.corsOrigins]: consoleOrigin,
        },
      ],
      [
        'CheckUpload',
        {
          [ENV.maxDirectUploadBytes]: String(DEFAULT_MAX_DIRECT_UPLOAD_BYTES),
          [ENV.maxImagePixels]: String(DEFAULT_MAX_IMAGE_PIXELS),
          [ENV.defaultFit]: 'universal',
          [ENV.catalogueTable]: { Ref: expect.stringMatching(/^CatalogueTable/) },
          [ENV.keySecretArn]: { Ref: expect.stringMatching(/^CatalogueKeySecret/) },
        },
      ],
    ] as const)('sets exactly the %s function’s own settings from the config', (name, own) => {
      // Act
      const variables = fn(name).Properties.Environment.Variables;

      // Assess
      const {
        [ENV.bucketName]: _b,
        [ENV.publicBaseUrl]: _p,
        [ENV.clientKeyIds]: _c,
        [ENV.serviceName]: _s,
        [ENV.tracingEnabled]: _t,
        NODE_OPTIONS: _n,
        ...rest
      } = variables;
      expect(rest).toEqual(own);
    });

    it('gives the upload function the guard of uploads from a URL, at its defaults', () => {
      // Act
      const variables = fn('Upload').Properties.Environment.Variables;

      // Assess
      expect(variables).toMatchObject({
        [ENV.sourceAllowHttp]: 'false',
        [ENV.sourceAllowedPorts]: '443,80',
        [ENV.sourceHeaderAllowlist]: 'authorization',
        [ENV.sourceMaxRedirects]: '3',
        [ENV.sourceTimeoutMs]: '10000',
        [ENV.sourceStallTimeoutMs]: '5000',
        [ENV.sourceMaxBytes]: String(32 * 1024 * 1024),
      });
      expect(variables[ENV.sourceHostAllowlist]).toBeUndefined();
      expect(variables[ENV.sourceDenyCidrs]).toBeUndefined();
    });

    it('never gives any function a local-mode setting: the deployed guard has no loopback exceptions', () => {
      // Assess
      for (const name of FUNCTIONS) {
        const variables = Object.keys(fn(name).Properties.Environment.Variables);
        expect(variables).not.toContain(ENV.localSourceLoopbackAllowlist);
        expect(variables.filter((variable) => variable.startsWith('LOCAL_'))).toEqual([]);
      }
    });

    it('tells the objects function to invalidate this distribution on delete', () => {
      // Act
      const variables = fn('Objects').Properties.Environment.Variables;

      // Assess
      const {
        [ENV.bucketName]: _b,
        [ENV.publicBaseUrl]: _p,
        [ENV.clientKeyIds]: _c,
        [ENV.serviceName]: _s,
        [ENV.tracingEnabled]: _t,
        NODE_OPTIONS: _n,
        ...rest
      } = variables;
      expect(rest).toEqual({
        [ENV.cdnInvalidateOnDelete]: 'true',
        [ENV.eraseInBackgroundAbove]: '100',
        [ENV.cdnDistributionId]: { Ref: distribution },
        [ENV.corsOrigins]: consoleOrigin,
        [ENV.catalogueTable]: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'CatalogueTable') },
      });
    });

    it('sizes each function for its work: presign 256 MB, API functions 512 MB / 20 s, the check 1769 MB (one vCPU) / 60 s', () => {
      // Assess
      expect(fn('Presign').Properties).toMatchObject({ MemorySize: 256, Timeout: 20 });
      expect(fn('Objects').Properties).toMatchObject({ MemorySize: 512, Timeout: 20 });
      expect(fn('Upload').Properties).toMatchObject({ MemorySize: 1769 });
      // --enable-source-maps only with -c sourceMapStackTraces=true: it costs every cold start.
      for (const name of FUNCTIONS)
        expect(fn(name).Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      expect(fn('CheckUpload').Properties).toMatchObject({
        MemorySize: 1769,
        Timeout: 60,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
      });
    });
  });

  describe('API routes', () => {
    /** `METHOD /path` of every Lambda-backed method, with the function it invokes and whether it needs a key. */
    function lambdaRoutes(): Record<string, { fn: string; apiKeyRequired: boolean; model: boolean }> {
      const resources = template.findResources('AWS::ApiGateway::Resource') as Resources;
      const api = logicalIdOf(template, 'AWS::ApiGateway::RestApi', 'Api');
      const pathOf = (ref: any): string => {
        if (ref['Fn::GetAtt']?.[0] === api) return '';
        const resource = resources[ref.Ref]!;
        return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
      };
      const routes: Record<string, { fn: string; apiKeyRequired: boolean; model: boolean }> = {};
      for (const method of Object.values(template.findResources('AWS::ApiGateway::Method') as Resources)) {
        const { HttpMethod, ResourceId, ApiKeyRequired, Integration, RequestModels } = method.Properties;
        if (Integration.Type !== 'AWS_PROXY') continue;
        const target = JSON.stringify(Integration.Uri).match(/"Fn::GetAtt":\["(\w+)","Arn"\]/)![1]!;
        const fnName = FUNCTIONS.find((name) => functionIds[name] === target) ?? target;
        routes[`${HttpMethod} ${pathOf(ResourceId) || '/'}`] = {
          fn: fnName,
          apiKeyRequired: ApiKeyRequired,
          model: RequestModels !== undefined,
        };
      }
      return routes;
    }

    it('routes every method to its function, each requiring an API key but the API description', () => {
      // Act
      const routes = lambdaRoutes();

      // Assess
      expect(routes).toEqual({
        'POST /uploads': { fn: 'Upload', apiKeyRequired: true, model: true },
        'POST /': { fn: 'Upload', apiKeyRequired: true, model: true },
        'POST /renditions': { fn: 'Upload', apiKeyRequired: true, model: true },
        'POST /presign': { fn: 'Presign', apiKeyRequired: true, model: true },
        'GET /uploads/{id}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /openapi.json': { fn: 'Objects', apiKeyRequired: false, model: false },
        'GET /objects': { fn: 'Objects', apiKeyRequired: true, model: false },
        'DELETE /objects': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /objects/{key+}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'DELETE /objects/{key+}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'PATCH /objects/{key+}': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /stats': { fn: 'Objects', apiKeyRequired: true, model: false },
        'GET /erasures/{id}': { fn: 'Objects', apiKeyRequired: true, model: false },
      });
    });

    it('checks the POST /presign body cheaply (an object: a batch of 1 to 100, or a PUT/GET in any case), leaving the rest to the Lambda', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: Match.objectLike({
          title: 'PresignRequest',
          type: 'object',
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_PRESIGN_BATCH_ITEMS,
              items: { type: 'object' },
            },
          },
          anyOf: [
            { required: ['items'] },
            {
              required: ['method'],
              properties: { method: { type: 'string', pattern: '^([Pp][Uu][Tt]|[Gg][Ee][Tt])$' } },
            },
          ],
        }),
      });
    });
  });

  describe('quarantine of presigned uploads', () => {
    it('runs the check function on every object created under _incoming/ and nothing else', () => {
      // Act
      const notifications = Object.values(
        template.findResources('Custom::S3BucketNotifications') as Resources,
      );

      // Assess
      expect(notifications).toHaveLength(1);
      expect(notifications[0]!.Properties.BucketName).toEqual({ Ref: bucket });
      expect(notifications[0]!.Properties.NotificationConfiguration).toEqual({
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: QUARANTINE_PREFIX }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [functionIds.CheckUpload, 'Arn'] },
          },
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionIds.CheckUpload, 'Arn'] },
        Principal: 's3.amazonaws.com',
        SourceArn: bucketArn,
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
    });

    it('retries a failed check twice, then keeps the event in an encrypted, TLS-only queue', () => {
      // Prepare
      const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'UploadCheckFailures');

      // Assess
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionIds.CheckUpload },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        },
      });
    });

    it('denies CloudFront reads of every private key (_incoming/, _originals/, _uploads/) next to the OAC allow', () => {
      // Act
      const [policy] = Object.values(
        template.findResources('AWS::S3::BucketPolicy', {
          Properties: { Bucket: { Ref: bucket } },
        }) as Resources,
      );
      const statements = policy!.Properties.PolicyDocument.Statement as Statement[];

      // Assess
      // (renditions are on by default, so _renditions/ is readable: cdn-renditions.test.ts)
      expect(statements).toContainEqual({
        Sid: 'DenyCdnReadsOfPrivateKeys',
        Effect: 'Deny',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: [
          objectArn(bucket, '_incoming/*'),
          objectArn(bucket, '_originals/*'),
          objectArn(bucket, '_uploads/*'),
        ],
      });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: objectArn(bucket, '*'),
        }),
      );
    });

    it('expires whatever stays in _incoming/ for a day', () => {
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            {
              Id: 'expire-unchecked-uploads',
              Prefix: QUARANTINE_PREFIX,
              ExpirationInDays: 1,
              Status: 'Enabled',
            },
          ]),
        },
      });
    });

    it('lets browsers PUT and GET through presigned URLs from any origin, with the headers a presigned PUT binds', () => {
      // Act
      const buckets = template.findResources('AWS::S3::Bucket') as Resources;

      // Assess
      expect(buckets[bucket]!.Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedMethods: ['PUT', 'GET', 'HEAD'],
            AllowedOrigins: ['*'],
            AllowedHeaders: [...PRESIGNED_PUT_HEADERS],
            ExposedHeaders: ['ETag'],
            MaxAge: 3600,
          },
        ],
      });
      for (const logBucket of ['StorageServerAccessLogs', 'StorageCdnLogs'])
        expect(
          buckets[logicalIdOf(template, 'AWS::S3::Bucket', logBucket)]!.Properties.CorsConfiguration,
        ).toBeUndefined();
    });
  });
});

describe('capability functions (non-default config)', () => {
  let template: Template;

  beforeAll(() => {
    // Prepare
    template = synthesize({
      ...TWO_CLIENTS_CONTEXT,
      presignDefaultExpiresSeconds: 600,
      presignMaxExpiresSeconds: 604_800,
      maxDirectUploadBytes: 1024 * 1024 * 1024,
      invalidateOnDelete: false,
    }).template;
  });

  it('passes the presign settings and the direct-upload cap through by the shared names', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^POST /presign'),
      Environment: {
        Variables: Match.objectLike({
          [ENV.presignDefaultExpiresSeconds]: '600',
          [ENV.presignMaxExpiresSeconds]: '604800',
          [ENV.maxDirectUploadBytes]: '1073741824',
        }),
      },
    });
  });

  it('gives the check function memory and time for the larger cap', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('checks presigned uploads'),
      MemorySize: 3072,
      Timeout: 103,
      Environment: { Variables: Match.objectLike({ [ENV.maxDirectUploadBytes]: '1073741824' }) },
    });
  });

  it('turns invalidation off: no CloudFront grant and no distribution id for the objects function', () => {
    // Prepare
    const objects = logicalIdOf(template, 'AWS::Lambda::Function', 'ObjectsFunction');

    // Act
    const actions = roleStatements(template, 'ObjectsFunctionRole').flatMap((statement) =>
      [statement.Action].flat(),
    );
    const variables = (template.toJSON().Resources as Resources)[objects]!.Properties.Environment.Variables;

    // Assess
    expect(actions.filter((action) => action.startsWith('cloudfront:'))).toEqual([]);
    expect(variables[ENV.cdnInvalidateOnDelete]).toBe('false');
    expect(variables[ENV.cdnDistributionId]).toBeUndefined();
  });
});

describe('capability functions (uploads from a URL configured)', () => {
  it('passes the configured guard of uploads from a URL to the upload function only', () => {
    // Prepare
    const { template } = synthesize({
      ...TWO_CLIENTS_CONTEXT,
      sourceAllowHttp: true,
      sourceAllowedPorts: [443, 8448],
      sourceHostAllowlist: ['matrix.example.org', '*.example.net'],
      sourceDenyCidrs: ['93.184.216.0/24', '2606:4700::/32'],
      sourceHeaderAllowlist: [],
      sourceMaxRedirects: 1,
      sourceTimeoutMs: 4000,
      sourceMaxBytes: 5_000_000,
    });
    const functions = template.findResources('AWS::Lambda::Function') as Resources;
    const variablesOf = (name: string) =>
      functions[logicalIdOf(template, 'AWS::Lambda::Function', `${name}Function`)]!.Properties.Environment
        .Variables;

    // Assess
    expect(variablesOf('Upload')).toMatchObject({
      [ENV.sourceAllowHttp]: 'true',
      [ENV.sourceAllowedPorts]: '443,8448',
      [ENV.sourceHostAllowlist]: 'matrix.example.org,*.example.net',
      [ENV.sourceDenyCidrs]: '93.184.216.0/24,2606:4700::/32',
      [ENV.sourceHeaderAllowlist]: 'none',
      [ENV.sourceMaxRedirects]: '1',
      [ENV.sourceTimeoutMs]: '4000',
      [ENV.sourceStallTimeoutMs]: '4000',
      [ENV.sourceMaxBytes]: '5000000',
    });
    for (const name of ['Presign', 'Objects', 'CheckUpload']) {
      expect(Object.keys(variablesOf(name)).filter((variable) => variable.startsWith('SOURCE_'))).toEqual([]);
    }
  });
});
