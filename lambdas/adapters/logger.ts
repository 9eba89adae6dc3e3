import { Logger } from '@aws-lambda-powertools/logger';
import { serviceNameOf } from './metrics';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The one logger of a process, under the service name its metrics and traces carry
 * (`POWERTOOLS_SERVICE_NAME`: the stack's name). Log request ids, client names, keys and sizes —
 * never image bytes, API keys or presigned URLs (their query string is a bearer credential).
 */
export function createLogger(env: Env = process.env): Logger {
  return new Logger({ serviceName: serviceNameOf(env) });
}
