import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { smoothLargeJpeg } from '../support/photos';
import { format, type BenchRow } from '../support/rows';
import { reportRows } from '../support/section';
import { uploadBody } from '../support/upload-events';

/**
 * Peak RSS over the baseline after imports and warm-up, each measured in three fresh
 * processes (the median by growth is reported): handling one 4.4 MB base64 upload, and
 * rendering one 100 MP JPEG to `universal`.
 */
interface Measurement {
  baseline: number;
  beforeHandling?: number;
  peak: number;
  imageBytes: number;
  eventBytes?: number;
  width?: number;
  height?: number;
  rendition?: string;
  sharpConcurrency?: number;
}

const fixtures = process.env.BENCH_FIXTURES!;
writeFileSync(
  join(fixtures, 'upload-4m4.json'),
  uploadBody(readFileSync(join(fixtures, 'upload-4m4.jpg')), 'jpg'),
);

function measureOnce(file: string, env: Record<string, string> = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let measurement: Measurement | undefined;
    child.on('message', (message: Measurement) => (measurement = message));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && measurement ? resolve(measurement) : reject(new Error(`${file} exited with ${code}`)),
    );
  });
}

/** The run with the median growth (peak − baseline) of three fresh processes. */
async function medianOfThree(file: string, env?: Record<string, string>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < 3; i++) runs.push(await measureOnce(file, env));
  runs.sort((a, b) => a.peak - a.baseline - (b.peak - b.baseline));
  return runs[1]!;
}

const m = await medianOfThree('./peak-rss-child.ts');
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
      `peak ${format.mib(m.peak)} (maxRSS); the growth includes the ${format.mib(m.eventBytes!)} event body` +
      (m.beforeHandling === m.peak ? ' — WARNING: the peak was reached before handling' : ''),
  },
];

// 100 MP: the pixel limit (DEFAULT_MAX_IMAGE_PIXELS). Decoded, it would be w·h·3 bytes of RGB;
// sharp's JPEG shrink-on-load decodes at 1/8 scale and libvips streams the rest.
const side = 10_000;
const hugePath = join(fixtures, 'smooth-100mp.jpg');
writeFileSync(hugePath, await smoothLargeJpeg(side, side));
const huge = await medianOfThree('./peak-rss-render-child.ts', { BENCH_IMAGE: hugePath });
if (huge.width !== side || huge.height !== side)
  throw new Error(`the 100 MP JPEG was read as ${huge.width}×${huge.height}`);
const decodedBytes = side * side * 3;
const hugeGrowth = huge.peak - huge.baseline;
rows.push({
  section: 'peak RSS',
  name: `100 MP JPEG → universal (${side}×${side}, ${(huge.imageBytes / 1e6).toFixed(2)} MB)`,
  value: `+${format.mib(hugeGrowth)}`,
  floor: format.mib(decodedBytes),
  ratio: hugeGrowth / decodedBytes,
  target: { op: '<=', limit: 1 },
  note:
    `renderForProfile to ${huge.rendition}; ratio = (peak − baseline) ÷ decoded RGB size (w·h·3); baseline ` +
    `${format.mib(huge.baseline)} after imports and 3 small renders, peak ${format.mib(huge.peak)} (maxRSS), ` +
    `median of 3 processes; the growth includes the file's bytes; sharp's defaults (concurrency ${huge.sharpConcurrency}, operation cache)` +
    (hugeGrowth === 0 ? ' — WARNING: the peak was reached before rendering' : ''),
});
reportRows(rows);
