import './support/isolated-home';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { ImageApi } from '../../infra/constructs/image-api';
import { ENV } from '../../lambdas/adapters/env-names';
import { synthesize, TWO_CLIENTS_CONTEXT } from './support/synth';
import { logicalIdOf } from './support/template-queries';

const CONSOLE = 'https://console.example.com';
const OPS = 'https://ops.example.com';

type Resources = Record<string, { Properties: Record<string, any> }>;

/** An API with two Lambda routes, on its own stack: what ImageApi does with CORS, without the rest. */
function apiWithRoutes(corsOrigins?: readonly string[]) {
  const stack = new Stack(new App(), 'CorsTest');
  const api = new ImageApi(stack, 'Api', { corsOrigins });
  const handler = new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  api.addLambdaRoute('POST', '/uploads', handler);
  api.addLambdaRoute('GET', '/objects/{key+}', handler);
  api.addLambdaRoute('DELETE', '/objects/{key+}', handler);
  return { stack, api, template: () => Template.fromStack(stack) };
}

const optionsMethods = (template: Template) =>
  Object.values(
    template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }) as Resources,
  );

const gatewayResponses = (template: Template) =>
  Object.values(template.findResources('AWS::ApiGateway::GatewayResponse') as Resources);

describe('CORS of the API on API Gateway', () => {
  it('answers preflights on every routed resource without a key, the origins added after the routes included (a console)', () => {
    // Prepare
    const { api, stack, template } = apiWithRoutes();

    // Act
    api.addCorsOrigin(CONSOLE);
    api.addCorsOrigin(OPS);
    const methods = optionsMethods(template());

    // Assess
    expect(methods).toHaveLength(2); // /uploads and /objects/{key+}, once each
    for (const { Properties: method } of methods) {
      expect(method).toMatchObject({ ApiKeyRequired: false, AuthorizationType: 'NONE' });
      const [response] = method.Integration.IntegrationResponses;
      expect(response.StatusCode).toBe('204');
      expect(response.ResponseParameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Origin': `'${CONSOLE}'`,
        'method.response.header.Access-Control-Allow-Headers': "'Content-Type,X-Api-Key'",
        'method.response.header.Access-Control-Allow-Methods': "'GET,POST,PATCH,DELETE,OPTIONS'",
        'method.response.header.Vary': "'Origin'",
      });
      const vtl = response.ResponseTemplates['application/json'];
      expect(vtl).toContain(`#if($origin == "${CONSOLE}" || $origin == "${OPS}")`);
      expect(vtl).toContain('#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)');
    }
    expect(stack.resolve(api.cors.environment())).toEqual({ [ENV.corsOrigins]: `${CONSOLE},${OPS}` });
  });

  it('puts the CORS headers on every gateway response: the one origin, or with several the request’s Origin', () => {
    // Prepare
    const one = apiWithRoutes([CONSOLE]);
    const two = apiWithRoutes([CONSOLE, OPS]);

    // Act
    const withOne = gatewayResponses(one.template());
    const withTwo = gatewayResponses(two.template());

    // Assess
    expect(withOne.length).toBeGreaterThan(5);
    for (const { Properties: response } of withOne) {
      expect(response.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': `'${CONSOLE}'`,
        'gatewayresponse.header.Vary': "'Origin'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      });
    }
    for (const { Properties: response } of withTwo)
      expect(response.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(
        'method.request.header.Origin',
      );
  });

  it('adds no preflight method and no CORS header when no origin is listed (the default)', () => {
    // Act
    const template = apiWithRoutes().template();

    // Assess
    expect(optionsMethods(template)).toEqual([]);
    for (const { Properties: response } of gatewayResponses(template))
      expect(Object.keys(response.ResponseParameters).join()).not.toMatch(/Access-Control/);
  });

  it('refuses "*", whose key-taking routes would be callable from any page', () => {
    // Prepare
    const { api } = apiWithRoutes();

    // Act
    const add = () => api.addCorsOrigin('*');

    // Assess
    expect(add).toThrow(/"\*" is refused: every route but \/health and \/openapi.json takes an API key/);
  });

  it('gives the API’s functions CORS_ORIGINS from -c corsOrigins, and preflights on the deployed API', () => {
    // Act
    const { template } = synthesize({ ...TWO_CLIENTS_CONTEXT, corsOrigins: CONSOLE });
    const functions = template.toJSON().Resources as Resources;
    const envOf = (prefix: string) =>
      functions[logicalIdOf(template, 'AWS::Lambda::Function', prefix)]!.Properties.Environment.Variables;

    // Assess
    // The listed origin, then the one the deployment adds for its own console (the CDN's origin).
    const distribution = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'CdnDistribution');
    for (const prefix of ['UploadFunction', 'PresignFunction', 'ObjectsFunction']) {
      expect(envOf(prefix)[ENV.corsOrigins]).toEqual({
        'Fn::Join': ['', [`${CONSOLE},https://`, { 'Fn::GetAtt': [distribution, 'DomainName'] }]],
      });
    }
    expect(optionsMethods(template).length).toBeGreaterThanOrEqual(7);
  });
});
