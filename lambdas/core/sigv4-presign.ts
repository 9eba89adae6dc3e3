import { createHash, createHmac } from 'node:crypto';

/** AWS credentials a URL is signed with; a session token rides along in the URL. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** Where and how a presigner signs: one bucket endpoint, one region, one set of credentials. */
export interface PresignerOptions {
  readonly credentials: SigningCredentials;
  readonly region: string;
  /** `https://bucket.s3.region.amazonaws.com` (virtual-hosted) or `http://127.0.0.1:4568` (path style). */
  readonly origin: string;
  /** Path before the key: `''` for virtual-hosted buckets, `/<bucket>` for path style. */
  readonly basePath: string;
}

/** One URL to sign. */
export interface PresignInput {
  readonly method: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  readonly key: string;
  /** Headers the request must carry, bound into the signature (`host` is always signed). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Seconds the URL is valid, 1 to 604 800 (SigV4's 7 days). */
  readonly expiresInSeconds: number;
  /** Signing time, epoch milliseconds: the caller's clock. */
  readonly nowMs: number;
}

/** SigV4 bounds a presigned URL's life to 7 days. */
export const SIGV4_MAX_EXPIRES_SECONDS = 604_800;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay, everything else
 * (including `!'()*`, which encodeURIComponent keeps) becomes `%XX`.
 */
export function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * A SigV4 query-string presigner for S3, as pure computation: no SDK, no clock, no I/O.
 * Per signing day it caches the derived signing key and the constant head of the query
 * string, so one URL costs one SHA-256 of the canonical request and one HMAC.
 */
export class SigV4Presigner {
  private readonly host: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly tokenParam: string;
  private day = '';
  private signingKey: Buffer = Buffer.alloc(0);
  private scope = '';
  private queryHead = '';

  constructor(private readonly options: PresignerOptions) {
    const url = new URL(options.origin);
    this.host = url.host;
    this.origin = `${url.protocol}//${url.host}`;
    this.basePath = options.basePath.replace(/\/+$/, '');
    const token = options.credentials.sessionToken;
    this.tokenParam = token ? `&X-Amz-Security-Token=${uriEscape(token)}` : '';
  }

  /** Signs one request; returns the URL. Headers in `input.headers` must then be sent as given. */
  presign(input: PresignInput): string {
    const { expiresInSeconds } = input;
    if (
      !Number.isInteger(expiresInSeconds) ||
      expiresInSeconds < 1 ||
      expiresInSeconds > SIGV4_MAX_EXPIRES_SECONDS
    ) {
      throw new RangeError(
        `expiresInSeconds must be a whole number from 1 to ${SIGV4_MAX_EXPIRES_SECONDS}, got ${expiresInSeconds}`,
      );
    }
    const amzDate = new Date(input.nowMs).toISOString().replace(/[-:]|\.\d{3}/g, '');
    this.useDay(amzDate.slice(0, 8));

    const names = ['host'];
    const values: Record<string, string> = { host: this.host };
    for (const [name, value] of Object.entries(input.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower === 'host') continue;
      names.push(lower);
      values[lower] = canonicalHeaderValue(value);
    }
    names.sort();
    const signedHeaders = names.join(';');
    let canonicalHeaders = '';
    for (const name of names) canonicalHeaders += `${name}:${values[name]}\n`;

    const path = `${this.basePath}/${input.key.split('/').map(uriEscape).join('/')}`;
    // Parameter names sort as: Algorithm, Content-Sha256, Credential, Date, Expires, Security-Token, SignedHeaders.
    const query = `${this.queryHead}&X-Amz-Date=${amzDate}&X-Amz-Expires=${expiresInSeconds}${this.tokenParam}&X-Amz-SignedHeaders=${uriEscape(signedHeaders)}`;
    const canonicalRequest = `${input.method}\n${path}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${UNSIGNED_PAYLOAD}`;
    const stringToSign = `${ALGORITHM}\n${amzDate}\n${this.scope}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const signature = createHmac('sha256', this.signingKey).update(stringToSign).digest('hex');
    return `${this.origin}${path}?${query}&X-Amz-Signature=${signature}`;
  }

  private useDay(day: string): void {
    if (day === this.day) return;
    const { credentials, region } = this.options;
    let key: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(day).digest();
    for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    this.signingKey = key;
    this.scope = `${day}/${region}/s3/aws4_request`;
    this.queryHead =
      `X-Amz-Algorithm=${ALGORITHM}&X-Amz-Content-Sha256=${UNSIGNED_PAYLOAD}` +
      `&X-Amz-Credential=${uriEscape(`${credentials.accessKeyId}/${this.scope}`)}`;
    this.day = day;
  }
}
