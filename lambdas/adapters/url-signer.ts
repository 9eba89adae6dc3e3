import type { S3Client } from '@aws-sdk/client-s3';
import { SigV4Presigner } from '../core/sigv4-presign';

/** A presigned URL and the moment it really stops working. */
export interface SignedUrl {
  readonly url: string;
  /** The earlier of the requested expiry and the expiry of the credentials that signed it. */
  readonly expiresAt: Date;
}

/** One URL to sign for an object of the bucket. */
export interface UrlToSign {
  readonly method: 'GET' | 'PUT';
  readonly key: string;
  /** Headers bound into the signature; the client must send them exactly. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly expiresInSeconds: number;
}

/** Signs object URLs; the presign route's only view of credentials and clocks. */
export interface UrlSigner {
  sign(request: UrlToSign): Promise<SignedUrl>;
}

/** The S3 client's credential provider (memoized by the SDK, refreshed on `forceRefresh`). */
export type CredentialProvider = (options?: {
  forceRefresh?: boolean;
}) => ReturnType<S3Client['config']['credentials']>;
type Credentials = Awaited<ReturnType<CredentialProvider>>;

/** Credentials are refreshed this long before they expire, so no URL is born nearly dead. */
export const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/** Where the signer points and what it signs with. */
export interface S3UrlSignerOptions {
  /** The S3 client's credential provider (`s3.config.credentials`): the role's, on Lambda. */
  readonly credentials: CredentialProvider;
  readonly region: string;
  readonly bucketName: string;
  /** Path-style endpoint override (local mode); unset means virtual-hosted AWS S3. */
  readonly endpoint?: string | undefined;
  /** Epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
}

/**
 * Presigns S3 URLs with the pure `SigV4Presigner`, fed by the S3 client's credentials. The
 * credentials and the presigner (with its per-day signing key) are kept until shortly before
 * the credentials expire, so a URL costs one hash and one HMAC.
 */
export class S3UrlSigner implements UrlSigner {
  private current?: Promise<{ presigner: SigV4Presigner; expiration?: Date | undefined }>;
  private readonly now: () => number;

  constructor(private readonly options: S3UrlSignerOptions) {
    this.now = options.now ?? Date.now;
  }

  async sign(request: UrlToSign): Promise<SignedUrl> {
    const nowMs = this.now();
    const { presigner, expiration } = await this.presignerAt(nowMs);
    const url = presigner.presign({ ...request, nowMs });
    const requested = nowMs + request.expiresInSeconds * 1000;
    return { url, expiresAt: new Date(expiration ? Math.min(requested, expiration.getTime()) : requested) };
  }

  private async presignerAt(nowMs: number) {
    const cached = this.current && (await this.current.catch(() => undefined));
    if (cached && (!cached.expiration || cached.expiration.getTime() - nowMs > CREDENTIAL_REFRESH_MARGIN_MS))
      return cached;
    this.current = this.options
      .credentials({ forceRefresh: cached !== undefined })
      .then((credentials) => this.build(credentials));
    return this.current;
  }

  private build(credentials: Credentials) {
    const { region, bucketName, endpoint } = this.options;
    const presigner = new SigV4Presigner({
      credentials,
      region,
      origin: endpoint ?? `https://${bucketName}.s3.${region}.amazonaws.com`,
      basePath: endpoint ? `/${bucketName}` : '',
    });
    return { presigner, expiration: credentials.expiration };
  }
}
