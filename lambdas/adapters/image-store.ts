import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from '@aws-sdk/client-s3';
import { PayloadTooLargeError } from '../core/errors';
import type { StoredObjectHead } from '../core/stored-object-info';
import { toStorageError } from './service-errors';

/** Cache-Control of content-addressed objects: their bytes never change under their key. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** An object to store. */
export interface NewObject {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** Base64 SHA-256 of `bytes`: S3 recomputes it and refuses the write on a mismatch. */
  readonly sha256Base64: string;
  /** User metadata, as `encodeStoredMetadata` (core/stored-metadata.ts) writes it. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Write only when no object has the key yet (S3 conditional write: `If-None-Match: *`). */
  readonly ifNoneMatch?: boolean;
  /** A private record (never served): no public caching. */
  readonly private?: boolean;
}

/** What storage knows about one object, without its bytes (metadata names lower-case). */
export type StoredObjectInfo = StoredObjectHead;

/** An object read whole. */
export interface StoredObject extends StoredObjectInfo {
  readonly bytes: Buffer;
}

/** One entry of a listing page. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified?: Date | undefined;
}

/** One listing page: keys after `startAfter` under `prefix`, in key order. */
export interface ListPage {
  readonly objects: readonly ListedObject[];
  /** Whether more keys follow the last one. */
  readonly truncated: boolean;
}

/** The storage the handlers talk to; the S3 adapter below is its only production form. */
export interface ImageStore {
  /** Stores an object whole or not at all. */
  putObject(object: NewObject): Promise<void>;
  /** An object's info, or undefined when there is none. */
  headObject(key: string): Promise<StoredObjectInfo | undefined>;
  /** An object's bytes and info, or undefined when there is none; 413 when over `maxBytes`. */
  getObject(key: string, maxBytes: number): Promise<StoredObject | undefined>;
  /** One page of keys. */
  listObjects(query: { prefix: string; startAfter?: string | undefined; limit: number }): Promise<ListPage>;
  /** Deletes an object; deleting a missing one succeeds (S3 semantics). */
  deleteObject(key: string): Promise<void>;
}

/** An `ImageStore` over S3. SDK errors become the project's own storage errors. */
export class S3ImageStore implements ImageStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucketName: string,
  ) {}

  async putObject(object: NewObject): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucketName,
          Key: object.key,
          Body: object.bytes,
          ContentLength: object.bytes.byteLength,
          ContentType: object.contentType,
          CacheControl: object.private ? 'private, no-store' : IMMUTABLE_CACHE_CONTROL,
          ChecksumSHA256: object.sha256Base64,
          Metadata: { ...object.metadata },
          ...(object.ifNoneMatch && { IfNoneMatch: '*' }),
        }),
      );
    } catch (err) {
      throw toStorageError(err);
    }
  }

  async headObject(key: string): Promise<StoredObjectInfo | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key }));
      return infoOf(key, head);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw toStorageError(err);
    }
  }

  async getObject(key: string, maxBytes: number): Promise<StoredObject | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
      if ((object.ContentLength ?? 0) > maxBytes) {
        (object.Body as { destroy?: () => void } | undefined)?.destroy?.(); // stop the download
        throw new PayloadTooLargeError(`object is larger than ${maxBytes} bytes`);
      }
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
      return { ...infoOf(key, object), size: bytes.length, bytes };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw toStorageError(err);
    }
  }

  async listObjects(query: {
    prefix: string;
    startAfter?: string | undefined;
    limit: number;
  }): Promise<ListPage> {
    try {
      // ListObjects (v1) with Marker: the same paging as v2's StartAfter, and s3rver can serve
      // it (its v2 continuation tokens use DES, which Node 20's OpenSSL 3 refuses).
      const page = await this.s3.send(
        new ListObjectsCommand({
          Bucket: this.bucketName,
          Prefix: query.prefix,
          Marker: query.startAfter,
          MaxKeys: query.limit,
        }),
      );
      const objects = (page.Contents ?? []).flatMap((item) =>
        item.Key === undefined
          ? []
          : [{ key: item.Key, size: item.Size ?? 0, lastModified: item.LastModified }],
      );
      return { objects, truncated: page.IsTruncated === true };
    } catch (err) {
      throw toStorageError(err);
    }
  }

  async deleteObject(key: string): Promise<void> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
    } catch (err) {
      if (isMissing(err)) return;
      throw toStorageError(err);
    }
  }
}

function infoOf(
  key: string,
  head: {
    ContentLength?: number;
    ContentType?: string;
    LastModified?: Date;
    ETag?: string;
    Metadata?: Record<string, string>;
  },
): StoredObjectInfo {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(head.Metadata ?? {})) metadata[name.toLowerCase()] = value;
  return {
    key,
    size: head.ContentLength ?? 0,
    contentType: head.ContentType,
    lastModified: head.LastModified,
    etag: head.ETag,
    metadata,
  };
}

function isMissing(err: unknown): boolean {
  return (
    err instanceof NoSuchKey ||
    err instanceof NotFound ||
    (err instanceof S3ServiceException &&
      err.$metadata?.httpStatusCode === 404 &&
      err.name !== 'NoSuchBucket')
  );
}

/** How storage failures map to the project's errors (shared with the other AWS calls). */
export { toStorageError } from './service-errors';
