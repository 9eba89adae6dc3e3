/**
 * Every key in a bucket of the embedded S3, read straight from s3rver (path-style, no auth),
 * not through any proxy or the CDN: what is really stored. Follows continuation tokens.
 */
export async function listStoredKeys(s3Endpoint: string, bucketName: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const query = new URLSearchParams({ 'list-type': '2', 'max-keys': '1000', ...(token && { 'continuation-token': token }) });
    const xml = await (await fetch(`${s3Endpoint}/${bucketName}?${query}`)).text();
    keys.push(...[...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]!));
    token = /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/.exec(xml)?.[1];
    if (!token) return keys;
  }
  throw new Error('listing did not end after 1,000 pages');
}
