import { createMetrics } from '../adapters/metrics';
import { createTracer, traceClient, withTracing } from '../adapters/tracing';
import type { Platform } from './platform';

/** What every Lambda entry adds to its platform: its handlers traced as a whole. */
export interface LambdaPlatform extends Platform {
  traceHandler<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
}

/**
 * The platform every function has on Lambda: the process's one Tracer and Metrics. Clients that
 * only some functions use (S3, Lambda, CloudFront) are added by their entries, so a bundle holds
 * only the SDK clients its function calls.
 */
export function lambdaPlatform(): LambdaPlatform {
  const tracer = createTracer();
  return {
    traced: (client) => traceClient(tracer, client),
    metrics: createMetrics(),
    traceHandler: (handler) => withTracing(tracer, handler),
  };
}
