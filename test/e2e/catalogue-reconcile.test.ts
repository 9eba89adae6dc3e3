import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Catalogue, DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { type ImageStore, S3ImageStore } from '../../lambdas/adapters/image-store';
import { loadKeySecret } from '../../lambdas/adapters/key-secret';
import { deleteRecordedImage } from '../../lambdas/catalogue/delete-image';
import { profileNamed } from '../../lambdas/core/model-profiles';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { publishImage } from '../../lambdas/publishing/publish-image';
import { useLocalServer } from '../support/file-server';
import { Crash, crashingPuts, crashingRemovals, expectAgreement } from '../support/catalogue-crashes';
import { smoothJpeg } from '../support/model-ready-fixtures';
import { embeddedS3Client } from '../support/stored-keys';

const local = useLocalServer('catalogue-reconcile-e2e', { alice: 'key-alice' });
const api = local.api('alice');
let s3: S3Client;
let store: ImageStore;
let catalogue: Catalogue;

beforeAll(() => {
  s3 = embeddedS3Client(local.server);
  store = new S3ImageStore(s3, local.server.bucketName);
  catalogue = new DynamoDbCatalogue(
    createDynamoDbClient('us-east-1', local.server.dynamoEndpoint),
    local.server.catalogueTable,
  );
});
afterAll(() => s3.destroy());

const agreement = () =>
  expectAgreement(local.server, catalogue, async () => (await api.call('GET', '/stats')).json.images);

const publishDeps = (s: ImageStore, c: Catalogue) => ({
  store: s,
  limits: loadUploadLimits({}),
  catalogue: { catalogue: c, keySecret: loadKeySecret({ LOCAL_KEY_SECRET: localSecretHex() }, 'us-east-1') },
});
function localSecretHex(): string {
  return readFileSync(`${local.dataDir}/_catalogue/key-secret.hex`, 'utf8').trim();
}
const request = (bytes: Buffer) =>
  ({
    client: 'alice',
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
