import { Lazy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { DEFAULT_MAX_IMAGE_BYTES, requestTooLargeMessage } from '../../lambdas/core/limits';
import { gatewayErrorBody } from '../edge-contract';

/** One answer API Gateway gives by itself, in design.md's JSON error shape. */
export interface GatewayErrorResponse {
  readonly type: apigw.ResponseType;
  /** Status to answer with; undefined keeps API Gateway's own (for the DEFAULT_* families). */
  readonly statusCode?: string;
  readonly error: string;
  /** A fixed sentence, or undefined to pass API Gateway's own message through. */
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request without a valid key, or for a route that does not exist. */
const KEY_AND_ROUTE_RESPONSES: readonly GatewayErrorResponse[] = [
  {
    type: apigw.ResponseType.INVALID_API_KEY,
    statusCode: '403',
    error: 'FORBIDDEN',
    message: 'a valid x-api-key header is required',
  },
  {
    type: apigw.ResponseType.ACCESS_DENIED,
    statusCode: '403',
    error: 'FORBIDDEN',
    message: 'a valid x-api-key header is required',
  },
  // REST APIs answer an unknown path or method as a missing IAM token; it is a missing route.
  {
    type: apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    error: 'ROUTE_NOT_FOUND',
    message: 'no route matches this method and path',
  },
];

/** A key over its usage plan's rate or quota. */
const THROTTLING_RESPONSES: readonly GatewayErrorResponse[] = [
  {
    type: apigw.ResponseType.THROTTLED,
    statusCode: '429',
    error: 'THROTTLED',
    message: 'too many requests for this API key; retry after the Retry-After delay',
    // Usage-plan throttling refills tokens every second.
    headers: { 'Retry-After': '1' },
  },
  // The quota resets at the end of the plan's period, which a static header cannot state.
  {
    type: apigw.ResponseType.QUOTA_EXCEEDED,
    statusCode: '429',
    error: 'QUOTA_EXCEEDED',
    message: "this API key's request quota for the current period is used up",
  },
];

/** A request refused by the route's model or parameters, and the families of everything else. */
const REQUEST_AND_DEFAULT_RESPONSES: readonly GatewayErrorResponse[] = [
  {
    type: apigw.ResponseType.BAD_REQUEST_BODY,
    statusCode: '400',
    error: 'INVALID_REQUEST',
    // One answer for every route with a model (API Gateway cannot vary it per route).
    message:
      'body does not fit this route: POST /uploads takes {"image": base64 or data: URI, "imageType"?, "filename"?}; ' +
      'POST /presign takes {"method": "PUT" or "GET", …} or {"items": [1 to 100 of those]}; ' +
      // A body with no Content-Type is checked as JSON: raw bytes sent that way land here.
      'raw image bytes need their Content-Type (image/png, image/jpeg, …, or application/octet-stream)',
  },
  {
    type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    statusCode: '400',
    error: 'INVALID_REQUEST',
    message: 'a required request parameter is missing',
  },
  { type: apigw.ResponseType.DEFAULT_4XX, error: 'REQUEST_REJECTED' },
  {
    type: apigw.ResponseType.DEFAULT_5XX,
    error: 'INTERNAL_ERROR',
    message: 'the service could not complete the request; retry later',
  },
];

/**
 * The gateway's own answers, with the codes and messages local mode gives for the same cases
 * (`infra/local/local-server.ts`), so a client meets one shape wherever it runs. The 413 names
 * the image limit of the base64 route (`maxImageBytes`), the one a caller actually meets.
 */
export function gatewayErrorResponses(
  maxImageBytes = DEFAULT_MAX_IMAGE_BYTES,
): readonly GatewayErrorResponse[] {
  return [
    ...KEY_AND_ROUTE_RESPONSES,
    {
      type: apigw.ResponseType.REQUEST_TOO_LARGE,
      statusCode: '413',
      error: 'PAYLOAD_TOO_LARGE',
      message: requestTooLargeMessage(maxImageBytes),
    },
    ...THROTTLING_RESPONSES,
    ...REQUEST_AND_DEFAULT_RESPONSES,
  ];
}

const PASS_THROUGH = '__gateway_message__';

/**
 * The VTL body of a gateway response: `gatewayErrorBody` with the request id, and either a
 * fixed message or `$context.error.messageString` (API Gateway's message, already quoted).
 */
export function gatewayResponseTemplate(response: GatewayErrorResponse): string {
  const body = gatewayErrorBody(response.error, response.message ?? PASS_THROUGH, '$context.requestId');
  return response.message === undefined
    ? body.replace(`"${PASS_THROUGH}"`, '$context.error.messageString')
    : body;
}

/**
 * Sets every gateway response of `api` to the JSON error shape. `corsHeaders` (name → mapping
 * expression) is read at synthesis, so origins listed after this call reach the answers too.
 */
export function addJsonGatewayResponses(
  api: apigw.RestApi,
  maxImageBytes?: number,
  corsHeaders: () => Record<string, string> = () => ({}),
): void {
  for (const response of gatewayErrorResponses(maxImageBytes)) {
    // Header values are mapping expressions: static strings go in single quotes.
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries({ 'Cache-Control': 'no-store', ...response.headers }).map(([name, value]) => [
        name,
        `'${value}'`,
      ]),
    );
    const gatewayResponse = api.addGatewayResponse(`${response.type.responseType}Response`, {
      type: response.type,
      statusCode: response.statusCode,
      responseHeaders: headers,
      templates: { 'application/json': gatewayResponseTemplate(response) },
    });
    (gatewayResponse.node.defaultChild as apigw.CfnGatewayResponse).responseParameters = Lazy.any({
      produce: () =>
        Object.fromEntries(
          Object.entries({ ...headers, ...corsHeaders() }).map(([name, value]) => [
            `gatewayresponse.header.${name}`,
            value,
          ]),
        ),
    });
  }
}
