import { parseArgs } from 'node:util';
import { startLocalServer } from '../infra/local/local-server';
import { makeTempDir } from '../test/support/temp-dir';
import { compareBucketWithCatalogue } from './load/catalogue-agreement';
import { makeLoadImages } from './load/image-set';
import { formatReport, runLoad } from './load/run-load';

/**
 * `npm run load`: starts local mode over a temporary data folder (loopback only), drives it
 * with concurrent clients, fetches every returned URL and checks its SHA-256, prints a table.
 * Ends by comparing the bucket with the catalogue. Exits 1 on any error, lost or mismatched
 * object, or disagreement between bucket and catalogue. Flags: --uploads, --concurrency,
 * --distinct (images), --clients, --max-seconds.
 */
const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
    distinct: { type: 'string', default: '300' },
    clients: { type: 'string', default: '4' },
    'max-seconds': { type: 'string', default: '300' },
  },
});

function bounded(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

const uploads = bounded('uploads', values.uploads, 1, 100_000);
const concurrency = bounded('concurrency', values.concurrency, 1, 256);
const distinct = bounded('distinct', values.distinct, 1, 2_000);
const clientCount = bounded('clients', values.clients, 1, 16);
const maxSeconds = bounded('max-seconds', values['max-seconds'], 1, 3_600);

// One INFO line per upload would drown the table; warnings and errors still show.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// Nor one EMF metrics line per upload (local mode prints them to stdout, as Lambda does).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const dir = makeTempDir('load');
const clients = new Map(Array.from({ length: clientCount }, (_, i) => [`load-${i}`, `load-key-${i}`]));
const madeAt = performance.now();
const images = await makeLoadImages(distinct);
const imageSeconds = (performance.now() - madeAt) / 1000;
const server = await startLocalServer({
  port: 0,
  dataDir: dir.path,
  clients,
  // The usage-plan throttle would turn a load test into a throttle test: lift it to its ceiling.
  env: { THROTTLE_RATE_PER_SECOND: '10000', THROTTLE_BURST: '5000' },
});
try {
  const report = await runLoad({ apiUrl: server.apiUrl, clients, images, uploads, concurrency, maxSeconds });
  // Every stored object belongs to a recorded image, every record's objects exist, stats equal the records.
  const agreement = await compareBucketWithCatalogue(server, [...clients.keys()]);
  const disagreements = agreement.unrecorded + agreement.missing + agreement.statsMismatches;
  console.log(
    formatReport(report, {
      concurrency,
      'distinct images (sharp)': `${images.length}, made in ${imageSeconds.toFixed(1)} s, ${(images.reduce((n, i) => n + i.bytes.length, 0) / 1e6).toFixed(1)} MB`,
      clients: clientCount,
      'objects in the bucket': `${agreement.storedObjects} (${agreement.unrecorded} unexpected: not of a recorded image)`,
      'catalogue records': `${agreement.records} (${agreement.missing} objects missing, ${agreement.statsMismatches} clients' stats off)`,
    }),
  );
  process.exitCode =
    report.errorCount + report.lost + report.mismatched + report.unsent + disagreements === 0 ? 0 : 1;
} finally {
  await server.close();
  dir.remove();
}
