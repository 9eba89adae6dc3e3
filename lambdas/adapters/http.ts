import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { AppError, ForbiddenError } from '../core/errors';
import { countFailureCause, type ErrorAnswers, type InvocationOptions, withInvocation } from './invocation';
import type { InvocationMetrics } from './metrics';

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

/** Where a failed request was served: what a log line about it must say besides the cause. */
export interface FailureContext {
  /** The request id the answer carries (the function's request id on Lambda). */
  readonly requestId: string;
  /** API Gateway's own request id (`x-amzn-requestid`), when it differs from `requestId`. */
  readonly apiRequestId?: string | undefined;
  /** Whether this was the first invocation of a new function instance. */
  readonly coldStart: boolean;
  readonly logger: Logger;
  /** The invocation's measurements, to count the refusal or the storage fault in. */
  readonly measure?: InvocationMetrics;
}

/**
 * The single mapping from errors to responses. An `AppError` under 500 shows its message and is
 * counted as a refusal by its code; a 5xx shows only its code, is logged with its cause (the
 * service's name for it, HTTP status and request ids: enough to find the call in AWS's records,
 * never a message or a header value) and counted as a storage fault when storage caused it;
 * anything else is logged and becomes a bare 500.
 */
export function errorResponse(err: unknown, context: FailureContext): APIGatewayProxyResult {
  const { requestId, logger, measure } = context;
  const where = {
    requestId,
    ...(context.apiRequestId !== undefined &&
      context.apiRequestId !== requestId && { apiRequestId: context.apiRequestId }),
    function_request_id: requestId,
    cold_start: context.coldStart,
  };
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
    if (err.expose) {
      measure?.add('Refusals', 1, err.code);
    } else {
      const cause = countFailureCause(err, measure);
      logger.warn('request failed', { ...where, statusCode: err.statusCode, error: err.code, cause });
    }
    const message = err.expose ? err.message : 'the service could not complete the request; retry later';
    const details = err.expose ? err.details : undefined;
    return jsonResponse(err.statusCode, { error: err.code, message, ...details, requestId }, headers);
  }
  logger.error('unexpected error', { ...where, statusCode: 500, error: err as Error });
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

/** Every value of a query parameter (`?tag=a&tag=b`), or undefined when absent. */
export function queryValuesOf(event: APIGatewayProxyEvent, name: string): string[] | undefined {
  const many = event.multiValueQueryStringParameters?.[name];
  if (many && many.length > 0) return [...many];
  const one = event.queryStringParameters?.[name];
  return one === undefined ? undefined : [one];
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

/** A route body: gets the event, the request id and the invocation's measurements; answers or throws. */
export type RouteBody = (
  event: APIGatewayProxyEvent,
  requestId: string,
  measure: InvocationMetrics,
) => Promise<APIGatewayProxyResult>;

/** What every API route reports through. */
export type ApiRouteOptions = InvocationOptions;

/** How an API route answers a failure: the one error answer (`errorResponse`), counted as a request. */
export const API_GATEWAY_ANSWERS: ErrorAnswers<APIGatewayProxyEvent, APIGatewayProxyResult> = {
  answer: (err, failure, event) =>
    errorResponse(err, {
      requestId: failure.requestId,
      apiRequestId: event.requestContext?.requestId,
      coldStart: failure.coldStart,
      logger: failure.logger.createChild({ persistentKeys: { requestId: failure.requestId } }),
      measure: failure.measure,
    }),
  statusOf: (result) => result.statusCode,
};

/**
 * A Lambda proxy handler around `body` (`withInvocation` with `API_GATEWAY_ANSWERS`): whatever
 * it throws becomes the one error answer with the request id; every invocation publishes its
 * metrics once (`Requests`, `ServerErrors` on a 5xx the service caused, and what the body measured).
 */
export function withErrorResponses(options: ApiRouteOptions, body: RouteBody) {
  return withInvocation(
    options,
    API_GATEWAY_ANSWERS,
    (_event: APIGatewayProxyEvent, context: Pick<Context, 'awsRequestId'>) => context.awsRequestId,
    (event, { requestId, measure }) => body(event, requestId, measure),
  );
}
