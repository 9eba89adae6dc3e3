import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { CDN_SECURITY_HEADERS } from '../edge-contract';

/** Decides whether the CDN may serve a key (checked uploads only); the default serves all. */
export type ServablePredicate = (key: string) => boolean;

/**
 * Serves stored objects the way CloudFront does through OAC: the stored Content-Type,
 * Cache-Control and ETag, plus the response-headers policy. GET and HEAD only.
 */
export async function serveFromCdn(
  s3: S3Client,
  bucketName: string,
  method: string,
  key: string,
  res: ServerResponse,
  isServable: ServablePredicate = () => true,
): Promise<void> {
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', ...CDN_SECURITY_HEADERS });
    res.end(method === 'HEAD' ? undefined : JSON.stringify({ error: 'NOT_FOUND', message: 'no such object' }));
  };
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8', ...CDN_SECURITY_HEADERS });
    res.end(JSON.stringify({ error: 'METHOD_NOT_ALLOWED', message: 'the CDN answers GET and HEAD only' }));
    return;
  }
  if (key === '' || !isServable(key)) return notFound();
  try {
    const input = { Bucket: bucketName, Key: key };
    const object = method === 'HEAD' ? await s3.send(new HeadObjectCommand(input)) : await s3.send(new GetObjectCommand(input));
    const headers: Record<string, string> = { ...CDN_SECURITY_HEADERS };
    if (object.ContentType) headers['content-type'] = object.ContentType;
    if (object.CacheControl) headers['cache-control'] = object.CacheControl;
    if (object.ETag) headers['etag'] = object.ETag;
    if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
    if (object.ContentLength !== undefined) headers['content-length'] = String(object.ContentLength);
    res.writeHead(200, headers);
    if (method === 'HEAD' || !('Body' in object) || !object.Body) {
      res.end();
      return;
    }
    await pipeline(object.Body as Readable, res);
  } catch (err) {
    if (err instanceof NoSuchKey || err instanceof NotFound) return notFound();
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
      res.end(JSON.stringify({ error: 'STORAGE_UNAVAILABLE', message: 'origin is unavailable, retry later' }));
    } else {
      res.destroy();
    }
  }
}
