/**
 * Stands in for `@aws-lambda-powertools/tracer` in the Lambda bundles of a deployment without
 * tracing (an esbuild alias, see `TRACING_OFF_ALIASES` in infra/lambda-bundling.ts): the real
 * Tracer pulls in the X-Ray SDK, about 180 KiB parsed at every cold start, for calls that are
 * all no-ops when tracing is off. `lambdas/adapters/tracing.ts` touches nothing but
 * `isTracingEnabled()` unless it answers true. Tests and local mode do not bundle and keep
 * the real Tracer.
 */
export class Tracer {
  isTracingEnabled(): boolean {
    return false;
  }
}
