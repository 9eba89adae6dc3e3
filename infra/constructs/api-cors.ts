import { Lazy, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/adapters/env-names';
import {
  CORS_ALLOWED_HEADERS,
  CORS_ALLOWED_METHODS,
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  parseCorsOrigin,
} from '../../lambdas/core/cors';

export interface ApiCorsProps {
  readonly api: apigw.RestApi;
  /**
   * Browser origins that may call the API (`https://console.example.com`); more can be added
   * with `addOrigin` until synthesis. `*` is refused: the API's routes take a key.
   * @default - none: no preflight method, no CORS header anywhere
   */
  readonly origins?: readonly string[];
}

/**
 * CORS of the REST API, from one list of origins (lambdas/core/cors.ts says what each answer
 * carries): an `OPTIONS` mock (no key) on every resource with a Lambda route, CORS headers on
 * the gateway's own errors, and `CORS_ORIGINS` for the functions, which send the headers of
 * their answers themselves (a proxy integration passes headers through). Everything is read
 * at synthesis, so an origin added after the routes (a console's) reaches all of them.
 */
export class ApiCors extends Construct {
  private readonly list: string[] = [];
  private readonly routed = new Set<apigw.IResource>();
  private readonly preflighted = new Set<apigw.IResource>();

  constructor(scope: Construct, id: string, props: ApiCorsProps) {
    super(scope, id);
    for (const origin of props.origins ?? []) this.addOrigin(origin);
  }

  /** The listed origins (tokens included, e.g. a distribution's domain). */
  get origins(): readonly string[] {
    return [...this.list];
  }

  /**
   * Lists one more origin: `https://host[:port]`, or a token that resolves to one at deploy
   * (`https://${distribution.distributionDomainName}`). Throws on `*` and on a path.
   */
  addOrigin(origin: string): void {
    const listed = Token.isUnresolved(origin) ? origin : parseCorsOrigin(origin);
    if (this.list.includes(listed)) return;
    this.list.push(listed);
    for (const resource of this.routed) this.addPreflight(resource);
  }

  /** Answers preflights on `resource` (once CORS has an origin). */
  allowPreflight(resource: apigw.IResource): void {
    this.routed.add(resource);
    if (this.list.length > 0) this.addPreflight(resource);
  }

  /** `CORS_ORIGINS` of the API's functions ('' while none is listed). */
  environment(): Record<string, string> {
    return { [ENV.corsOrigins]: Lazy.string({ produce: () => this.list.join(',') }) };
  }

  /**
   * Header mappings (`Name` → mapping expression) for the gateway's own answers. API Gateway
   * can map, not choose: one origin is named; with several, the request's `Origin` is echoed
   * (these bodies are fixed sentences, no client's data).
   */
  gatewayResponseHeaders(): Record<string, string> {
    if (this.list.length === 0) return {};
    return {
      'Access-Control-Allow-Origin':
        this.list.length === 1 ? `'${this.list[0]}'` : 'method.request.header.Origin',
      'Access-Control-Expose-Headers': `'${CORS_EXPOSED_HEADERS.join(',')}'`,
      Vary: "'Origin'",
    };
  }

  private addPreflight(resource: apigw.IResource): void {
    if (this.preflighted.has(resource)) return;
    this.preflighted.add(resource);
    const header = (name: string) => `method.response.header.${name}`;
    const parameters: Record<string, string> = {
      // The first origin; the template below answers a listed request origin instead.
      [header('Access-Control-Allow-Origin')]: Lazy.string({ produce: () => `'${this.list[0]}'` }),
      [header('Access-Control-Allow-Methods')]: `'${CORS_ALLOWED_METHODS.join(',')}'`,
      [header('Access-Control-Allow-Headers')]: `'${CORS_ALLOWED_HEADERS.join(',')}'`,
      [header('Access-Control-Max-Age')]: `'${CORS_MAX_AGE_SECONDS}'`,
      [header('Vary')]: "'Origin'",
    };
    resource.addMethod(
      'OPTIONS',
      new apigw.MockIntegration({
        requestTemplates: { 'application/json': '{ "statusCode": 200 }' },
        integrationResponses: [
          {
            statusCode: '204',
            responseParameters: parameters,
            responseTemplates: { 'application/json': Lazy.string({ produce: () => this.originTemplate() }) },
          },
        ],
      }),
      {
        apiKeyRequired: false,
        authorizationType: apigw.AuthorizationType.NONE,
        methodResponses: [
          {
            statusCode: '204',
            responseParameters: Object.fromEntries(Object.keys(parameters).map((name) => [name, true])),
          },
        ],
      },
    );
  }

  /** VTL of the preflight: a listed request origin is the one allowed (HTTP/2 sends `origin`). */
  private originTemplate(): string {
    const condition = this.list.map((origin) => `$origin == "${origin}"`).join(' || ');
    return [
      '#set($origin = $input.params().header.get("Origin"))',
      '#if("$!origin" == "")',
      '  #set($origin = $input.params().header.get("origin"))',
      '#end',
      `#if(${condition})`,
      '  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
      '#end',
    ].join('\n');
  }
}
