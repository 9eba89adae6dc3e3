import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BINARY_MEDIA_TYPES } from '../edge-contract';
import { ApiCors } from './api-cors';
import { addJsonGatewayResponses } from './gateway-responses';

export interface ImageApiProps {
  /**
   * Stage name: the first path segment of the API URL.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * How long stage access logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Whether the access log group outlives the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Largest image of the base64 route, in bytes: named in the gateway's own 413 answer.
   * @default DEFAULT_MAX_IMAGE_BYTES
   */
  readonly maxImageBytes?: number;
  /**
   * Stage-wide throttle of every method, all clients together: a ceiling that holds whatever the
   * usage plans allow (API Gateway applies the lower of the two).
   * @default - API Gateway's account-level throttle (10,000 requests/s, burst 5,000)
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Active X-Ray tracing of the stage.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Written into every access-log record as `service`, so metric filters on the access log can
   * tell two deployments in one account apart.
   * @default 's3-image-proxy'
   */
  readonly serviceName?: string;
  /**
   * Browser origins that may call the API (CORS); more can be added with `addCorsOrigin`
   * until synthesis. `*` is refused: the API's routes take a key.
   * @default - none: no preflight method, no CORS header
   */
  readonly corsOrigins?: readonly string[];
}

/** Options of one Lambda-backed route. */
export interface LambdaRouteOptions {
  /**
   * Model the `application/json` body must match, checked by API Gateway before Lambda runs.
   * @default - the body is not checked by API Gateway
   */
  readonly jsonBodyModel?: apigw.IModel;
  /**
   * Whether callers need an API key. Only public, read-only answers that reveal nothing of any
   * client (the API's own description) go without one.
   * @default true
   */
  readonly apiKeyRequired?: boolean;
}

/**
 * The REST API: every method needs an API key unless it says otherwise (only `GET /health`
 * and `GET /openapi.json` do), raw image bodies arrive intact (binary media types), requests are validated where a
 * model exists, each request is access-logged as JSON, and the gateway's own errors use the
 * service's JSON error shape.
 */
export class ImageApi extends Construct {
  readonly restApi: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  /** CORS of the API: its origins, preflights and the functions' `CORS_ORIGINS`. */
  readonly cors: ApiCors;
  private readonly validator: apigw.RequestValidator;
  private readonly models = new Map<string, apigw.Model>();

  constructor(scope: Construct, id: string, props: ImageApiProps = {}) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.restApi = new apigw.RestApi(this, 'Api', {
      description: 's3-image-proxy: store images, answer CDN URLs',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      binaryMediaTypes: [...BINARY_MEDIA_TYPES],
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      defaultMethodOptions: { apiKeyRequired: true },
      // The account-wide API Gateway → CloudWatch role is left to the account (see APIG6 below).
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(props.serviceName ?? 's3-image-proxy'),
        ...(props.throttle && {
          throttlingRateLimit: props.throttle.rateLimit,
          throttlingBurstLimit: props.throttle.burstLimit,
        }),
        tracingEnabled: props.tracing ?? false,
      },
    });
    // The stack publishes the URL as its ApiUrl output; drop RestApi's own duplicate.
    this.restApi.node.tryRemoveChild('Endpoint');
    this.validator = this.restApi.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.cors = new ApiCors(this, 'Cors', { api: this.restApi, origins: props.corsOrigins });
    addJsonGatewayResponses(this.restApi, props.maxImageBytes, () => this.cors.gatewayResponseHeaders());
    this.addHealthRoute();

    this.acknowledgeChecks(props.tracing ?? false);
  }

  /** cdk-nag findings the API's design answers: each reason is the design decision. */
  private acknowledgeChecks(tracing: boolean): void {
    if (!tracing) {
      Validations.of(this.restApi.deploymentStage).acknowledge({
        id: 'Serverless-APIGWXrayEnabled',
        reason:
          'X-Ray tracing is a deployment option (-c tracing=true), off by default: traces are billed per request ' +
          'recorded, and every failed request is already explained by the stage access log and the function logs ' +
          '(status, S3 request id, function request id, cold start) without it.',
      });
    }
    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Callers are backends and bots, authenticated by a per-client API key (apiKeyRequired on every method but ' +
          'GET /health and GET /openapi.json, which reveal nothing of any client) with a usage plan each; the handler maps the key id to the client ' +
          'namespace. IAM/Cognito/Lambda authorizers would require callers to hold AWS or OIDC credentials they do not have.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason: 'No user pool by design: machine clients authenticate with per-client API keys (see APIG4).',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'Abuse is bounded per client by usage-plan throttles and quotas, and bodies by API Gateway and Lambda limits; ' +
          'a WAF web ACL on the stage adds a fixed monthly cost, so it is left to accounts that already run one.',
      },
      {
        id: 'AwsSolutions-APIG6',
        reason:
          'Every request is recorded in the stage access log (status, key id, latency, gateway error type) and the ' +
          'functions log their own errors. Execution logging needs the region-wide AWS::ApiGateway::Account role, ' +
          'shared by every API in the account; this stack does not take it over.',
      },
    );
  }

  /** Routes `method path` to `handler` (Lambda proxy integration, API key required unless said otherwise). */
  addLambdaRoute(
    method: string,
    path: string,
    handler: lambda.IFunction,
    options: LambdaRouteOptions = {},
  ): apigw.Method {
    const resource = path === '/' ? this.restApi.root : this.restApi.root.resourceForPath(path);
    this.cors.allowPreflight(resource);
    return resource.addMethod(method, new apigw.LambdaIntegration(handler, { allowTestInvoke: false }), {
      apiKeyRequired: options.apiKeyRequired ?? true,
      ...(options.jsonBodyModel && {
        requestValidator: this.validator,
        requestModels: { 'application/json': options.jsonBodyModel },
      }),
    });
  }

  /**
   * Lets one more browser origin call the API (a console served from the CDN adds its own):
   * `https://host[:port]` or a token resolving to one. Routes added before or after alike.
   */
  addCorsOrigin(origin: string): void {
    this.cors.addOrigin(origin);
  }

  /** Adds a JSON-schema model for `addLambdaRoute`'s `jsonBodyModel`. */
  addJsonModel(id: string, schema: apigw.JsonSchema): apigw.Model {
    return this.restApi.addModel(id, { contentType: 'application/json', schema });
  }

  /** The JSON-schema model `id`, added on first use: routes that share a body share its model. */
  jsonModel(id: string, schema: apigw.JsonSchema): apigw.Model {
    const added = this.models.get(id) ?? this.addJsonModel(id, schema);
    this.models.set(id, added);
    return added;
  }

  /** `GET /health`: answered by API Gateway itself (mock integration), no key, no Lambda. */
  private addHealthRoute(): void {
    const noStore = { 'method.response.header.Cache-Control': "'no-store'" };
    this.restApi.root.addResource('health').addMethod(
      'GET',
      new apigw.MockIntegration({
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [
          {
            statusCode: '200',
            responseTemplates: { 'application/json': '{"status":"ok"}' },
            responseParameters: noStore,
          },
        ],
      }),
      {
        apiKeyRequired: false,
        methodResponses: [
          { statusCode: '200', responseParameters: { 'method.response.header.Cache-Control': true } },
        ],
      },
    );
  }
}

/** One JSON line per request in the stage's access log: who, what, how it ended and how long it took. */
function accessLogFormat(service: string): apigw.AccessLogFormat {
  const f = apigw.AccessLogField;
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      service,
      requestId: f.contextRequestId(),
      requestTime: f.contextRequestTime(),
      ip: f.contextIdentitySourceIp(),
      userAgent: f.contextIdentityUserAgent(),
      apiKeyId: f.contextIdentityApiKeyId(),
      method: f.contextHttpMethod(),
      resource: f.contextResourcePath(),
      status: f.contextStatus(),
      responseLength: f.contextResponseLength(),
      latencyMs: f.contextResponseLatency(),
      integrationLatencyMs: f.contextIntegrationLatency(),
      errorType: f.contextErrorResponseType(),
    }),
  );
}
