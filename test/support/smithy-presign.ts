import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SigningCredentials } from '../../lambdas/core/sigv4-presign';

/** The SDK's SHA-256 constructor shape (`@smithy/hash-node` is not a dependency here). */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** What the SDK's own signer makes of one presign request: the oracle the tests compare with. */
export async function presignWithSmithy(options: {
  credentials: SigningCredentials;
  region: string;
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  expiresInSeconds: number;
  nowMs: number;
}): Promise<URLSearchParams> {
  const origin = new URL(options.origin);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 's3',
    sha256: NodeSha256,
    uriEscapePath: false, // S3 signs the path as sent, already escaped
    applyChecksum: false,
  });
  const headers: Record<string, string> = { host: origin.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', ...options.headers };
  const unhoistable = new Set(Object.keys(options.headers).map((name) => name.toLowerCase()));
  const signed = await signer.presign(
    {
      method: options.method,
      protocol: origin.protocol,
      hostname: origin.hostname,
      port: origin.port ? Number(origin.port) : undefined,
      path: options.path,
      headers,
      query: {},
    } as never,
    { signingDate: new Date(options.nowMs), expiresIn: options.expiresInSeconds, unhoistableHeaders: unhoistable },
  );
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {})) params.set(name, String(value));
  return params;
}
