import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The S3 error codes local mode refuses requests with, and the status S3 gives each. */
export const S3_ERROR_STATUS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  EntityTooLarge: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidRequest: 400,
  MissingContentLength: 411,
  NotImplemented: 501,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
} as const;

/** An S3 error code local mode answers with. */
export type S3ErrorCode = keyof typeof S3_ERROR_STATUS;

/**
 * A request the embedded S3 refuses before s3rver sees it, as S3 would: its code, S3's
 * sentence, and the extra elements S3 puts in the XML body (`HeadersNotSigned`, `Expires` …).
 */
export class S3RequestRefusedError extends Error {
  override readonly name = 'S3RequestRefusedError';
  readonly statusCode: number;

  constructor(
    readonly code: S3ErrorCode,
    message: string,
    readonly detail: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.statusCode = S3_ERROR_STATUS[code];
  }
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** S3's error document: `<Error><Code/><Message/>…detail…<RequestId/><HostId/></Error>`. */
export function s3ErrorXml(error: S3RequestRefusedError, requestId: string): string {
  const elements = {
    Code: error.code,
    Message: error.message,
    ...error.detail,
    RequestId: requestId,
    HostId: 'local',
  };
  const body = Object.entries(elements)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${body}</Error>`;
}

/** A request id in S3's shape (16 upper-case hex digits). */
export function newS3RequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/**
 * Answers a refused request as S3 does: the status, `x-amz-request-id`, and the XML body
 * (none for HEAD). `closeConnection` when the request body was not, and will not be, read.
 */
export function writeS3Refusal(
  res: ServerResponse,
  method: string | undefined,
  error: S3RequestRefusedError,
  closeConnection = false,
): void {
  const requestId = newS3RequestId();
  const body = method === 'HEAD' ? '' : s3ErrorXml(error, requestId);
  res.writeHead(error.statusCode, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
    ...(closeConnection && { connection: 'close' }),
  });
  res.end(body);
}
