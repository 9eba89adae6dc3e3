import { HeadObjectCommand, ListObjectsCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { embeddedS3Client } from '../support/stored-keys';
import { makeNoisyPng } from '../support/image-fixtures';
import { smoothJpeg } from '../support/model-ready-fixtures';
import { UNTHROTTLED, useLocalServer } from '../support/file-server';

const local = useLocalServer('catalogue-stats-e2e', { alice: 'key-alice' }, { env: UNTHROTTLED });
const api = local.api('alice');

/** A small repeatable PRNG (mulberry32): the sequence is random but the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the bucket holds, read straight from the embedded S3: served objects by image, and kept originals. */
async function recountFromBucket() {
  const s3 = embeddedS3Client(local.server);
  try {
    const listed = await s3.send(new ListObjectsCommand({ Bucket: local.server.bucketName, MaxKeys: 1000 }));
    expect(listed.IsTruncated).not.toBe(true);
    const served = new Map<string, { image: string; size: number }>();
    const originals = new Map<string, number>();
    for (const object of listed.Contents ?? []) {
      const key = object.Key!;
      if (key.startsWith('_originals/'))
        originals.set(key.slice(key.lastIndexOf('/') + 1, key.lastIndexOf('.')), object.Size!);
      if (key.startsWith('_')) continue;
      const head = await s3.send(new HeadObjectCommand({ Bucket: local.server.bucketName, Key: key }));
      served.set(key, { image: head.Metadata!.image!, size: object.Size! });
    }
    return { served, originals };
  } finally {
    s3.destroy();
  }
}

describe('stats', () => {
  it('equal a recount from the bucket after 200 random uploads, re-uploads, PATCHes and deletes across 3 folders', async () => {
    // Prepare: 8 images (JPEGs with EXIF keep an original, noisy PNGs are served as uploaded)
    const random = prng(19);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const images = [
      ...(await Promise.all([0, 1, 2, 3].map((i) => makeNoisyPng(1_500, 900 + i)))).map((bytes) => ({
        bytes,
        type: 'image/png',
      })),
      ...(
        await Promise.all(
          [0, 1, 2, 3].map(async (i) =>
            sharp(await smoothJpeg(64 + i, 48))
              .withExif({ IFD0: { Make: `cam${i}` } })
              .jpeg()
              .toBuffer(),
          ),
        )
      ).map((bytes) => ({ bytes, type: 'image/jpeg' })),
    ];
    const folders = ['users/a@x.io', 'users/b@x.io', 'teams/7'];
    const folderOfKey = new Map<string, string>();
    const live: string[] = [];

    // Act
    for (let op = 0; op < 200; op++) {
      const roll = random();
      if (roll < 0.6 || live.length === 0) {
        const image = pick(images);
        const folder = pick(folders);
        const answer = await api.upload(
          image.bytes,
          image.type,
          `?folder=${encodeURIComponent(folder)}&fit=${pick(['universal', 'openai'])}`,
        );
        expect(answer.status).toBe(201);
        folderOfKey.set(answer.json.key, folder);
        if (!live.includes(answer.json.key)) live.push(answer.json.key);
      } else if (roll < 0.75) {
        const key = pick(live);
        const answer = await api.call('PATCH', `/objects/${key}`, JSON.stringify({ tags: [`t${op}`] }), {
          'content-type': 'application/json',
        });
        expect(answer.status).toBe(200);
      } else {
        const key = pick(live);
        expect((await api.call('DELETE', `/objects/${key}`)).status).toBe(204);
        // The whole image went: every key of it is gone from what is live.
        const { served } = await recountFromBucket();
        for (const k of [...live]) if (!served.has(k)) live.splice(live.indexOf(k), 1);
      }
    }

    // Assess: every folder's counters against the bucket
    const { served, originals } = await recountFromBucket();
    for (const folder of ['', 'users', ...folders]) {
      const inFolder = [...served].filter(([key]) => (folderOfKey.get(key) ?? '').startsWith(folder));
      const imageIds = new Set(inFolder.map(([, object]) => object.image));
      const stats = (await api.call('GET', `/stats${folder ? `?folder=${encodeURIComponent(folder)}` : ''}`))
        .json;
      expect(stats.images, folder).toBe(imageIds.size);
      expect(stats.bytes.served, folder).toBe(inFolder.reduce((sum, [, object]) => sum + object.size, 0));
      expect(stats.bytes.originals, folder).toBe(
        [...imageIds].reduce((sum, id) => sum + (originals.get(id) ?? 0), 0),
      );
      expect(
        Object.values(stats.byContentType).reduce((a, b) => (a as number) + (b as number), 0),
        folder,
      ).toBe(imageIds.size);
      expect(stats.bySource, folder).toEqual(imageIds.size > 0 ? { upload: imageIds.size } : {});
    }
    // No original outlives its image: each kept upload belongs to an image still served.
    const servedImages = new Set([...served.values()].map((object) => object.image));
    for (const id of originals.keys()) expect(servedImages).toContain(id);
    expect(originals.size).toBeGreaterThan(0);
  }, 240_000);
});
