import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDbCatalogue } from '../../lambdas/adapters/catalogue-store';
import { loadUploadLimits } from '../../lambdas/settings/upload-limits';
import { createDynamoDbClient } from '../../lambdas/adapters/dynamodb-client';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import type { ImageRecord } from '../../lambdas/core/image-record';
import { profileNamed } from '../../lambdas/core/model-profiles';
import { publishImage } from '../../lambdas/publishing/publish-image';
import { MemoryImageStore } from '../../test/support/memory-image-store';
import { noisyImage } from '../support/images';
import { compareCpu, median } from '../support/measure';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * The catalogue's costs: the function CPU an upload pays for its record (servers in another
 * process, as on AWS), a page of 100 records against a page of 100 S3 keys, and one stats read.
 */
const servers = fork(fileURLToPath(new URL('./catalogue-servers.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const { dynamoEndpoint, s3Endpoint } = await new Promise<{ dynamoEndpoint: string; s3Endpoint: string }>(
  (resolve, reject) => {
    servers.once('message', (message: { dynamoEndpoint: string; s3Endpoint: string }) => resolve(message));
    servers.once('exit', (code) => reject(new Error(`catalogue servers exited with ${code}`)));
  },
);
const dynamo = createDynamoDbClient('us-east-1', dynamoEndpoint);
const catalogue = new DynamoDbCatalogue(dynamo, 'bench-catalogue');
const s3 = createS3Client({
  bucketName: 'bench',
  publicBaseUrl: 'http://unused',
  region: 'us-east-1',
  s3Endpoint,
});
const secret = Buffer.alloc(32, 1);
// A 1 MB photo, rendered for the universal profile: what a typical upload costs.
const image = await noisyImage('jpeg', 1_000_000);
const store = new MemoryImageStore();
const limits = loadUploadLimits({});
let folder = 0;
const request = () => ({
  client: 'bench',
  bytes: image,
  declaredTypes: [],
  profile: profileNamed('universal'),
  via: 'api',
  source: 'upload' as const,
  // A new folder each call: every upload writes a new record, its key links and its folder's counters.
  folder: `f/${++folder}`,
});
const rows: BenchRow[] = [];

const upload = await compareCpu(
  () => publishImage({ store, limits, catalogue: { catalogue, keySecret: async () => secret } }, request()),
  () => publishImage({ store, limits }, request()),
  { batches: 7 },
);
rows.push({
  section: 'catalogue',
  name: 'upload CPU, 1 MB JPEG: with the catalogue write ÷ without',
  value: format.micros(upload.subjectMicros),
  floor: format.micros(upload.floorMicros),
  ratio: upload.subjectMicros / upload.floorMicros,
  target: { op: '<=', limit: 1.1 },
});

/** Median wall milliseconds of `op` over `n` calls, after one warm-up. */
async function wallMillis(op: () => Promise<unknown>, n = 30): Promise<number> {
  await op();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

for (let i = 0; i < 100; i++)
  await s3.send(
    new PutObjectCommand({ Bucket: 'bench', Key: `bench/${String(i).padStart(40, '0')}.png`, Body: 'x' }),
  );
const list = await wallMillis(() =>
  catalogue.listImages({ client: 'bench', folder: 'f', recursive: true, limit: 100 }),
);
const listS3 = await wallMillis(() =>
  s3.send(new ListObjectsCommand({ Bucket: 'bench', Prefix: 'bench/', MaxKeys: 100 })),
);
rows.push({
  section: 'catalogue',
  name: 'list 100 records (Query) ÷ S3 ListObjects of 100 keys, wall',
  value: format.millis(list),
  floor: format.millis(listS3),
  ratio: list / listS3,
  note: 'embedded dynalite and s3rver on loopback: a reference, not AWS latency',
});
// Stats of a folder with 100 folders under it, each holding one image: one Query sums 101 counter items.
const record = (i: number): ImageRecord => ({
  client: 'bench',
  imageId: `stats-${i}`,
  folder: i === 0 ? 's' : `s/${i}`,
  key: `bench/stats-${i}.png`,
  tags: [],
  metadata: {},
  source: 'upload',
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  original: { contentType: 'image/png', size: 1 },
  profiles: { universal: { key: `bench/stats-${i}.png`, size: 1, contentType: 'image/png', sha256: '0' } },
  version: 0,
});
for (let i = 0; i <= 100; i++) await catalogue.saveImage(undefined, record(i));
const stats = await wallMillis(() => catalogue.stats('bench', 's'));
const getMissing = await wallMillis(() => catalogue.getImage('bench', 'none'));
rows.push({
  section: 'catalogue',
  name: 'GET /stats of a folder with 100 folders under it (one Query) ÷ GetItem of a missing record, wall',
  value: format.millis(stats),
  floor: format.millis(getMissing),
  ratio: stats / getMissing,
  note:
    'counters are kept per folder and summed under the prefix: one eventually consistent Query, ' +
    '0.5 RCU per 4 KB of counters (~20 folders) on AWS',
});

reportRows(rows);
dynamo.destroy();
s3.destroy();
servers.disconnect();
