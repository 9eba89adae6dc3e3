import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './node-sha256';
import { S3RequestRefusedError } from './s3-refusal';
import {
  PRESIGN_PARAMETERS,
  headerValue,
  readSigV4Claim,
  splitTarget,
  type QueryParameters,
  type ReceivedRequest,
  type SigV4Claim,
} from './sigv4-request';

/** What a request whose signature checked out promises about its body. */
export interface VerifiedRequest {
  readonly accessKeyId: string;
  /** The SHA-256 (hex, lower case) the body must have; undefined for `UNSIGNED-PAYLOAD`. */
  readonly payloadSha256?: string;
  /** The body length the signature binds (a signed `content-length`), when it binds one. */
  readonly signedContentLength?: number;
}

/** Where the verifier takes its keys and its clock from. */
export interface SigV4VerifierOptions {
  /** Access key id → secret access key: the only identities the endpoint knows. */
  readonly credentials: ReadonlyMap<string, string>;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** How far a header-signed request's clock may be from ours, and a presigned URL's start: S3's 15 minutes. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Parameters the presigner writes itself; every other one of the URL is signed as a plain parameter. */
const PRESIGNER_PARAMETERS = new Set<string>([...PRESIGN_PARAMETERS, 'X-Amz-Security-Token']);

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Checks AWS Signature Version 4 the way S3 does, for both forms: the `Authorization` header
 * the SDK sends, and presigned URLs. The expected signature is computed by
 * `@smithy/signature-v4` (the SDK's own signer) over the request as received; this class only
 * decides what goes into it and what S3 refuses before it: unknown keys, expired URLs,
 * skewed clocks, unsigned `x-amz-*` headers, payload modes s3rver cannot store.
 */
export class SigV4Verifier {
  private readonly now: () => number;

  constructor(private readonly options: SigV4VerifierOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Resolves what the body must be, or rejects with the `S3RequestRefusedError` S3 would answer. */
  async verify(request: ReceivedRequest): Promise<VerifiedRequest> {
    const { path, query } = splitTarget(request.target);
    const claim = readSigV4Claim(request, query);
    const secretAccessKey = this.options.credentials.get(claim.accessKeyId);
    if (secretAccessKey === undefined) {
      throw new S3RequestRefusedError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        {
          AWSAccessKeyId: claim.accessKeyId,
        },
      );
    }
    this.checkTime(claim);
    checkSignedHeaders(request, claim);
    const payloadSha256 = payloadDigest(claim.payloadHash);

    const expected = await expectedSignature(request, path, query, claim, secretAccessKey);
    if (!sameSignature(expected, claim.signature)) {
      throw new S3RequestRefusedError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { AWSAccessKeyId: claim.accessKeyId, SignatureProvided: claim.signature },
      );
    }
    const contentLength = claim.signedHeaders.includes('content-length')
      ? Number(headerValue(request.headers, 'content-length'))
      : undefined;
    return {
      accessKeyId: claim.accessKeyId,
      ...(payloadSha256 !== undefined && { payloadSha256 }),
      ...(contentLength !== undefined && { signedContentLength: contentLength }),
    };
  }

  private checkTime(claim: SigV4Claim): void {
    const now = this.now();
    const signedMs = claim.signedAt.getTime();
    if (claim.mechanism === 'header') {
      if (Math.abs(now - signedMs) > MAX_CLOCK_SKEW_MS) {
        throw new S3RequestRefusedError(
          'RequestTimeTooSkewed',
          'The difference between the request time and the current time is too large.',
          {
            RequestTime: claim.amzDate,
            ServerTime: isoSeconds(now),
            MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
          },
        );
      }
      return;
    }
    const expiresMs = signedMs + claim.expiresInSeconds! * 1000;
    if (now > expiresMs) {
      throw new S3RequestRefusedError('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(claim.expiresInSeconds),
        Expires: isoSeconds(expiresMs),
        ServerTime: isoSeconds(now),
      });
    }
    if (signedMs - now > MAX_CLOCK_SKEW_MS) {
      throw new S3RequestRefusedError('AccessDenied', 'Request is not valid yet', {
        'X-Amz-Date': claim.amzDate,
        ServerTime: isoSeconds(now),
      });
    }
  }
}

/** `host` must be signed, and so must every `x-amz-*` header the request carries (S3's rule). */
function checkSignedHeaders(request: ReceivedRequest, claim: SigV4Claim): void {
  const signed = new Set(claim.signedHeaders);
  const unsigned = Object.keys(request.headers)
    .filter((name) => (name === 'host' || name.startsWith('x-amz-')) && !signed.has(name))
    // A presigned URL carries the payload mode in its query; the header copy is not signed.
    .filter(
      (name) =>
        !(
          claim.mechanism === 'query' &&
          name === 'x-amz-content-sha256' &&
          headerValue(request.headers, name) === claim.payloadHash
        ),
    )
    .sort();
  if (!signed.has('host') && !unsigned.includes('host')) unsigned.unshift('host');
  if (unsigned.length > 0) {
    throw new S3RequestRefusedError(
      'AccessDenied',
      'There were headers present in the request which were not signed',
      { HeadersNotSigned: unsigned.join(', ') },
    );
  }
}

/** The body's SHA-256 the signature binds, undefined for `UNSIGNED-PAYLOAD`; refuses the rest. */
function payloadDigest(payloadHash: string): string | undefined {
  if (payloadHash === UNSIGNED_PAYLOAD) return undefined;
  if (SHA256_HEX.test(payloadHash)) return payloadHash.toLowerCase();
  if (payloadHash.startsWith('STREAMING-')) {
    // s3rver stores aws-chunked bodies with their chunk signatures in them; S3 would decode them.
    throw new S3RequestRefusedError(
      'NotImplemented',
      `local mode does not accept ${payloadHash} (aws-chunked) bodies; create the S3 client with requestChecksumCalculation: 'WHEN_REQUIRED'`,
    );
  }
  throw new S3RequestRefusedError(
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.',
    {
      ArgumentName: 'x-amz-content-sha256',
      ArgumentValue: payloadHash,
    },
  );
}

/** The signature S3 would expect, from the SDK's signer fed with the request as received. */
async function expectedSignature(
  request: ReceivedRequest,
  path: string,
  query: QueryParameters,
  claim: SigV4Claim,
  secretAccessKey: string,
): Promise<string> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
    region: claim.scope.region,
    service: claim.scope.service,
    sha256: NodeSha256,
    // S3 signs the path as sent (already percent-encoded once), without normalising it.
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = new Set(claim.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = headerValue(request.headers, name);
    // A signed header the request lacks stays out, so the signature cannot match.
    if (value !== undefined) headers[name] = value;
  }
  const base = { method: request.method, protocol: 'http:', hostname: '', path, headers };

  if (claim.mechanism === 'header') {
    const result = await signer.sign({ ...base, query } as never, {
      signingDate: claim.signedAt,
      signableHeaders: signed,
    });
    return (
      /Signature=([0-9a-f]+)$/.exec(
        String((result as { headers: Record<string, string> }).headers.authorization),
      )?.[1] ?? ''
    );
  }

  const rest: QueryParameters = Object.create(null) as QueryParameters;
  for (const [name, value] of Object.entries(query)) if (!PRESIGNER_PARAMETERS.has(name)) rest[name] = value;
  // The signer reads the payload hash from this header; it is signed only if the URL says so.
  headers['x-amz-content-sha256'] = claim.payloadHash;
  const payloadHeaderSigned = signed.has('x-amz-content-sha256');
  const result = await signer.presign({ ...base, query: rest } as never, {
    signingDate: claim.signedAt,
    expiresIn: claim.expiresInSeconds!,
    signableHeaders: signed,
    unhoistableHeaders: new Set([...signed, 'x-amz-content-sha256']),
    ...(!payloadHeaderSigned && { unsignableHeaders: new Set(['x-amz-content-sha256']) }),
  });
  return String((result as { query: Record<string, unknown> }).query['X-Amz-Signature'] ?? '');
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}
