import { SignatureV4 } from '@smithy/signature-v4';
import type { SigningCredentials } from '../../lambdas/core/sigv4-presign';
import { NodeSha256 } from '../../infra/local/node-sha256';

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
  const headers: Record<string, string> = {
    host: origin.host,
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    ...options.headers,
  };
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
    {
      signingDate: new Date(options.nowMs),
      expiresIn: options.expiresInSeconds,
      unhoistableHeaders: unhoistable,
    },
  );
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(signed.query ?? {})) params.set(name, String(value));
  return params;
}
