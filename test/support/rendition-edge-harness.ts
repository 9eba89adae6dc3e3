/**
 * Runs the rendition edge function (the CloudFront Function) on made-up viewer requests, and
 * reads what it did: passed the request on (rewritten or not) or answered itself.
 */
import { expect } from 'vitest';
import {
  type CloudFrontFunctionEvent,
  type CloudFrontFunctionRequest,
  type CloudFrontFunctionResult,
  isCloudFrontFunctionResponse,
} from '../../infra/edge/cloudfront-function-types';
import { edgeEventOf, loadEdgeHandler, renditionEdgeCode } from '../../infra/edge/rendition-edge';
import type { CdnRenditionBounds } from '../../lambdas/core/cdn-rendition';
import { loadRenditionBounds } from '../../lambdas/settings/renditions';

export const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
export const KEY = `alice/${SHA}.jpg`;
export const REQUEST_ID = 'edge-request-1';

/** Accept headers as the browsers send them for an `<img>`. */
export const ACCEPT = {
  chrome: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  safari17:
    'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
  safari15: 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5',
  curl: '*/*',
};

/** The bounds a deployment has by default (sizes snapped to a list), and with `RENDITION_SIZES=any`. */
export const SNAPPED = loadRenditionBounds({});
export const ANY_SIZE = loadRenditionBounds({ RENDITION_SIZES: 'any' });

export type Handler = (event: CloudFrontFunctionEvent) => CloudFrontFunctionResult;
export const edgeFor = (bounds: CdnRenditionBounds): Handler => loadEdgeHandler(renditionEdgeCode(bounds));
export const snappedEdge = edgeFor(SNAPPED);
export const anySizeEdge = edgeFor(ANY_SIZE);

export function run(
  handler: Handler,
  rawQuery: string,
  options: { uri?: string; accept?: string | undefined } = {},
): CloudFrontFunctionResult {
  const event = edgeEventOf({
    method: 'GET',
    uri: options.uri ?? `/${KEY}`,
    rawQuery,
    accept: options.accept,
    requestId: REQUEST_ID,
  });
  return handler(event);
}

/** The request the function passed on; fails with the answer when it answered instead. */
export function forwarded(result: CloudFrontFunctionResult): CloudFrontFunctionRequest {
  if (isCloudFrontFunctionResponse(result)) {
    throw new Error(`expected the request to be passed on, got ${result.statusCode} ${result.body?.data}`);
  }
  return result;
}

/** The rewritten URI of a request the function passed on with no query string left. */
export function uriOf(result: CloudFrontFunctionResult): string {
  const request = forwarded(result);
  expect(request.querystring).toEqual({});
  return request.uri;
}

interface ErrorBody {
  error: string;
  message: string;
  parameter?: string;
  requestId: string;
}

/** The status and JSON body of an answer the function made itself. */
export function answerOf(result: CloudFrontFunctionResult): { status: number; body: ErrorBody } {
  if (!isCloudFrontFunctionResponse(result)) {
    throw new Error(`expected an answer, got the request to ${result.uri}`);
  }
  return { status: result.statusCode, body: JSON.parse(result.body!.data) as ErrorBody };
}

export const renditionUri = (canonical: string, key: string = KEY) => `/_renditions/${key}/${canonical}`;
