import { mkdirSync } from 'node:fs';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { createSigV4Gate, type SigV4Gate } from './sigv4-gate';
import { SigV4Verifier } from './sigv4-verifier';
import { storeWholeObjectsOnly } from './whole-object-puts';
import { PRESIGNED_PUT_HEADERS } from '../../lambdas/core/presign-request';

/**
 * The bucket's CORS rule, as `ImageStorage` sets it on AWS: browsers (the console) may PUT
 * presigned uploads and GET presigned links from any origin, sending the signed headers.
 */
const PRESIGNED_CORS_XML = `<CORSConfiguration><CORSRule>
<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>
${PRESIGNED_PUT_HEADERS.map((name) => `<AllowedHeader>${name}</AllowedHeader>`).join('')}
<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>
</CORSRule></CORSConfiguration>`;

/**
 * The one identity of the embedded S3. s3rver knows no other access key; the project's S3
 * client (`lambdas/adapters/s3-client.ts`) signs with these when it has an endpoint override.
 */
export const EMBEDDED_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running embedded S3-compatible server on loopback. */
export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  /** Subscribes to the S3 event notifications s3rver emits (ObjectCreated:*, ObjectRemoved:*). */
  onEvent(listener: (event: S3Event) => void): void;
  close(): Promise<void>;
}

/** Where and how the embedded S3 runs. */
export interface EmbeddedS3Options {
  /** Folder of the objects; they persist across restarts. */
  readonly directory: string;
  /** The bucket created at start. */
  readonly bucketName: string;
  /** Port on 127.0.0.1. @default 0 (the OS chooses) */
  readonly port?: number;
  /** The clock signatures are checked against, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * Starts s3rver on 127.0.0.1 over `directory`, with `bucketName` created, behind a SigV4
 * check: s3rver 3.7 itself accepts unsigned and wrongly signed requests, S3 does not.
 */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucketName, configs: [PRESIGNED_CORS_XML] }],
  });
  const verifier = new SigV4Verifier({
    credentials: new Map([[EMBEDDED_S3_CREDENTIALS.accessKeyId, EMBEDDED_S3_CREDENTIALS.secretAccessKey]]),
    ...(options.now && { now: options.now }),
  });
  // s3rver's `run()` makes its HTTP server with `callback()` as the request listener: wrapping
  // it puts the gate in front of every request from the first one on.
  let gate: SigV4Gate | undefined;
  const koaListener = server.callback.bind(server);
  server.callback = () => {
    gate = createSigV4Gate(verifier, koaListener());
    return gate.onRequest;
  };
  storeWholeObjectsOnly(server);
  const address = await server.run();
  const listeners = server.httpServer.listeners('request');
  if (!gate || listeners.length !== 1 || listeners[0] !== gate.onRequest) {
    await server.close();
    throw new Error('s3rver did not serve through the SigV4 gate; refusing to run it unauthenticated');
  }
  server.httpServer.on('checkContinue', gate.onCheckContinue);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    onEvent: (listener) => void server.on('event', listener),
    close: async () => {
      const closed = server.close();
      // The SDK keeps connections alive; without this, close() waits for them to time out.
      server.httpServer.closeAllConnections();
      await closed;
    },
  };
}
