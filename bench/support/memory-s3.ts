import type { S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from '../../lambdas/adapters/config';
import { createS3Client } from '../../lambdas/adapters/s3-client';

// The parts of the SDK's (smithy) HTTP request and response this handler touches.
interface SdkHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}
interface SdkHttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** What the in-memory S3 saw of the last request: enough to check the SDK sent a real PutObject. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
}

/**
 * An SDK request handler that answers every request with `200` and an empty body, without a
 * socket: S3 replaced at the network boundary, so everything above it (serialisation, SigV4
 * signing, middleware, deserialisation) is the real SDK path. The body is not copied.
 */
export class MemoryS3Handler {
  lastRequest: SeenRequest | undefined;
  requests = 0;

  async handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> {
    const body = request.body;
    this.requests++;
    this.lastRequest = {
      method: request.method,
      path: request.path,
      headers: request.headers,
      bodyBytes:
        body instanceof Uint8Array
          ? body.byteLength
          : typeof body === 'string'
            ? Buffer.byteLength(body)
            : -1,
    };
    return {
      response: {
        statusCode: 200,
        headers: { etag: '"00000000000000000000000000000000"', 'x-amz-request-id': 'memory' },
        body: new Uint8Array(0),
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

/**
 * The project's own S3 client (`createS3Client`, same options as on Lambda) with its transport
 * swapped for a `MemoryS3Handler`. The SDK reads `config.requestHandler` on every `send`.
 */
export function createMemoryS3Client(storage: StorageConfig): { s3: S3Client; handler: MemoryS3Handler } {
  const s3 = createS3Client(storage);
  const handler = new MemoryS3Handler();
  (s3.config as { requestHandler: unknown }).requestHandler = handler;
  return { s3, handler };
}
