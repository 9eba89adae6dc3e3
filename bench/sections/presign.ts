import { createHash, createHmac } from 'node:crypto';
import { PRESIGN_CANDIDATES, type PresignRequest } from '../presign-candidates';
import { compareCpu } from '../support/measure';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * Presign CPU per URL vs the raw SigV4 floor: one SHA-256 of a canonical request of the same
 * shape as the URL's, the 4-step HMAC chain that derives the signing key, and the final HMAC.
 * Everything a signer must compute; none of the string building, URL encoding or caching.
 */
const env = process.env;
const region = env.AWS_REGION!;
const bucket = env.BUCKET_NAME!;
const accessKeyId = env.AWS_ACCESS_KEY_ID!;
const secretAccessKey = env.AWS_SECRET_ACCESS_KEY!;
const key = `bench/${'9f'.repeat(32)}.png`;

const requests: Record<'GET' | 'PUT', PresignRequest> = {
  GET: { method: 'GET', bucket, key, expiresInSeconds: 300 },
  PUT: {
    method: 'PUT',
    bucket,
    key: 'bench/uploads/0f8e2c1a-5b4d-4e6f-9a7b-3c2d1e0f9a8b',
    expiresInSeconds: 900,
    contentType: 'image/png',
    contentLength: 5_000_000,
  },
};

function canonicalRequestOf(request: PresignRequest, amzDate: string, scope: string): string {
  const signedHeaders = request.method === 'PUT' ? 'content-length;content-type;host' : 'host';
  const query = [
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    'X-Amz-Content-Sha256=UNSIGNED-PAYLOAD',
    `X-Amz-Credential=${encodeURIComponent(`${accessKeyId}/${scope}`)}`,
    `X-Amz-Date=${amzDate}`,
    `X-Amz-Expires=${request.expiresInSeconds}`,
    `X-Amz-SignedHeaders=${encodeURIComponent(signedHeaders)}`,
    `x-id=${request.method === 'GET' ? 'GetObject' : 'PutObject'}`,
  ].join('&');
  const headers =
    request.method === 'PUT'
      ? `content-length:${request.contentLength}\ncontent-type:${request.contentType}\nhost:${bucket}.s3.${region}.amazonaws.com\n`
      : `host:${bucket}.s3.${region}.amazonaws.com\n`;
  return [request.method, `/${request.key}`, query, headers, signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
}

function sigV4Floor(request: PresignRequest): () => string {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/s3/aws4_request`;
  const canonical = canonicalRequestOf(request, amzDate, scope);
  return () => {
    const hash = createHash('sha256').update(canonical).digest('hex');
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hash}`;
    const kDate = createHmac('sha256', `AWS4${secretAccessKey}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update('s3').digest();
    const kSigning = createHmac('sha256', kService).update('aws4_request').digest();
    return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  };
}

const rows: BenchRow[] = [];
for (const candidate of PRESIGN_CANDIDATES) {
  const presign = await candidate.create(env);
  for (const method of ['GET', 'PUT'] as const) {
    const request = requests[method];
    const sample = await presign(request);
    if (!sample.includes('X-Amz-Signature='))
      throw new Error(`${candidate.name} gave no signed URL: ${sample}`);
    const result = await compareCpu(() => presign(request), sigV4Floor(request));
    rows.push({
      section: 'presign CPU/URL',
      name: `${candidate.name} ${method}`,
      value: format.micros(result.subjectMicros),
      floor: format.micros(result.floorMicros),
      ratio: result.subjectMicros / result.floorMicros,
      target: candidate.target,
    });
  }
}
reportRows(rows);
