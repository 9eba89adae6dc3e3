import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../infra/local/local-server';
import { makeLoadImages } from '../../scripts/load/image-set';
import { runLoad } from '../../scripts/load/run-load';
import { compareBucketWithCatalogue } from '../../scripts/load/catalogue-agreement';
import { listStoredKeys } from '../support/stored-keys';
import { makeTempDir } from '../support/temp-dir';

const dir = makeTempDir('load-small');
const clients = new Map([
  ['load-a', 'load-key-a'],
  ['load-b', 'load-key-b'],
]);
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({
    port: 0,
    dataDir: dir.path,
    clients,
    env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
  });
});

afterAll(async () => {
  await server.close();
  dir.remove();
});

describe('load with integrity (the small run of npm run load)', () => {
  it('answers 200 concurrent uploads with duplicates without an error, and every URL serves the rendition its answer describes', async () => {
    // Prepare
    const images = await makeLoadImages(40, 3, 300);

    // Act
    const report = await runLoad({
      apiUrl: server.apiUrl,
      clients,
      images,
      uploads: 200,
      concurrency: 16,
      maxSeconds: 120,
    });

    // Assess
    expect({
      errors: report.errors,
      unsent: report.unsent,
      lost: report.lost,
      mismatched: report.mismatched,
    }).toEqual({ errors: {}, unsent: 0, lost: 0, mismatched: 0 });
    expect(report.created).toBe(200);
    expect(report.fetched).toBe(200);
    expect(report.distinctObjects).toBeLessThan(200); // duplicates were sent, and stored once
    // Served objects only: uploads kept behind renditions live under the private `_originals/`.
    const served = (await listStoredKeys(server.s3Endpoint, server.bucketName)).filter(
      (key) => !key.startsWith('_'),
    );
    expect(served.length).toBe(report.distinctObjects);
    // And the catalogue agrees with the bucket: every object recorded, every record stored, stats exact.
    const agreement = await compareBucketWithCatalogue(server, [...clients.keys()]);
    expect(agreement).toMatchObject({ unrecorded: 0, missing: 0, statsMismatches: 0 });
    expect(agreement.records).toBeGreaterThan(0);
  });
});
