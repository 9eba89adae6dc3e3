import type {
  ImageStore,
  ListPage,
  NewObject,
  StoredObject,
  StoredObjectInfo,
} from '../../lambdas/adapters/image-store';
import { PayloadTooLargeError } from '../../lambdas/core/errors';

type Operation = 'head' | 'get' | 'put';

/**
 * An `ImageStore` in memory, for route tests: objects by key, every call recorded, and a
 * failure to throw from one kind of call (the storage errors `S3ImageStore` throws).
 */
export class MemoryImageStore implements ImageStore {
  readonly objects = new Map<string, StoredObject>();
  readonly puts: NewObject[] = [];
  readonly reads: string[] = [];
  private readonly failures = new Map<Operation, Error>();

  /** Stores `bytes` under `key` as the service would have (metadata names lower-case). */
  seed(key: string, bytes: Buffer, contentType: string, metadata: Record<string, string> = {}): this {
    this.objects.set(key, { key, bytes, size: bytes.length, contentType, metadata });
    return this;
  }

  /** Makes every later call of `operation` throw `error`. */
  failOn(operation: Operation, error: Error): this {
    this.failures.set(operation, error);
    return this;
  }

  async putObject(object: NewObject): Promise<void> {
    this.fail('put');
    this.puts.push(object);
    const bytes = Buffer.from(object.bytes);
    this.seed(object.key, bytes, object.contentType, { ...object.metadata });
  }

  async headObject(key: string): Promise<StoredObjectInfo | undefined> {
    this.fail('head');
    const object = this.objects.get(key);
    if (!object) return undefined;
    const { bytes: _bytes, ...info } = object;
    return info;
  }

  async getObject(key: string, maxBytes: number): Promise<StoredObject | undefined> {
    this.fail('get');
    this.reads.push(key);
    const object = this.objects.get(key);
    if (object && object.size > maxBytes)
      throw new PayloadTooLargeError(`object is larger than ${maxBytes} bytes`);
    return object;
  }

  async listObjects(query: {
    prefix: string;
    startAfter?: string | undefined;
    limit: number;
  }): Promise<ListPage> {
    const keys = [...this.objects.keys()]
      .filter(
        (key) => key.startsWith(query.prefix) && (query.startAfter === undefined || key > query.startAfter),
      )
      .sort();
    const page = keys.slice(0, query.limit);
    return {
      objects: page.map((key) => ({ key, size: this.objects.get(key)!.size })),
      truncated: keys.length > page.length,
    };
  }

  async deleteObject(key: string): Promise<void> {
    this.objects.delete(key);
  }

  private fail(operation: Operation): void {
    const error = this.failures.get(operation);
    if (error) throw error;
  }
}
