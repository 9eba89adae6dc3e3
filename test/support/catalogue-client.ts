import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { LocalServer } from '../../infra/local/local-server';
import { embeddedS3Client, listStoredKeys } from './stored-keys';

export type Json = any;

export type ApiCaller = ReturnType<typeof apiCaller>;

/** A small API caller over real HTTP for the catalogue's tests: one client's key, JSON answers. */
export function apiCaller(server: Pick<LocalServer, 'apiUrl'>, apiKey: string) {
  async function call(
    method: string,
    path: string,
    body?: Buffer | string,
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(`${server.apiUrl}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, ...headers },
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: (text ? JSON.parse(text) : undefined) as Json,
    };
  }
  return {
    call,
    /** Raw bytes to `/uploads`, with `query` (`?fit=openai&folder=…`). */
    upload: (bytes: Buffer, contentType: string, query = '') =>
      call('POST', `/uploads${query}`, bytes, { 'content-type': contentType }),
    /** A JSON body to `path`. */
    postJson: (path: string, body: unknown) =>
      call('POST', path, JSON.stringify(body), { 'content-type': 'application/json' }),
  };
}

/** Every stored object's bytes, read straight from the embedded S3 (what is really there). */
export async function storedObjects(server: LocalServer): Promise<Map<string, Buffer>> {
  const s3 = embeddedS3Client(server);
  try {
    const objects = new Map<string, Buffer>();
    for (const key of await listStoredKeys(server.s3Endpoint, server.bucketName)) {
      const object = await s3.send(new GetObjectCommand({ Bucket: server.bucketName, Key: key }));
      objects.set(key, Buffer.from(await object.Body!.transformToByteArray()));
    }
    return objects;
  } finally {
    s3.destroy();
  }
}
