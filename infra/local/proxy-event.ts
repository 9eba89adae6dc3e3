import { mimeTypeOf } from '../../lambdas/core/media-types';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BINARY_MEDIA_TYPES } from '../edge-contract';

/** Whether API Gateway would hand this Content-Type to Lambda base64-encoded. */
export function isBinaryMediaType(contentType: string | undefined): boolean {
  const mime = mimeTypeOf(contentType);
  return BINARY_MEDIA_TYPES.some((pattern) =>
    pattern.endsWith('/*') ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern,
  );
}

/** Builds the REST API proxy event API Gateway would send for this request. */
export function toProxyEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  identity: {
    apiKeyId: string | null;
    requestId: string;
    resource: string;
    pathParameters: Record<string, string> | null;
  },
): APIGatewayProxyEvent {
  const binary = isBinaryMediaType(req.headers['content-type']);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // As API Gateway: the last value of a repeated parameter, and every value in the multi-value map.
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  return {
    resource: identity.resource,
    path: url.pathname,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: identity.pathParameters,
    stageVariables: null,
    body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: binary && body.length > 0,
    requestContext: {
      requestId: identity.requestId,
      identity: { apiKeyId: identity.apiKeyId, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
    } as unknown as APIGatewayProxyEvent['requestContext'],
  };
}

/** Writes a handler's result the way API Gateway would. */
export function writeProxyResult(
  res: ServerResponse,
  result: APIGatewayProxyResult,
  requestId: string,
): void {
  const body = result.isBase64Encoded
    ? Buffer.from(result.body, 'base64')
    : Buffer.from(result.body ?? '', 'utf8');
  res.writeHead(result.statusCode, {
    ...result.headers,
    'content-length': body.length,
    'x-amzn-requestid': requestId,
  } as Record<string, string | number>);
  res.end(body);
}
