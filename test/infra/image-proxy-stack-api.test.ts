import './support/isolated-home';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BINARY_MEDIA_TYPES } from '../../infra/edge-contract';
import { onBundledStack } from './support/bundled-stack';
import { logicalIdOf, type Resources } from './support/template-queries';

describe('ImageProxyStack', () => {
  let template: Template;
  // Prepare (the one synthesis with esbuild bundling, shared by the run: support/synth.ts)
  onBundledStack((stack) => ({ template } = stack));

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
});
