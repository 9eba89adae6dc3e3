import { mkdirSync } from 'node:fs';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { storeWholeObjectsOnly } from './whole-object-puts';

/** A running embedded S3-compatible server on loopback. */
export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  /** Subscribes to the S3 event notifications s3rver emits (ObjectCreated:*, ObjectRemoved:*). */
  onEvent(listener: (event: S3Event) => void): void;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 (port 0: the OS chooses) over `directory`, with `bucketName`
 * created. Its objects persist in `directory` across restarts.
 */
export async function startEmbeddedS3(options: { directory: string; bucketName: string; port?: number }): Promise<EmbeddedS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: [{ name: options.bucketName, configs: [] }],
  });
  storeWholeObjectsOnly(server);
  const address = await server.run();
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
