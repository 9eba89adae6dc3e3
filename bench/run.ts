import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME_NAME } from '../infra/lambda-bundling';
import { DEFAULT_MAX_IMAGE_BYTES } from '../lambdas/core/limits';
import { noisyImage } from './support/images';
import { renderTable, verdict, type BenchRow } from './support/rows';
import { LAMBDA_LIKE_ENV, runSection } from './support/section';

/**
 * `npm run bench`: every section in its own process, one table at the end.
 * `npm run bench -- upload-cpu presign` runs only the named sections.
 */
const SECTIONS: ReadonlyArray<{ name: string; file: string; timeoutMs?: number }> = [
  { name: 'upload-cpu', file: 'sections/upload-cpu.ts' },
  { name: 'imaging', file: 'sections/imaging.ts' },
  { name: 'clips', file: 'sections/clips.ts' },
  // 48 tiles encoded by heif-enc, then every HEIC subject interleaved: minutes on 2 shared cores.
  { name: 'heic-latency', file: 'sections/heic-latency.ts', timeoutMs: 900_000 },
  // A whole upload through local mode; reuses heic-latency's photo when both run.
  { name: 'heic-upload', file: 'sections/heic-upload.ts', timeoutMs: 900_000 },
  { name: 'presign', file: 'sections/presign.ts' },
  // Every bundle twice (CommonJS as deployed, ESM as before), each against bare node.
  { name: 'cold-start', file: 'sections/cold-start.ts', timeoutMs: 900_000 },
  { name: 'peak-rss', file: 'sections/peak-rss.ts' },
  { name: 'throughput', file: 'sections/throughput.ts' },
  { name: 'cache-keys', file: 'sections/cache-keys.ts' },
  { name: 'catalogue', file: 'sections/catalogue.ts' },
  { name: 'console', file: 'sections/console.ts' },
  { name: 'python-client', file: 'sections/python-client.ts' },
];

// Figures taken on another Node major than the functions' would describe code that never runs.
if (process.versions.node.split('.')[0] !== String(LAMBDA_NODE_MAJOR)) {
  console.error(
    `bench: this is Node ${process.version}, the functions run on ${LAMBDA_RUNTIME_NAME}; run \`npm run bench\` after \`npm ci\`, ` +
      `which installs Node ${LAMBDA_NODE_MAJOR} into node_modules/.bin on linux-x64, linux-arm64 and macOS x64, or install Node ${LAMBDA_NODE_MAJOR}`,
  );
  process.exit(1);
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const wanted = process.argv.slice(2);
const started = performance.now();
const fixtures = mkdtempSync(join(tmpdir(), 'bench-fixtures-'));

try {
  const images: Record<string, Buffer> = {
    'upload-100k.png': await noisyImage('png', 100_000),
    'upload-1m.jpg': await noisyImage('jpeg', 1_000_000),
    'upload-4m.png': await noisyImage('png', 4_000_000),
    // The largest image the base64 route takes (Lambda's 6 MB request limit).
    'upload-4m4.jpg': await noisyImage('jpeg', DEFAULT_MAX_IMAGE_BYTES - 50_000, DEFAULT_MAX_IMAGE_BYTES),
  };
  for (const [file, bytes] of Object.entries(images)) writeFileSync(join(fixtures, file), bytes);

  const rows: BenchRow[] = [];
  for (const section of SECTIONS) {
    if (wanted.length > 0 && !wanted.includes(section.name)) continue;
    const t = performance.now();
    process.stderr.write(`running ${section.name}… `);
    // A section takes 10–60 s on 2 quiet cores; the limit only catches a hung one.
    rows.push(
      ...(await runSection(here(section.file), {
        env: { ...LAMBDA_LIKE_ENV, BENCH_FIXTURES: fixtures },
        timeoutMs: section.timeoutMs ?? 240_000,
      })),
    );
    process.stderr.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const machine = `${availableParallelism()} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}`;
  console.log(`\n${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s in all\n`);
  console.log(renderTable(rows));
  const failed = rows.filter((row) => verdict(row) === 'FAIL').length;
  const skipped = rows.filter((row) => verdict(row) === 'skipped').length;
  console.log(`\n${rows.length} rows, ${failed} over target${skipped > 0 ? `, ${skipped} skipped` : ''}`);
} finally {
  rmSync(fixtures, { recursive: true, force: true });
}
