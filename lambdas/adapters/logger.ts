import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of a process. Log request ids, client names, keys and sizes — never image
 * bytes, API keys or presigned URLs (their query string is a bearer credential).
 */
export function createLogger(): Logger {
  return new Logger({ serviceName: 's3-image-proxy' });
}
