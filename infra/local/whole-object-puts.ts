import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type S3rver from 's3rver';
import S3Error from 's3rver/lib/models/error.js';

type S3rverObject = Parameters<S3rver['store']['putObject']>[0];

/**
 * Makes s3rver store a PUT whole or not at all, as S3 does. s3rver streams the body straight
 * into the object's file, so a client cut off mid-upload leaves a partial object behind, and
 * it ignores `x-amz-checksum-sha256`. This reads the body whole first, refuses it when it is
 * shorter than its Content-Length or its SHA-256 differs (`BadDigest`), then writes it to a
 * temporary file renamed into place. s3rver's own write resolves (and emits its S3 event)
 * before the file is flushed, so a reader woken by the event could see half an object.
 */
export function storeWholeObjectsOnly(server: S3rver): void {
  const store = server.store;
  store.putObject = async (object: S3rverObject) => {
    if (Buffer.isBuffer(object.content))
      return writeAtomically(store, object as S3rverObject & { content: Buffer });
    const expectedSha256 = object.content.headers?.['x-amz-checksum-sha256'];
    const content = await readWhole(object.content);
    const declaredLength = Number(object.metadata['content-length']);
    if (Number.isFinite(declaredLength) && content.length !== declaredLength) {
      throw new S3Error(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    }
    if (
      typeof expectedSha256 === 'string' &&
      createHash('sha256').update(content).digest('base64') !== expectedSha256
    ) {
      throw new S3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    }
    return writeAtomically(store, { ...object, content });
  };
}

async function writeAtomically(store: S3rver['store'], object: S3rverObject & { content: Buffer }) {
  const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
  await mkdir(dirname(objectPath), { recursive: true });
  const temporary = `${objectPath}.${randomUUID()}.partial`;
  await writeFile(temporary, object.content);
  await rename(temporary, objectPath);
  const md5 = createHash('md5').update(object.content).digest('hex');
  await store.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: object.content.length, md5 };
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
