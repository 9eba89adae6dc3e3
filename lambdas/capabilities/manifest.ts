import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { MetricRoute } from '../core/metric-catalogue';

type Env = Readonly<Record<string, string | undefined>>;

/** The request bodies API Gateway checks before Lambda runs (schemas: infra/constructs/request-models.ts). */
export type JsonBodyModel = 'UploadRequest' | 'RenditionRequest' | 'PresignRequest';

/** One API Gateway method served by a function: declared once, read by the stack, local mode and dispatch. */
export interface ApiRoute<Action extends string = string> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** API Gateway's resource template (`/objects/{key+}`); the event's `resource` names it. */
  readonly resource: string;
  /** `false` only for public, read-only answers that reveal nothing of any client. @default true */
  readonly apiKeyRequired?: boolean;
  /** The route's name in metrics and logs (the `route` dimension). */
  readonly metricRoute: MetricRoute;
  /** Which of the function's handlers answers it. */
  readonly action: Action;
  /** The JSON body model API Gateway validates first. @default - none */
  readonly jsonBodyModel?: JsonBodyModel;
}

/** What a function may do to an object of the bucket: the S3 actions infra grants. */
export type ObjectAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject';

/**
 * One permission of a function, as data: infra turns each into IAM (in order, so the policies
 * come out the same) together with the environment that goes with it.
 */
export type CapabilityGrant =
  /** Object-level actions on every key (`keyPrefix` unset) or on keys under a fixed prefix. */
  | { readonly to: 'objects'; readonly actions: readonly ObjectAction[]; readonly keyPrefix?: string }
  /** `s3:ListBucket`: a missing key is then 404, not 403; listings. */
  | { readonly to: 'listObjects' }
  /** The catalogue table (`record`: write images; `manage`: read, change, delete), and the key secret when it derives keys. */
  | {
      readonly to: 'catalogue';
      readonly use: 'record' | 'manage' | 'reconcile';
      readonly derivesKeys: boolean;
    }
  /** The presign quota table's counters. */
  | { readonly to: 'presignQuota' }
  /** CloudFront invalidations of the distribution, when the deployment invalidates on delete. */
  | { readonly to: 'cdnInvalidation' }
  /** Invoking itself asynchronously (work handed on to a later run). */
  | { readonly to: 'invokeItself' };

/**
 * The settings a function reads at cold start, by feature; infra writes the environment of each
 * (infra/capability-settings.ts), the function's `compose` reads it back.
 */
export type CapabilitySetting =
  /** What the API and check functions' `loadCommonConfig` and platform read: `storage`, `publicBaseUrl`, `observability` and the clients' key ids. */
  | 'common'
  /** The bucket (`loadStorageLocation`). */
  | 'storage'
  /** Base of the public URLs (the CDN's). */
  | 'publicBaseUrl'
  /** The `service` dimension of metrics and whether the Tracer records (the Powertools variables). */
  | 'observability'
  | 'cors'
  | 'fit'
  | 'maxImageBytes'
  | 'maxImagePixels'
  | 'maxDirectUploadBytes'
  /** The largest source a CDN rendition reads: the largest kept original (the largest upload any route accepts). */
  | 'maxSourceBytes'
  | 'sourceFetch'
  | 'presign'
  | 'cdnInvalidation'
  | 'backgroundErasure'
  | 'renditions'
  | 'reconcile';

/** The functions, one manifest each (their entries: `LAMBDA_ENTRIES`). */
export type CapabilityName = 'upload' | 'presign' | 'objects' | 'checkUpload' | 'render' | 'reconcile';

/** The API functions (`API_CAPABILITIES`), whose composition answers API Gateway's requests. */
export type ApiCapabilityName = 'upload' | 'presign' | 'objects';

/**
 * A function declared once, as data: its routes, grants and settings. Read by the stack, which
 * imports only these files (lambdas/capabilities/<fn>.ts), so they import no runtime code: no
 * aws-cdk-lib (the Lambda bundles import them), no handler code, SDK client or sharp (synthesis
 * imports them; test/infra/synth-module-graph.test.ts holds that). Its `compose` lives beside
 * it, in <fn>.compose.ts.
 */
export interface CapabilityManifest<
  Action extends string = string,
  Name extends CapabilityName = CapabilityName,
> {
  readonly name: Name;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /** API Gateway methods it serves (none for functions invoked by S3 or CloudFront). */
  readonly routes: readonly ApiRoute<Action>[];
  readonly grants: readonly CapabilityGrant[];
  readonly settings: readonly CapabilitySetting[];
}

/**
 * How a function builds its handler(s) from the environment (the variables of its manifest's
 * `settings`) and the platform's clients (Lambda's, or local mode's): `<fn>.compose.ts`, read by
 * the Lambda entry and local mode, never by the stack.
 */
export type Composition<Platform, Handlers> = (env: Env, platform: Platform) => Handlers;

/** The composition of a function whose routes API Gateway (or local mode's stand-in) sends requests to. */
export type ApiComposition<Platform> = Composition<Platform, { readonly api: ProxyRoute }>;

/** A handler as API Gateway invokes it (the Lambda context trimmed to what the routes use). */
export type ProxyRoute = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<APIGatewayProxyResult>;

/** The declared route an event arrived on: its resource and method, as API Gateway names them. */
export function declaredRouteOf<Action extends string>(
  routes: readonly ApiRoute<Action>[],
  event: { readonly resource?: string; readonly httpMethod?: string },
): ApiRoute<Action> | undefined {
  return routes.find((route) => route.resource === event.resource && route.method === event.httpMethod);
}

/**
 * Sends each request to the handler of its declared route's action; a request on no declared
 * route goes to `fallback` (API Gateway sends none such; direct test invocations may).
 */
export function dispatchByRoute<Action extends string>(
  routes: readonly ApiRoute<Action>[],
  handlers: Readonly<Record<Action, ProxyRoute>>,
  fallback: Action,
): ProxyRoute {
  return (event, context) => handlers[declaredRouteOf(routes, event)?.action ?? fallback](event, context);
}
