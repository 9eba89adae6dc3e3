// s3rver ships no types; this is the part local mode uses.
declare module 's3rver' {
  import type { RequestListener, Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }

  /** s3rver's view of one PUT: its body stream (the request itself) and picked headers. */
  interface S3rverObject {
    bucket: string;
    key: string;
    content: Buffer | (NodeJS.ReadableStream & { headers?: Record<string, string | string[] | undefined> });
    metadata: Record<string, string>;
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    httpServer: Server;
    store: {
      putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
      getResourcePath(bucket: string, key: string, resource: 'object' | 'metadata.json'): string;
      putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
    };
    run(): Promise<AddressInfo>;
    /** Koa's request listener; `run()` attaches it to the HTTP server it creates. */
    callback(): RequestListener;
    close(): Promise<void>;
    /** S3 event notifications, in the shape of an S3 `Records` event. */
    on(event: 'event', listener: (event: import('aws-lambda').S3Event) => void): this;
  }
}

declare module 's3rver/lib/models/error.js' {
  export default class S3Error extends Error {
    constructor(code: string, message: string, detail?: Record<string, string>);
  }
}
