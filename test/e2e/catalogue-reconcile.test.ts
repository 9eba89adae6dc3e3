import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Catalogue, DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { type ImageStore, S3ImageStore } from '../../lambdas/adapters/image-store';
import { loadKeySecret } from '../../lambdas/adapters/key-secret';
import { deleteRecordedImage } from '../../lambdas/catalogue/delete-image';
import { reconcileCatalogue } from '../../lambdas/catalogue/reconcile';
import { profileNamed } from '../../lambdas/core/model-profiles';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { publishImage } from '../../lambdas/publishing/publish-image';
import { useLocalServer } from '../support/file-server';
import {
  Crash,
  catalogueDyingAt,
  catalogueWith,
  crashingPuts,
  crashingRemovals,
  expectAgreement,
} from '../support/catalogue-crashes';
import { smoothJpeg } from '../support/model-ready-fixtures';
import { embeddedS3Client } from '../support/stored-keys';

const local = useLocalServer('catalogue-reconcile-e2e', { alice: 'key-alice' });
const api = local.api('alice');
let s3: S3Client;
let store: ImageStore;
let catalogue: Catalogue;
let dynamo: DynamoDBClient;

beforeAll(() => {
  s3 = embeddedS3Client(local.server);
  store = new S3ImageStore(s3, local.server.bucketName);
  dynamo = createDynamoDbClient('us-east-1', local.server.dynamoEndpoint);
  catalogue = new DynamoDbCatalogue(dynamo, local.server.catalogueTable);
});
afterAll(() => s3.destroy());

const agreement = () =>
  expectAgreement(local.server, catalogue, async () => (await api.call('GET', '/stats')).json);

/** What an upload needs, its records timed by `now` (ISO 8601; the system clock by default). */
const publishDeps = (s: ImageStore, c: Catalogue, now?: () => string) => ({
  store: s,
  limits: loadUploadLimits({}),
  catalogue: {
    catalogue: c,
    keySecret: loadKeySecret({ LOCAL_KEY_SECRET: localSecretHex() }, 'us-east-1'),
    now,
  },
});
function localSecretHex(): string {
  return readFileSync(`${local.dataDir}/_catalogue/key-secret.hex`, 'utf8').trim();
}
const request = (bytes: Buffer, folder = '') =>
  ({
    client: 'alice',
    folder,
    bytes,
    declaredTypes: [],
    profile: profileNamed('universal'),
    via: 'api',
    source: 'upload',
  }) as const;

describe('crashes between S3 and the catalogue, then the reconciler (issue 19)', () => {
  it('repairs a crash after the record was written and before the bytes: the record goes, nothing is served', async () => {
    // Prepare
    const photo = await sharp(await smoothJpeg(300, 200))
      .withExif({ IFD0: { Make: 'x' } })
      .jpeg()
      .toBuffer();
    await expect(
      publishImage(publishDeps(crashingPuts(store), crashingRemovals(catalogue)), request(photo)),
    ).rejects.toThrow(Crash);

    // Act
    const report = await local.server.reconcile(0);

    // Assess
    expect(report.recordsRemoved).toBe(1);
    await agreement();
  });

  it('repairs a crash after the bytes of a delete and before its record: the record goes', async () => {
    // Prepare
    const uploaded = (await api.upload(await smoothJpeg(320, 200), 'image/jpeg')).json;
    const record = (await catalogue.findByKey(uploaded.key))!;
    const deps = {
      store,
      catalogue: crashingRemovals(catalogue),
      invalidator: NO_CDN_INVALIDATION,
      publicBaseUrl: local.server.cdnBaseUrl,
    };
    await expect(deleteRecordedImage(deps, record)).rejects.toThrow(Crash);

    // Act
    const report = await local.server.reconcile(0);

    // Assess
    expect(report.recordsRemoved).toBe(1);
    expect((await api.call('GET', `/objects/${uploaded.key}`)).status).toBe(404);
    await agreement();
  });

  it('deletes bytes a lost answer left behind after their record was taken back', async () => {
    // Prepare: S3 stored the bytes, but the call failed, so the upload took its new record back
    const lostAnswers: ImageStore = {
      ...store,
      headObject: (key) => store.headObject(key),
      getObject: (key, max) => store.getObject(key, max),
      listObjects: (query) => store.listObjects(query),
      deleteObject: (key) => store.deleteObject(key),
      putObject: async (object) => {
        await store.putObject(object);
        throw new Error('answer lost');
      },
    };
    await expect(
      publishImage(publishDeps(lostAnswers, catalogue), request(await smoothJpeg(330, 200))),
    ).rejects.toThrow('answer lost');

    // Act
    const report = await local.server.reconcile(0);

    // Assess
    expect(report.objectsRemoved).toBeGreaterThan(0);
    await agreement();
  });

  it('backfills an object stored before the catalogue, once, after which it is described and deletable whole', async () => {
    // Prepare: a content-addressed object as the service stored them before records existed
    const bytes = await smoothJpeg(200, 100);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const key = `alice/${sha}.jpg`;
    await s3.send(
      new PutObjectCommand({
        Bucket: local.server.bucketName,
        Key: key,
        Body: bytes,
        ContentType: 'image/jpeg',
        Metadata: {
          client: 'alice',
          via: 'api',
          sha256: sha,
          profile: 'universal',
          width: '200',
          height: '100',
          'original-filename': 'old.jpg',
        },
      }),
    );

    // Act
    const first = await local.server.reconcile(0);
    const second = await local.server.reconcile(0);

    // Assess
    expect(first.recordsBackfilled).toBe(1);
    expect(second).toEqual({
      recordsRepaired: 0,
      recordsRemoved: 0,
      objectsRemoved: 0,
      recordsBackfilled: 0,
      keyLinksRestored: 0,
      countersCorrected: 0,
      countersDeferred: 0,
    });
    expect((await api.call('GET', `/objects/${key}`)).json).toMatchObject({
      key,
      folder: '',
      filename: 'old.jpg',
      source: 'upload',
    });
    await agreement();
    expect((await api.call('DELETE', `/objects/${key}`)).status).toBe(204);
    await agreement();
  });
});

/** A photo that keeps its original (EXIF): an image of two keys. */
const photoWithOriginal = async (width: number) =>
  sharp(await smoothJpeg(width, 200))
    .withExif({ IFD0: { Make: 'x' } })
    .jpeg()
    .toBuffer();

/**
 * An upload into `folder` killed after its record was written and before `step`, then retried
 * by its caller, which finds the record and stores the bytes: the image is served, and what the
 * crash left out stays left out (the retry adds no new key). Both timed by `now`.
 */
async function crashThenRetry(
  step: 'key links' | 'counters',
  folder: string,
  photo: Buffer,
  now?: () => string,
) {
  const dying = catalogueDyingAt(dynamo, local.server.catalogueTable, step);
  await expect(publishImage(publishDeps(store, dying, now), request(photo, folder))).rejects.toThrow(Crash);
  const published = await publishImage(publishDeps(store, catalogue, now), request(photo, folder));
  return (await catalogue.getImage('alice', (await store.headObject(published.key))!.metadata.image!))!;
}

const folderStats = async (folder: string) => (await api.call('GET', `/stats?folder=${folder}`)).json;

describe('the reconciler rebuilds key links and folder counters (the gap issue 19 left)', () => {
  it('restores the key links and counters a crash right after the record left out: every key resolves', async () => {
    // Prepare: the record is written, then the process dies before its key links (and counters)
    const photo = await photoWithOriginal(340);
    const record = await crashThenRetry('key links', 'links', photo);
    expect(await catalogue.findByKey(record.key)).toBeUndefined();
    expect((await api.call('GET', `/objects/${record.key}`)).json).not.toMatchObject({ folder: 'links' });
    expect((await folderStats('links')).images).toBe(0);

    // Act
    const report = await local.server.reconcile(0);

    // Assess
    expect(report).toMatchObject({ keyLinksRestored: 2, countersCorrected: 1, recordsRemoved: 0 });
    for (const key of [record.key, record.original.key!])
      expect((await catalogue.findByKey(key))?.imageId).toBe(record.imageId);
    expect((await api.call('GET', `/objects/${record.key}`)).json).toMatchObject({ folder: 'links' });
    expect(await folderStats('links')).toMatchObject({
      images: 1,
      bytes: { served: record.profiles.universal!.size, originals: photo.length },
    });
    await agreement();
  });

  it('corrects the counters a crash between the record and its counter update left short', async () => {
    // Prepare
    const photo = await photoWithOriginal(350);
    await crashThenRetry('counters', 'counted', photo);
    expect((await folderStats('counted')).images).toBe(0);

    // Act
    const report = await local.server.reconcile(0);

    // Assess
    expect(report).toMatchObject({ keyLinksRestored: 0, countersCorrected: 1 });
    expect(await folderStats('counted')).toMatchObject({
      images: 1,
      byContentType: { 'image/jpeg': 1 },
      bySource: { upload: 1 },
      bytes: { originals: photo.length },
    });
    await agreement();
  });

  it('brings the counters of a folder whose last record a crashed delete removed down to zero', async () => {
    // Prepare: the delete removed the bytes, the record and its links, and died before the counters
    const uploaded = (await api.upload(await smoothJpeg(360, 200), 'image/jpeg', '?folder=emptied')).json;
    const deps = {
      store,
      catalogue: catalogueDyingAt(dynamo, local.server.catalogueTable, 'counters'),
      invalidator: NO_CDN_INVALIDATION,
      publicBaseUrl: local.server.cdnBaseUrl,
    };
    await expect(deleteRecordedImage(deps, (await catalogue.findByKey(uploaded.key))!)).rejects.toThrow(
      Crash,
    );
    expect((await folderStats('emptied')).images).toBe(1);

    // Act
    const report = await local.server.reconcile(0);

    // Assess
    expect(report.countersCorrected).toBe(1);
    expect(await folderStats('emptied')).toMatchObject({
      images: 0,
      bytes: { served: 0, originals: 0 },
      byContentType: {},
      bySource: {},
    });
    await agreement();
  });

  it('never overwrites an upload that lands between its read of the counters and its correction', async () => {
    // Prepare: counters left short an hour ago, and an upload into that folder while its recount is in hand
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await crashThenRetry('counters', 'race', await photoWithOriginal(370), () => anHourAgo);
    let racer: { readonly size: number } | undefined;
    const corrections: boolean[] = [];
    const racing = catalogueWith(catalogue, {
      correctFolderCounters: async (folder, stored, counts) => {
        if (folder.folder === 'race' && racer === undefined)
          racer = (await api.upload(await smoothJpeg(380, 200), 'image/jpeg', '?folder=race')).json;
        const corrected = await catalogue.correctFolderCounters(folder, stored, counts);
        if (folder.folder === 'race') corrections.push(corrected);
        return corrected;
      },
    });
    const graceMs = 600_000;
    const later = Date.now() + graceMs + 60_000;

    // Act: a pass now, and one after the grace period
    const during = await reconcileCatalogue({ store, catalogue: racing, now: Date.now, graceMs });
    const afterRace = await folderStats('race');
    const after = await reconcileCatalogue({ store, catalogue, now: () => later, graceMs });
    const again = await reconcileCatalogue({ store, catalogue, now: () => later, graceMs });

    // Assess: the correction lost the race and wrote nothing, so the racer's count stood; its
    // retry in the same run found the folder just written and left it to the next pass
    expect(corrections).toEqual([false]);
    expect(during.countersDeferred).toBeGreaterThan(0);
    expect(afterRace).toMatchObject({ images: 1, bytes: { served: racer!.size, originals: 0 } });
    expect(after.countersCorrected).toBe(1);
    expect((await folderStats('race')).images).toBe(2);
    expect(again).toMatchObject({ keyLinksRestored: 0, countersCorrected: 0, countersDeferred: 0 });
    await agreement();
  });
});
