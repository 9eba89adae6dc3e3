import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AppError, ForbiddenError } from '../core/errors';

/** The API's answer to a request: status, JSON body, extra headers. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** A response with no body (204 No Content). */
export function emptyResponse(statusCode = 204): APIGatewayProxyResult {
  return { statusCode, headers: { 'cache-control': 'no-store' }, body: '' };
}

/**
 * The single mapping from errors to responses. An `AppError` under 500 shows its message;
 * a 5xx shows only its code; anything else is logged and becomes a bare 500.
 */
export function errorResponse(err: unknown, requestId: string, logger: Logger): APIGatewayProxyResult {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
    if (!err.expose)
      logger.warn('request failed', { error: err.code, cause: (err.cause as Error | undefined)?.name });
    const message = err.expose ? err.message : 'the service could not complete the request; retry later';
    const details = err.expose ? err.details : undefined;
    return jsonResponse(err.statusCode, { error: err.code, message, ...details, requestId }, headers);
  }
  logger.error('unexpected error', err as Error);
  return jsonResponse(500, { error: 'INTERNAL_ERROR', message: 'internal error', requestId });
}

/** A request header, whatever its case. */
export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/**
 * The client that owns the calling API key. API Gateway has already checked the key
 * (`apiKeyRequired`) and puts its id in the request context.
 */
export function clientOf(event: APIGatewayProxyEvent, clientsByKeyId: ReadonlyMap<string, string>): string {
  const keyId = event.requestContext?.identity?.apiKeyId;
  const client = keyId ? clientsByKeyId.get(keyId) : undefined;
  if (!client) throw new ForbiddenError('the API key belongs to no configured client');
  return client;
}

/** A route body: gets the event and the request id, answers or throws. */
export type RouteBody = (event: APIGatewayProxyEvent, requestId: string) => Promise<APIGatewayProxyResult>;

/**
 * A Lambda proxy handler around `body`: whatever it throws becomes the one error answer
 * (`errorResponse`) with the request id. The child logger is made only on failure: per
 * request, it costs more than the log line itself.
 */
export function withErrorResponses(logger: Logger, body: RouteBody) {
  return async (
    event: APIGatewayProxyEvent,
    context: Pick<Context, 'awsRequestId'>,
  ): Promise<APIGatewayProxyResult> => {
    const requestId = context.awsRequestId;
    try {
      return await body(event, requestId);
    } catch (err) {
      return errorResponse(err, requestId, logger.createChild({ persistentKeys: { requestId } }));
    }
  };
}
