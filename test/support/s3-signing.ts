import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { EMBEDDED_S3_CREDENTIALS } from '../../infra/local/embedded-s3';
import { NodeSha256 } from '../../infra/local/node-sha256';
import type { RawAnswer } from './raw-http';

/** One S3 request to sign with an `Authorization` header, as the SDK does. */
export interface HeaderSignedRequest {
  readonly endpoint: string;
  readonly method: string;
  /** Path as sent, percent-encoded: `/bucket/alice/a.png`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** Headers to sign besides host, x-amz-date and x-amz-content-sha256 (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** @default the body's SHA-256 */
  readonly payloadHash?: string;
  /** @default EMBEDDED_S3_CREDENTIALS */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** @default now */
  readonly signingDate?: Date;
}

/**
 * Signs a request with `@smithy/signature-v4` (what the SDK signs with) and gives back the
 * request target and headers to send with `sendRequest`, ready to be tampered with.
 */
export async function signWithHeaders(
  request: HeaderSignedRequest,
): Promise<{ target: string; headers: Record<string, string> }> {
  const url = new URL(request.endpoint);
  const signer = new SignatureV4({
    credentials: request.credentials ?? EMBEDDED_S3_CREDENTIALS,
    region: 'us-east-1',
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const payloadHash =
    request.payloadHash ??
    createHash('sha256')
      .update(request.body ?? Buffer.alloc(0))
      .digest('hex');
  const query = { ...request.query };
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path,
      query,
      headers: { host: url.host, 'x-amz-content-sha256': payloadHash, ...request.headers },
    } as never,
    { signingDate: request.signingDate ?? new Date() },
  );
  const search = Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return {
    target: search ? `${request.path}?${search}` : request.path,
    headers: { ...(signed as unknown as { headers: Record<string, string> }).headers },
  };
}

/** The `<Code>` of an S3 XML error body, or undefined. */
export function s3ErrorCode(answer: RawAnswer): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(answer.body.toString('utf8'))?.[1];
}

/** One element of an S3 XML error body, or undefined. */
export function s3ErrorElement(answer: RawAnswer, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(answer.body.toString('utf8'))?.[1];
}
