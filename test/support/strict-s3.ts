/**
 * The embedded S3 with SigV4 verified in front of it (local mode's S3), and the requests the
 * signature tests send it: call {@link useStrictS3} once at the top of a test file; `embedded` and
 * `urlSigner` are set for its hooks and tests.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, expect } from 'vitest';
import type { S3UrlSigner } from '../../lambdas/adapters/url-signer';
import { type EmbeddedS3Fixture, useEmbeddedS3 } from './embedded-s3-fixture';
import { type RawAnswer, sendRequest } from './raw-http';
import { s3ErrorCode } from './s3-signing';

export const BUCKET = 'strict-s3';
export let embedded: EmbeddedS3Fixture;
export let urlSigner: S3UrlSigner;

/** Starts the embedded S3 (and the project's URL signer of it) for the calling file's tests. */
export function useStrictS3(): void {
  embedded = useEmbeddedS3('strict-s3', BUCKET, 'https://cdn.test');
  beforeAll(() => {
    urlSigner = embedded.urlSigner();
  });
}

/** The path-style target of `key` in the bucket, each segment URL-encoded. */
export const pathOf = (key: string) => `/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;
/** A URL's path and query, as sent on the request line. */
export const targetOf = (url: string) => url.slice(new URL(url).origin.length);
export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Sends one request to the embedded S3 exactly as given (target, headers, body). */
export const send = (method: string, target: string, headers: Record<string, string> = {}, body?: Buffer) =>
  sendRequest(embedded.server.endpoint, method, target, headers, body);

/** The bytes stored under `key`, or undefined when there are none. */
export async function stored(key: string): Promise<Buffer | undefined> {
  return embedded.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).then(
    async (object) => Buffer.from(await object.Body!.transformToByteArray()),
    () => undefined,
  );
}

/** Stores `bytes` as a PNG under `key` with the SDK (a signed request that passes). */
export async function putWithSdk(key: string, bytes: Buffer): Promise<void> {
  await embedded.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentType: 'image/png' }),
  );
}

/** A presigned PUT from the project's own signer, binding type and length as POST /presign does. */
export async function presignedPut(key: string, bytes: Buffer, extra: Record<string, string> = {}) {
  const headers = { 'content-type': 'image/png', 'content-length': String(bytes.length), ...extra };
  const { url } = await urlSigner.sign({ method: 'PUT', key, headers, expiresInSeconds: 300 });
  return { url, headers };
}

/** Asserts an S3 XML error answer with this status and code. */
export function expectRefused(answer: RawAnswer, status: number, code: string): void {
  expect({ status: answer.status, code: s3ErrorCode(answer) }).toEqual({ status, code });
  expect(answer.headers['content-type']).toBe('application/xml');
  expect(answer.body.toString()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>/);
}
