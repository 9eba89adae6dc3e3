import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';
import { uploadBody } from '../support/upload-events';

/** Peak RSS of handling one 4.4 MB base64 upload, over the baseline after imports and warm-up. */
interface Measurement {
  baseline: number;
  beforeHandling: number;
  peak: number;
  imageBytes: number;
  eventBytes: number;
}

const fixtures = process.env.BENCH_FIXTURES!;
writeFileSync(join(fixtures, 'upload-4m4.json'), uploadBody(readFileSync(join(fixtures, 'upload-4m4.jpg')), 'jpg'));

function measureOnce(): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./peak-rss-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let measurement: Measurement | undefined;
    child.on('message', (message: Measurement) => (measurement = message));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && measurement ? resolve(measurement) : reject(new Error(`peak-rss child exited with ${code}`))));
  });
}

// Three fresh processes; the median by growth.
const runs: Measurement[] = [];
for (let i = 0; i < 3; i++) runs.push(await measureOnce());
runs.sort((a, b) => a.peak - a.baseline - (b.peak - b.baseline));
const m = runs[1]!;
const growth = m.peak - m.baseline;
const rows: BenchRow[] = [
  {
    section: 'peak RSS',
    name: `4.4 MB upload (${(m.imageBytes / 1e6).toFixed(2)} MB image)`,
    value: `+${format.mib(growth)}`,
    floor: format.mib(m.imageBytes),
    ratio: growth / m.imageBytes,
    target: { op: '<=', limit: 4 },
    note:
      `ratio = (peak − baseline) ÷ image size; baseline ${format.mib(m.baseline)} after imports and warm-up, ` +
      `peak ${format.mib(m.peak)} (maxRSS); the growth includes the ${format.mib(m.eventBytes)} event body` +
      (m.beforeHandling === m.peak ? ' — WARNING: the peak was reached before handling' : ''),
  },
];
reportRows(rows);
