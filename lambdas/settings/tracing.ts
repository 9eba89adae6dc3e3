import { ENV } from '../adapters/env-names';
import { booleanSetting } from './setting-kinds';

export const tracingSettings = {
  /**
   * Active X-Ray tracing of the API stage and the functions: the stack turns it on, and the
   * Powertools Tracer reads the same variable at cold start.
   */
  tracing: booleanSetting({
    contextKey: 'tracing',
    envName: ENV.tracingEnabled,
    fallback: false,
    example: 'true',
  }),
};
