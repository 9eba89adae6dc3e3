/**
 * The CloudFront Functions event (structure version 1.0) and results, as far as the viewer-request
 * function of this service and its stand-ins use them. Header names are lower-case, as CloudFront
 * passes them; query string names and values are as the viewer sent them (still percent-encoded).
 */

/** One query string parameter, header or cookie: `value` is the first, `multiValue` all of them when repeated. */
export interface CloudFrontFunctionValue {
  readonly value: string;
  readonly multiValue?: readonly { readonly value: string }[];
}

/** Query string parameters, headers or cookies by name. */
export type CloudFrontFunctionValues = Readonly<Record<string, CloudFrontFunctionValue>>;

/** The viewer's request; returned (possibly changed) to let CloudFront carry on with it. */
export interface CloudFrontFunctionRequest {
  readonly method: string;
  /** The path, without the query string. */
  readonly uri: string;
  readonly querystring: CloudFrontFunctionValues;
  readonly headers: CloudFrontFunctionValues;
  readonly cookies: CloudFrontFunctionValues;
}

/** An answer made by the function itself; CloudFront sends it to the viewer without reaching the origin. */
export interface CloudFrontFunctionResponse {
  readonly statusCode: number;
  readonly statusDescription?: string;
  readonly headers?: CloudFrontFunctionValues;
  readonly cookies?: CloudFrontFunctionValues;
  readonly body?: { readonly encoding: 'text' | 'base64'; readonly data: string };
}

/** What a viewer-request function receives. */
export interface CloudFrontFunctionEvent {
  readonly version: '1.0';
  readonly context: {
    readonly eventType: 'viewer-request';
    /** Identifies the request (and its answer) in CloudFront's logs; error bodies repeat it. */
    readonly requestId: string;
    readonly distributionId?: string;
    readonly distributionDomainName?: string;
  };
  readonly viewer?: { readonly ip: string };
  readonly request: CloudFrontFunctionRequest;
}

/** What a viewer-request function returns: the request to carry on with, or an answer. */
export type CloudFrontFunctionResult = CloudFrontFunctionRequest | CloudFrontFunctionResponse;

/** Whether the function answered the viewer itself rather than passing the request on. */
export function isCloudFrontFunctionResponse(
  result: CloudFrontFunctionResult,
): result is CloudFrontFunctionResponse {
  return 'statusCode' in result;
}
