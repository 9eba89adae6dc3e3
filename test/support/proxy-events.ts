import type { APIGatewayProxyEvent } from 'aws-lambda';

/** A REST API proxy event as API Gateway sends it, with the caller's API key id. */
export function proxyEvent(
  overrides: Partial<APIGatewayProxyEvent> & { apiKeyId?: string | null } = {},
): APIGatewayProxyEvent {
  const { apiKeyId = 'key-alice', ...rest } = overrides;
  return {
    resource: '/uploads',
    path: '/uploads',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      identity: { apiKeyId },
    } as unknown as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}

export const lambdaContext = { awsRequestId: 'req-1' };
