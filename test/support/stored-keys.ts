import { ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalServer } from '../../infra/local/local-server';
import { createS3Client } from '../../lambdas/adapters/s3-client';

/**
 * A client of a local server's embedded S3 itself (signed, as it requires), not of any proxy in
 * front of it; `publicBaseUrl` only for code that builds public URLs. Destroy it when done.
 */
export function embeddedS3Client(
  server: Pick<LocalServer, 's3Endpoint' | 'bucketName'>,
  publicBaseUrl = 'http://unused',
): S3Client {
  return createS3Client({
    bucketName: server.bucketName,
    publicBaseUrl,
    region: 'us-east-1',
    s3Endpoint: server.s3Endpoint,
  });
}

/**
 * Every key in a bucket of the embedded S3, read straight from it (signed, as it requires),
 * not through any proxy or the CDN: what is really stored.
 */
export async function listStoredKeys(s3Endpoint: string, bucketName: string): Promise<string[]> {
  return (await listStoredObjects(s3Endpoint, bucketName)).map((object) => object.key);
}

/**
 * Every object in a bucket of the embedded S3 with its size, as `listStoredKeys`. Pages with
 * ListObjects (v1) and `Marker`: s3rver's v2 continuation tokens use DES, which OpenSSL 3
 * (Node ≥ 17) no longer has, so a truncated v2 listing fails there with 500.
 */
export async function listStoredObjects(
  s3Endpoint: string,
  bucketName: string,
): Promise<{ readonly key: string; readonly size: number }[]> {
  const s3 = embeddedS3Client({ s3Endpoint, bucketName });
  try {
    const objects: { key: string; size: number }[] = [];
    for (let page = 0; page < 1_000; page++) {
      const listed = await s3.send(
        new ListObjectsCommand({
          Bucket: bucketName,
          MaxKeys: 1000,
          ...(objects.length > 0 && { Marker: objects.at(-1)!.key }),
        }),
      );
      objects.push(...(listed.Contents ?? []).map((object) => ({ key: object.Key!, size: object.Size! })));
      if (!listed.IsTruncated) return objects;
    }
    throw new Error('listing did not end after 1,000 pages');
  } finally {
    s3.destroy();
  }
}
