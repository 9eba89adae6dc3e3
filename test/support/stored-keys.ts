/**
 * Every key in a bucket of the embedded S3, read straight from s3rver (path-style, no auth),
 * not through any proxy or the CDN: what is really stored. Pages with ListObjects (v1) and
 * `marker`: s3rver's v2 continuation tokens use DES, which OpenSSL 3 (Node ≥ 17) no longer
 * has, so a truncated v2 listing fails there with 500.
 */
export async function listStoredKeys(s3Endpoint: string, bucketName: string): Promise<string[]> {
  const keys: string[] = [];
  for (let page = 0; page < 1_000; page++) {
    const query = new URLSearchParams({ 'max-keys': '1000', ...(keys.length > 0 && { marker: keys.at(-1)! }) });
    const response = await fetch(`${s3Endpoint}/${bucketName}?${query}`);
    const xml = await response.text();
    if (response.status !== 200) throw new Error(`listing ${bucketName} failed with ${response.status}: ${xml.slice(0, 200)}`);
    keys.push(...[...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]!));
    if (!xml.includes('<IsTruncated>true</IsTruncated>')) return keys;
  }
  throw new Error('listing did not end after 1,000 pages');
}
