import { createHash } from 'node:crypto';
import type S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error.js';

type PutObject = S3rver['store']['putObject'];
type S3rverObject = Parameters<PutObject>[0];

/**
 * Makes s3rver store a PUT whole or not at all, as S3 does. s3rver streams the body straight
 * into the object's file, so a client cut off mid-upload leaves a partial object behind, and
 * it ignores `x-amz-checksum-sha256`. This reads the body whole first, refuses it when it is
 * shorter than its Content-Length or its SHA-256 differs (`BadDigest`), then lets s3rver write it.
 */
export function storeWholeObjectsOnly(server: S3rver): void {
  const store = server.store;
  const putObject: PutObject = store.putObject.bind(store);
  store.putObject = async (object: S3rverObject) => {
    if (Buffer.isBuffer(object.content)) return putObject(object);
    const expectedSha256 = object.content.headers?.['x-amz-checksum-sha256'];
    const content = await readWhole(object.content);
    const declaredLength = Number(object.metadata['content-length']);
    if (Number.isFinite(declaredLength) && content.length !== declaredLength) {
      throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    }
    if (typeof expectedSha256 === 'string' && createHash('sha256').update(content).digest('base64') !== expectedSha256) {
      throw new S3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    }
    return putObject({ ...object, content });
  };
}

function readWhole(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('close', () => reject(new S3Error('IncompleteBody', 'the upload was cut off')));
  });
}
