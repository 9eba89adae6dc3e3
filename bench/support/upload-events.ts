import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The API key id of the bench client, as `LAMBDA_LIKE_ENV.CLIENT_KEY_IDS` names it. */
export const BENCH_KEY_ID = 'bench-key-id';

/** The JSON body older-API clients post: `{"image": <base64>, "imageType": ...}`. */
export function uploadBody(image: Buffer, imageType: string): string {
  return JSON.stringify({ image: image.toString('base64'), imageType });
}

/** The REST proxy event API Gateway hands the upload Lambda for a JSON upload. */
export function uploadEvent(body: string): APIGatewayProxyEvent {
  return {
    resource: '/uploads',
    path: '/uploads',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'not-read-by-lambda' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: { requestId: 'bench', identity: { apiKeyId: BENCH_KEY_ID, sourceIp: '127.0.0.1' } },
  } as unknown as APIGatewayProxyEvent;
}
