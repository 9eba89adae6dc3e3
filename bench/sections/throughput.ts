import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../lambdas/adapters/s3-client';
import { median } from '../support/measure';
import { noisyImage } from '../support/images';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * End-to-end throughput of local mode — 32 concurrent JSON base64 uploads of distinct 100 KB
 * PNGs over HTTP on 127.0.0.1 — against raw PutObject of the same images to the same s3rver
 * with the same concurrency. The server runs in a child process; this one only drives load.
 */
const CONCURRENCY = 32;
const PER_ROUND = 160;
const ROUNDS = 3;

interface ServerInfo {
  apiUrl: string;
  s3Endpoint: string;
  bucketName: string;
  apiKey: string;
}

const server = fork(fileURLToPath(new URL('./throughput-server.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const info = await new Promise<ServerInfo>((resolve, reject) => {
  server.once('message', (message: ServerInfo) => resolve(message));
  server.once('exit', (code) => reject(new Error(`local server exited with ${code}`)));
});

const s3 = createS3Client({
  bucketName: info.bucketName,
  publicBaseUrl: 'http://unused',
  region: 'us-east-1',
  s3Endpoint: info.s3Endpoint,
});
const images: Buffer[] = [];
for (let i = 0; i < CONCURRENCY + PER_ROUND * ROUNDS; i++) images.push(await noisyImage('png', 100_000));
const bodies = images.map((image) => JSON.stringify({ image: image.toString('base64'), imageType: 'png' }));

/** Runs `count` jobs with `CONCURRENCY` in flight; returns completed jobs per second. */
async function drive(from: number, count: number, job: (index: number) => Promise<void>): Promise<number> {
  let next = from;
  const end = from + count;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < end) await job(next++);
    }),
  );
  return (count * 1000) / (performance.now() - start);
}

async function upload(index: number): Promise<void> {
  const response = await fetch(`${info.apiUrl}/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': info.apiKey },
    body: bodies[index],
  });
  if (response.status !== 201)
    throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

let rawKeys = 0;
async function rawPut(index: number): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: info.bucketName,
      Key: `raw/${rawKeys++}.png`,
      Body: images[index],
      ContentType: 'image/png',
      ContentLength: images[index]!.length,
    }),
  );
}

try {
  // Warm-up: connections, JIT, s3rver's first writes.
  await drive(0, CONCURRENCY, upload);
  await drive(0, CONCURRENCY, rawPut);
  const ours: number[] = [];
  const raw: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const from = CONCURRENCY + round * PER_ROUND;
    ours.push(await drive(from, PER_ROUND, upload));
    raw.push(await drive(from, PER_ROUND, rawPut));
  }
  const oursPerSecond = median(ours);
  const rawPerSecond = median(raw);
  const rows: BenchRow[] = [
    {
      section: 'throughput',
      name: `local server, ${CONCURRENCY} concurrent 100 KB uploads`,
      value: format.perSecond(oursPerSecond),
      floor: format.perSecond(rawPerSecond),
      ratio: oursPerSecond / rawPerSecond,
      target: { op: '>=', limit: 0.8 },
      note: `floor: raw PutObject of the same images to the same s3rver, same concurrency; median of ${ROUNDS} rounds of ${PER_ROUND}`,
    },
  ];
  reportRows(rows);
} finally {
  s3.destroy();
  server.send('stop');
}
