import { safeDecodeURIComponent } from '../../lambdas/core/object-keys';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/** A handler as API Gateway invokes it (the Lambda context is trimmed to what we use). */
export type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<APIGatewayProxyResult>;

/** One API Gateway method: its resource template (`/objects/{key+}`) and the Lambda behind it. */
export interface LocalRoute {
  readonly method: string;
  readonly resource: string;
  readonly handler: ProxyHandler;
  /** `false` for the few methods API Gateway answers without a key. @default true */
  readonly apiKeyRequired?: boolean;
}

/** The result of matching a request path against the route table. */
export type RouteMatch =
  | {
      readonly kind: 'found';
      readonly route: LocalRoute;
      readonly pathParameters: Record<string, string> | null;
    }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

interface CompiledRoute {
  readonly route: LocalRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Matches paths the way API Gateway's resource tree does: `{name}` one segment, `{name+}` the rest. */
export class RouteTable {
  private readonly compiled: CompiledRoute[];

  constructor(routes: readonly LocalRoute[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.resource.replace(
        /\{(\w+)(\+?)\}|[.*+?^$()|[\]\\]/g,
        (token, name?: string, greedy?: string) => {
          if (!name) return `\\${token}`;
          names.push(name);
          return greedy ? '(.+)' : '([^/]+)';
        },
      );
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      if (names.length === 0) return { kind: 'found', route, pathParameters: null };
      const pathParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        pathParameters[name] = safeDecodeURIComponent(found[i + 1]!);
      });
      return { kind: 'found', route, pathParameters };
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}
