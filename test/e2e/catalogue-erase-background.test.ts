import { describe, expect, it } from 'vitest';
import { type Catalogue, DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { DynamoDbErasureLog } from '../../lambdas/adapters/erasure-log';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { S3ImageStore } from '../../lambdas/adapters/image-store';
import { continueFolderErasure } from '../../lambdas/catalogue/erase-in-background';
import type { ApiCaller, Json } from '../support/catalogue-client';
import { useLocalServer } from '../support/file-server';
import { Crash, catalogueWith } from '../support/catalogue-crashes';
import { embeddedS3Client } from '../support/stored-keys';
import { noisyPng } from '../support/image-fixtures';

const local = useLocalServer(
  'catalogue-erase-background-e2e',
  { alice: 'key-alice', bob: 'key-bob' },
  // Small in tests: a folder of more than 2 images is erased in the background.
  { env: { ERASE_IN_BACKGROUND_ABOVE: '2' } },
);
const alice = local.api('alice');
const bob = local.api('bob');

let seed = 0;
async function uploadInto(api: ApiCaller, folder: string, count: number): Promise<Json[]> {
  const uploaded: Json[] = [];
  for (let i = 0; i < count; i++) {
    seed += 1;
    const answer = await api.upload(await noisyPng(16, 12, seed), 'image/png', `?folder=${folder}`);
    expect(answer.status).toBe(201);
    uploaded.push(answer.json);
  }
  return uploaded;
}

/** Polls a status path until the erasure is done (at most `rounds` reads, 50 ms apart). */
async function pollToDone(api: ApiCaller, path: string, rounds = 400): Promise<Json> {
  for (let round = 0; round < rounds; round++) {
    const status = await api.call('GET', path);
    expect(status.status).toBe(200);
    if (status.json.state === 'done') return status.json;
    expect(status.json.state).toBe('running');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} still running after ${rounds} reads`);
}

const imagesIn = async (api: ApiCaller, folder: string) =>
  (await api.call('GET', `/stats?folder=${folder}`)).json.images;

describe('erasing a large folder in the background (issue 19)', () => {
  it('answers 202 with a status path that reaches done with the exact count, and touches no other folder or client', async () => {
    // Prepare: 4 images under trips (one a level down), 2 in keep, and bob's own trips
    const trips = [...(await uploadInto(alice, 'trips', 3)), ...(await uploadInto(alice, 'trips/day-2', 1))];
    const kept = await uploadInto(alice, 'keep', 2);
    const bobs = await uploadInto(bob, 'trips', 3);

    // Act
    const started = await alice.call('DELETE', '/objects?folder=trips');

    // Assess: handed to the background, then done with every image of trips erased
    expect(started.status).toBe(202);
    expect(started.json.status).toMatch(/^\/erasures\/[0-9a-f-]{36}$/);
    expect(started.json).toMatchObject({ folder: 'trips' });
    expect(started.headers.get('location')).toBe(started.json.status);
    expect(await pollToDone(alice, started.json.status)).toEqual({
      state: 'done',
      deleted: 4,
      folder: 'trips',
    });
    expect(await imagesIn(alice, 'trips')).toBe(0);
    for (const image of trips) expect((await alice.call('GET', `/objects/${image.key}`)).status).toBe(404);
    expect(await imagesIn(alice, 'keep')).toBe(2);
    for (const image of kept) expect((await fetch(image.url)).status).toBe(200);
    expect(await imagesIn(bob, 'trips')).toBe(3);
    for (const image of bobs) expect((await fetch(image.url)).status).toBe(200);
    // Another client's erasure is none of bob's business
    expect((await bob.call('GET', started.json.status)).status).toBe(404);
    expect((await bob.call('GET', started.json.status)).json.error).toBe('NOT_FOUND');
  }, 120_000);

  it('erases a folder at or under the threshold in the request: 200 {deleted}', async () => {
    // Prepare
    await uploadInto(alice, 'small', 2);

    // Act
    const erased = await alice.call('DELETE', '/objects?folder=small');

    // Assess
    expect(erased.status).toBe(200);
    expect(erased.json).toEqual({ deleted: 2 });
    expect(await imagesIn(alice, 'small')).toBe(0);
  }, 60_000);

  it('gives two erases of the same large folder at once one erasure, counted once', async () => {
    // Prepare
    await uploadInto(alice, 'twice', 4);

    // Act
    const [first, second] = await Promise.all([
      alice.call('DELETE', '/objects?folder=twice'),
      alice.call('DELETE', '/objects?folder=twice'),
    ]);

    // Assess
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.json.status).toBe(first.json.status);
    expect(await pollToDone(alice, first.json.status)).toEqual({
      state: 'done',
      deleted: 4,
      folder: 'twice',
    });
    expect(await imagesIn(alice, 'twice')).toBe(0);
  }, 60_000);

  it('answers 404 for a status path that names no erasure', async () => {
    expect((await alice.call('GET', '/erasures/not-an-id')).status).toBe(404);
    expect((await alice.call('GET', '/erasures/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

/** A catalogue whose third record removal dies, as a function killed mid-erase. */
function crashingOnThirdRemoval(inner: Catalogue): Catalogue {
  let removals = 0;
  return catalogueWith(inner, {
    deleteImage: (record) => {
      removals += 1;
      return removals === 3 ? Promise.reject(new Crash('killed mid-erase')) : inner.deleteImage(record);
    },
  });
}

describe('a background erasure that crashed (issue 19)', () => {
  it('is continued by the next DELETE of its folder, to done with the exact count', async () => {
    // Prepare: 5 images, and an erasure of them whose run dies at the third
    await uploadInto(alice, 'crash', 5);
    const dynamo = createDynamoDbClient('us-east-1', local.server.dynamoEndpoint);
    const erasures = new DynamoDbErasureLog(dynamo, local.server.catalogueTable);
    const s3 = embeddedS3Client(local.server, local.server.cdnBaseUrl);
    const deps = {
      store: new S3ImageStore(s3, local.server.bucketName),
      invalidator: NO_CDN_INVALIDATION,
      publicBaseUrl: local.server.cdnBaseUrl,
      catalogue: crashingOnThirdRemoval(new DynamoDbCatalogue(dynamo, local.server.catalogueTable)),
      erasures,
      dispatch: async () => {},
      backgroundAbove: 2,
      now: () => new Date().toISOString(),
    };
    const erasure = await erasures.start({
      id: crypto.randomUUID(),
      client: 'alice',
      folder: 'crash',
      state: 'running',
      deleted: 0,
      startedAt: new Date().toISOString(),
    });
    await expect(
      continueFolderErasure(deps, { erasure: { client: 'alice', id: erasure.id } }),
    ).rejects.toThrow(Crash);
    const path = `/erasures/${erasure.id}`;
    expect((await alice.call('GET', path)).json).toEqual({ state: 'running', deleted: 2, folder: 'crash' });

    // Act: the caller asks again
    const again = await alice.call('DELETE', '/objects?folder=crash');

    // Assess: the same erasure goes on from where it died, and counts each image once
    expect(again.status).toBe(202);
    expect(again.json.status).toBe(path);
    expect(await pollToDone(alice, path)).toEqual({ state: 'done', deleted: 5, folder: 'crash' });
    expect(await imagesIn(alice, 'crash')).toBe(0);
    expect((await alice.call('GET', '/objects?folder=crash')).json.items).toEqual([]);
    s3.destroy();
  }, 120_000);
});
