import { readFileSync } from 'node:fs';
import {
  Crash,
  catalogueDyingAt,
  crashingPuts,
  crashingRemovals,
  expectAgreement,
} from '../support/catalogue-crashes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../infra/local/local-server';
import { type Catalogue, DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import { NO_CDN_INVALIDATION } from '../../lambdas/adapters/cdn-invalidator';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { DynamoDbErasureLog } from '../../lambdas/adapters/erasure-log';
import { type ImageStore, S3ImageStore } from '../../lambdas/adapters/image-store';
import { loadKeySecret } from '../../lambdas/adapters/key-secret';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { deleteRecordedImage } from '../../lambdas/catalogue/delete-image';
import { profileNamed } from '../../lambdas/core/model-profiles';
import { publishImage } from '../../lambdas/publishing/publish-image';
import { apiCaller } from '../support/catalogue-client';
import { smoothJpeg } from '../support/model-ready-fixtures';
import { makeTempDir } from '../support/temp-dir';

/** The scheduled reconciler's Lambda entry, run against local mode's dynalite and s3rver. */
const dir = makeTempDir('catalogue-reconcile-scheduled-e2e');
let server: LocalServer;
let api: ReturnType<typeof apiCaller>;
let s3: ReturnType<typeof createS3Client>;
let store: ImageStore;
let catalogue: Catalogue;
let handler: typeof import('../../lambdas/handlers/reconcile').handler;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, dataDir: dir.path, clients: new Map([['alice', 'key-alice']]) });
  api = apiCaller(server, 'key-alice');
  s3 = createS3Client({
    bucketName: server.bucketName,
    publicBaseUrl: 'http://unused',
    region: 'us-east-1',
    s3Endpoint: server.s3Endpoint,
  });
  store = new S3ImageStore(s3, server.bucketName);
  catalogue = new DynamoDbCatalogue(
    createDynamoDbClient('us-east-1', server.dynamoEndpoint),
    server.catalogueTable,
  );
  // What the stack gives the function (CatalogueReconciler), pointed at the embedded servers.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: 'reconcile-e2e',
    BUCKET_NAME: server.bucketName,
    S3_ENDPOINT: server.s3Endpoint,
    CATALOGUE_TABLE: server.catalogueTable,
    DYNAMODB_ENDPOINT: server.dynamoEndpoint,
    PUBLIC_BASE_URL: server.cdnBaseUrl,
    CDN_INVALIDATE_ON_DELETE: 'false',
    RECONCILE_GRACE_SECONDS: '0',
    // Nothing leaves loopback even if a run hands an erasure over to itself (Lambda Invoke) or
    // invalidates: those clients go to a closed port here, with fixed keys, never to IMDS.
    AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_CLOUDFRONT: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'reconcile-e2e',
    AWS_SECRET_ACCESS_KEY: 'reconcile-e2e',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  ({ handler } = await import('../../lambdas/handlers/reconcile'));
}, 60_000);
afterAll(async () => {
  s3.destroy();
  await server.close();
  dir.remove();
});

const SCHEDULED = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
/** A run with a whole 15 minutes left. */
const plentyOfTime = { getRemainingTimeInMillis: () => 900_000 };

const request = (bytes: Buffer) =>
  ({
    client: 'alice',
    bytes,
    declaredTypes: [],
    profile: profileNamed('universal'),
    via: 'api',
    source: 'upload',
  }) as const;
const publishDeps = (s: ImageStore, c: Catalogue) => ({
  store: s,
  limits: loadUploadLimits({}),
  catalogue: {
    catalogue: c,
    keySecret: loadKeySecret(
      { LOCAL_KEY_SECRET: readFileSync(`${dir.path}/_catalogue/key-secret.hex`, 'utf8').trim() },
      'us-east-1',
    ),
  },
});
const agreement = () =>
  expectAgreement(server, catalogue, async () => (await api.call('GET', '/stats')).json);

/**
 * Both crashes: a record whose bytes were never stored, and a record whose delete lost its bytes;
 * and an upload killed after its record, before its key links and counters, then retried.
 */
async function crashBothWays(width: number): Promise<string> {
  const photo = await smoothJpeg(width + 2, 200);
  const dying = catalogueDyingAt(
    createDynamoDbClient('us-east-1', server.dynamoEndpoint),
    server.catalogueTable,
    'key links',
  );
  await expect(publishImage(publishDeps(store, dying), request(photo))).rejects.toThrow(Crash);
  await publishImage(publishDeps(store, catalogue), request(photo));
  await expect(
    publishImage(
      publishDeps(crashingPuts(store), crashingRemovals(catalogue)),
      request(await smoothJpeg(width, 200)),
    ),
  ).rejects.toThrow(Crash);
  const uploaded = (await api.upload(await smoothJpeg(width + 1, 200), 'image/jpeg')).json;
  const record = (await catalogue.findByKey(uploaded.key))!;
  const deps = {
    store,
    catalogue: crashingRemovals(catalogue),
    invalidator: NO_CDN_INVALIDATION,
    publicBaseUrl: server.cdnBaseUrl,
  };
  await expect(deleteRecordedImage(deps, record)).rejects.toThrow(Crash);
  return uploaded.key;
}

describe('the scheduled reconciler on its own (issue 19)', () => {
  it('repairs a crash each way in one run, then finds nothing to do', async () => {
    // Prepare
    const deletedKey = await crashBothWays(300);

    // Act
    const first = await handler(SCHEDULED, plentyOfTime);
    const second = await handler(SCHEDULED, plentyOfTime);

    // Assess
    expect(first).toMatchObject({
      recordsRemoved: 2,
      keyLinksRestored: 1,
      countersCorrected: 1,
      passComplete: true,
      erasuresContinued: 0,
    });
    expect(second).toEqual({
      recordsRepaired: 0,
      recordsRemoved: 0,
      objectsRemoved: 0,
      recordsBackfilled: 0,
      keyLinksRestored: 0,
      countersCorrected: 0,
      countersDeferred: 0,
      erasuresContinued: 0,
      passComplete: true,
    });
    expect((await api.call('GET', `/objects/${deletedKey}`)).status).toBe(404);
    await agreement();
  });

  it('stops when its time is nearly up and the next run goes on from the cursor to the same end', async () => {
    // Prepare: two crashes each way, and runs with time for only a few steps each
    await crashBothWays(310);
    await crashBothWays(320);
    let steps = 0;
    const briefRun = { getRemainingTimeInMillis: () => (steps++ % 4 < 3 ? 900_000 : 1_000) };

    // Act
    const runs: Awaited<ReturnType<typeof handler>>[] = [];
    for (let i = 0; i < 50; i++) {
      const outcome = await handler(SCHEDULED, briefRun);
      runs.push(outcome);
      if ('passComplete' in outcome && outcome.passComplete) break;
    }

    // Assess: more than one run, each stopped one went on, and together they removed all four
    // records and restored both images' key links
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1)).toMatchObject({ passComplete: true });
    const total = (field: 'recordsRemoved' | 'keyLinksRestored') =>
      runs.reduce((sum, run) => sum + ('passComplete' in run ? run[field] : 0), 0);
    expect(total('recordsRemoved')).toBe(4);
    expect(total('keyLinksRestored')).toBe(2);
    await agreement();
  });

  it('finishes a folder erasure whose runs all died (lease expired, not done)', async () => {
    // Prepare: 3 images in a folder, and its erasure recorded as running with a lapsed lease
    for (const width of [200, 210, 220])
      expect((await api.upload(await smoothJpeg(width, 100), 'image/jpeg', '?folder=gone')).status).toBe(201);
    const erasures = new DynamoDbErasureLog(
      createDynamoDbClient('us-east-1', server.dynamoEndpoint),
      server.catalogueTable,
    );
    const erasure = await erasures.start({
      id: crypto.randomUUID(),
      client: 'alice',
      folder: 'gone',
      state: 'running',
      deleted: 0,
      startedAt: new Date().toISOString(),
    });
    const longAgo = new Date(Date.now() - 3_600_000);
    expect(
      await erasures.claim(erasure, longAgo.toISOString(), new Date(longAgo.getTime() + 1000).toISOString()),
    ).toBe(true);

    // Act
    const outcome = await handler(SCHEDULED, plentyOfTime);

    // Assess
    expect(outcome).toMatchObject({ erasuresContinued: 1 });
    expect((await api.call('GET', `/erasures/${erasure.id}`)).json).toEqual({
      state: 'done',
      deleted: 3,
      folder: 'gone',
    });
    expect((await api.call('GET', '/stats?folder=gone')).json.images).toBe(0);
    expect(await erasures.running()).toEqual([]);
    await agreement();
  });
});
