import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { corsAnswerHeaders } from '../core/cors';

/** The request's `Origin`, whatever the case of its name (HTTP/2 sends it lower case). */
function originOf(event: Pick<APIGatewayProxyEvent, 'headers'>): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (name.toLowerCase() === 'origin') return value ?? undefined;
  return undefined;
}

/**
 * Wraps an API handler so its answers (any status) carry the CORS headers of the request's
 * origin (`corsAnswerHeaders`). API Gateway's Lambda proxy passes headers through as they are:
 * the function, not the gateway, must send them. With no origin listed, answers are unchanged.
 */
export function withCors<C>(
  origins: readonly string[],
  handler: (event: APIGatewayProxyEvent, context: C) => Promise<APIGatewayProxyResult>,
): (event: APIGatewayProxyEvent, context: C) => Promise<APIGatewayProxyResult> {
  if (origins.length === 0) return handler;
  return async (event, context) => {
    const result = await handler(event, context);
    return { ...result, headers: { ...result.headers, ...corsAnswerHeaders(origins, originOf(event)) } };
  };
}
