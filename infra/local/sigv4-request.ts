import { S3RequestRefusedError } from './s3-refusal';

/** A request as the embedded S3 received it, before anything is read of its body. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target as sent: the path, still percent-encoded, and the raw query. */
  readonly target: string;
  /** Header names in lower case, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Decoded query parameters; a repeated name holds every value. */
export type QueryParameters = Record<string, string | string[]>;

/** The parts of a SigV4 signature, whichever way the request carries it. */
export interface SigV4Claim {
  /** `header`: an `Authorization` header (the SDK); `query`: a presigned URL. */
  readonly mechanism: 'header' | 'query';
  readonly accessKeyId: string;
  /** The credential scope: `YYYYMMDD`, region, service. */
  readonly scope: { readonly date: string; readonly region: string; readonly service: string };
  /** `X-Amz-Date` / `x-amz-date` as sent (`YYYYMMDDTHHMMSSZ`) and as an instant. */
  readonly amzDate: string;
  readonly signedAt: Date;
  /** Header names bound into the signature, lower case. */
  readonly signedHeaders: readonly string[];
  /** The signature as sent; any that is not the expected one is `SignatureDoesNotMatch`, as on S3. */
  readonly signature: string;
  /** Seconds a presigned URL is valid; undefined for header signatures. */
  readonly expiresInSeconds?: number;
  /** The payload hash the signature covers: a SHA-256 in hex, `UNSIGNED-PAYLOAD`, or a streaming mode. */
  readonly payloadHash: string;
}

/** The query parameters a presigned URL must carry. */
export const PRESIGN_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNED_HEADER_LIST = /^[a-z0-9!#$%&'*+.^_`|~-]+(?:;[a-z0-9!#$%&'*+.^_`|~-]+)*$/;

/** Splits a request target into its raw path and decoded query parameters. */
export function splitTarget(target: string): { path: string; query: QueryParameters } {
  const mark = target.indexOf('?');
  const path = mark < 0 ? target : target.slice(0, mark);
  // No prototype: a parameter named `__proto__` or `constructor` is just a parameter.
  const query: QueryParameters = Object.create(null) as QueryParameters;
  for (const pair of mark < 0 ? [] : target.slice(mark + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeQueryPart(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decodeQueryPart(pair.slice(equals + 1));
    const previous = query[name];
    query[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return { path, query };
}

function decodeQueryPart(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3RequestRefusedError('InvalidArgument', 'The query string is not valid percent-encoding.', {
      ArgumentName: 'QueryString',
      ArgumentValue: raw,
    });
  }
}

/** One header's value as SigV4 reads it: repeated headers joined with commas. */
export function headerValue(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `YYYYMMDDTHHMMSSZ` as an instant, or undefined when it is not one. */
export function parseAmzDate(text: string | undefined): Date | undefined {
  const match = AMZ_DATE.exec(text ?? '');
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, ...number[]];
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  // Date.UTC rolls 20261332 over into the next year; a real date reads back the same.
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '') === text ? date : undefined;
}

/**
 * Reads the SigV4 signature of a request, header- or query-borne, or refuses the request the
 * way S3 does: unsigned → `AccessDenied`, two mechanisms → `InvalidArgument`, SigV2 →
 * `InvalidRequest`, malformed parts → `AuthorizationHeaderMalformed` /
 * `AuthorizationQueryParametersError`. Nothing is checked against keys or clocks here.
 */
export function readSigV4Claim(request: ReceivedRequest, query: QueryParameters): SigV4Claim {
  const authorization = headerValue(request.headers, 'authorization');
  const has = (name: string) => Object.hasOwn(query, name);
  const inQuery = has('X-Amz-Algorithm') || has('X-Amz-Signature') || has('X-Amz-Credential');
  const sigV2InQuery = has('Signature') || has('AWSAccessKeyId');
  if (authorization !== undefined && (inQuery || sigV2InQuery)) {
    throw new S3RequestRefusedError(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      { ArgumentName: 'Authorization', ArgumentValue: authorization },
    );
  }
  if (authorization !== undefined) return readHeaderClaim(request, authorization);
  if (inQuery) return readQueryClaim(request, query);
  if (sigV2InQuery) throw sigV2Refused();
  throw new S3RequestRefusedError('AccessDenied', 'Access Denied');
}

function sigV2Refused(): S3RequestRefusedError {
  return new S3RequestRefusedError(
    'InvalidRequest',
    'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  );
}

function readHeaderClaim(request: ReceivedRequest, authorization: string): SigV4Claim {
  const malformed = (why: string) =>
    new S3RequestRefusedError(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; ${why}`,
    );
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm === 'AWS') throw sigV2Refused();
  if (algorithm !== ALGORITHM) {
    throw new S3RequestRefusedError('InvalidArgument', 'Unsupported Authorization Type', {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization,
    });
  }
  const parts = new Map<string, string>();
  for (const component of authorization.slice(space + 1).split(',')) {
    const equals = component.indexOf('=');
    if (equals > 0) parts.set(component.slice(0, equals).trim(), component.slice(equals + 1).trim());
  }
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!parts.get(name)) throw malformed(`missing ${name}.`);
  }
  const amzDate = headerValue(request.headers, 'x-amz-date');
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt)
    throw new S3RequestRefusedError(
      'AccessDenied',
      'AWS authentication requires a valid Date or x-amz-date header',
    );
  const credential = readCredential(parts.get('Credential')!, amzDate!, malformed);
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (payloadHash === undefined)
    throw new S3RequestRefusedError(
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  return {
    mechanism: 'header',
    ...credential,
    amzDate: amzDate!,
    signedAt,
    signedHeaders: readSignedHeaders(parts.get('SignedHeaders')!, malformed),
    signature: parts.get('Signature')!,
    payloadHash,
  };
}

function readQueryClaim(request: ReceivedRequest, query: QueryParameters): SigV4Claim {
  const malformed = (why: string) => new S3RequestRefusedError('AuthorizationQueryParametersError', why);
  const single = (name: string) => {
    const value = query[name];
    if (Array.isArray(value)) throw malformed(`${name} must be given once.`);
    return value;
  };
  if (PRESIGN_PARAMETERS.some((name) => single(name) === undefined)) {
    throw malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (single('X-Amz-Algorithm') !== ALGORITHM)
    throw malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const amzDate = single('X-Amz-Date')!;
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  const expires = single('X-Amz-Expires')!;
  if (!/^\d{1,7}$/.test(expires)) throw malformed('X-Amz-Expires should be a number');
  const expiresInSeconds = Number(expires);
  if (expiresInSeconds > 604_800) {
    throw malformed(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  return {
    mechanism: 'query',
    ...readCredential(single('X-Amz-Credential')!, amzDate, malformed),
    amzDate,
    signedAt,
    signedHeaders: readSignedHeaders(single('X-Amz-SignedHeaders')!, malformed),
    signature: single('X-Amz-Signature')!,
    expiresInSeconds,
    // Presigned URLs sign UNSIGNED-PAYLOAD unless they say otherwise.
    payloadHash:
      single('X-Amz-Content-Sha256') ??
      headerValue(request.headers, 'x-amz-content-sha256') ??
      UNSIGNED_PAYLOAD,
  };
}

function readCredential(
  credential: string,
  amzDate: string,
  malformed: (why: string) => S3RequestRefusedError,
) {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    !accessKeyId ||
    !/^\d{8}$/.test(date!) ||
    !region ||
    terminator !== 'aws4_request'
  ) {
    throw malformed(
      'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (service !== 's3') throw malformed(`incorrect service "${service}". This endpoint belongs to "s3".`);
  if (date !== amzDate.slice(0, 8))
    throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  return { accessKeyId, scope: { date: date!, region, service } };
}

function readSignedHeaders(list: string, malformed: (why: string) => S3RequestRefusedError): string[] {
  if (!SIGNED_HEADER_LIST.test(list))
    throw malformed('SignedHeaders must be lower-case header names separated by ";".');
  return list.split(';');
}
