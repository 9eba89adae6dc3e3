import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { noisyPng } from '../support/image-fixtures';
import {
  BUCKET,
  embedded,
  pathOf,
  presignedPut,
  putWithSdk,
  stored,
  urlSigner,
  useStrictS3,
} from '../support/strict-s3';

useStrictS3();

describe('requests the project makes still work through the SigV4 check', () => {
  it('serves put, get, head, list, copy and delete made with the AWS SDK', async () => {
    // Prepare
    const png = await noisyPng(8, 8);

    // Act
    await putWithSdk('sdk/a b+c.png', png);
    const head = await embedded.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sdk/a b+c.png' }));
    await embedded.s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'sdk/copy.png', CopySource: `${BUCKET}/sdk/a b+c.png` }),
    );
    const listed = await embedded.s3.send(
      new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'sdk/', Marker: 'sdk/', MaxKeys: 10 }),
    );
    await embedded.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sdk/copy.png' }));
    await embedded.s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'sdk/gone.png' }] } }),
    );

    // Assess
    expect(head.ContentLength).toBe(png.length);
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['sdk/a b+c.png', 'sdk/copy.png']);
    expect((await stored('sdk/a b+c.png'))?.equals(png)).toBe(true);
    expect(await stored('sdk/copy.png')).toBeUndefined();
  });

  it('accepts a presigned PUT sending exactly the headers it binds, and a presigned GET', async () => {
    // Prepare
    const png = await noisyPng(8, 9);
    const put = await presignedPut('presigned/ok.png', png, {
      'x-amz-meta-original-filename': 'cat%20photo.png',
    });

    // Act
    const uploaded = await fetch(put.url, { method: 'PUT', headers: put.headers, body: png });
    const get = await fetch(
      (await urlSigner.sign({ method: 'GET', key: 'presigned/ok.png', expiresInSeconds: 60 })).url,
    );

    // Assess
    expect(uploaded.status).toBe(200);
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe('Expect: 100-continue (the SDK sends it for bodies over 2 MB)', () => {
  it('stores a 3 MB object put with the SDK', async () => {
    // Prepare
    const bytes = randomBytes(3_000_000);

    // Act
    await putWithSdk('continue/big.bin', bytes);

    // Assess
    expect((await stored('continue/big.bin'))?.equals(bytes)).toBe(true);
  });

  it('refuses an unsigned PUT before asking for its body', async () => {
    // Prepare
    const { hostname, port } = new URL(embedded.server.endpoint);
    let continued = false;

    // Act: the body is only sent once the server says 100 Continue
    const answer = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const req = request({
          host: hostname,
          port,
          method: 'PUT',
          path: pathOf('continue/unsigned.png'),
          agent: false,
          headers: { expect: '100-continue', 'content-length': '1000000' },
        });
        req.on('continue', () => {
          continued = true;
          req.end(Buffer.alloc(1_000_000));
        });
        req.on('response', (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        });
        req.on('error', reject);
        req.flushHeaders();
      },
    );

    // Assess
    expect(answer).toEqual({ status: 403, connection: 'close' });
    expect(continued).toBe(false);
    expect(await stored('continue/unsigned.png')).toBeUndefined();
  });
});
