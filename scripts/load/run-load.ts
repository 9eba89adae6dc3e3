import { createHash } from 'node:crypto';
import { seededRandom, type LoadImage } from './image-set';

/** Where and how hard to drive the API. */
export interface LoadOptions {
  readonly apiUrl: string;
  /** Client name → API key; uploads rotate through them (each has its own namespace). */
  readonly clients: ReadonlyMap<string, string>;
  readonly images: readonly LoadImage[];
  readonly uploads: number;
  readonly concurrency: number;
  /** Past this, no new request starts; the run then fails with the unsent count. */
  readonly maxSeconds: number;
  readonly seed?: number;
}

/** What a run saw. `lost` and `mismatched` must be 0 for the run to pass. */
export interface LoadReport {
  readonly requests: number;
  readonly created: number;
  /** Non-201 answers and network failures, by status (`network` for the latter). */
  readonly errors: Readonly<Record<string, number>>;
  readonly errorCount: number;
  readonly unsent: number;
  /** 201s whose URL did not serve the object. */
  readonly lost: number;
  /** 201s whose answer or served bytes did not match what was sent. */
  readonly mismatched: number;
  readonly distinctObjects: number;
  readonly fetched: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly uploadSeconds: number;
  readonly uploadsPerSecond: number;
  readonly megabytesPerSecond: number;
}

type Transport = 'json' | 'data-uri' | 'raw';
const TRANSPORTS: readonly Transport[] = ['json', 'data-uri', 'raw'];

function requestFor(image: LoadImage, transport: Transport): { body: string | Buffer; contentType: string } {
  if (transport === 'raw') return { body: image.bytes, contentType: image.contentType };
  const base64 = image.bytes.toString('base64');
  const imageField = transport === 'json' ? base64 : `data:${image.contentType};base64,${base64}`;
  return { body: JSON.stringify({ image: imageField }), contentType: 'application/json' };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `tasks` with at most `concurrency` in flight, stopping new ones after `deadline`. */
async function pool(
  count: number,
  concurrency: number,
  deadline: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < deadline) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return next;
}

/**
 * Uploads `uploads` images drawn (with repeats) from `images` over mixed transports, then
 * fetches every returned URL and checks its SHA-256 against the bytes sent.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const random = seededRandom(options.seed ?? 11);
  const clients = [...options.clients];
  const plan = Array.from({ length: options.uploads }, (_, i) => ({
    image: options.images[Math.floor(random() * options.images.length)]!,
    client: clients[i % clients.length]!,
    transport: TRANSPORTS[i % TRANSPORTS.length]!,
  }));
  const deadline = performance.now() + options.maxSeconds * 1000;
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  const created: { url: string; image: LoadImage; sha256: string }[] = [];
  let mismatched = 0;
  let created201 = 0;
  let bytesSent = 0;

  const started = performance.now();
  const sent = await pool(plan.length, options.concurrency, deadline, async (index) => {
    const { image, client, transport } = plan[index]!;
    const { body, contentType } = requestFor(image, transport);
    const t0 = performance.now();
    try {
      const response = await fetch(`${options.apiUrl}/uploads`, {
        method: 'POST',
        headers: { 'x-api-key': client[1], 'content-type': contentType },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const answer = (await response.json()) as {
        url?: string;
        key?: string;
        sha256?: string;
        size?: number;
        original?: { size?: number };
      };
      latencies.push(performance.now() - t0);
      if (response.status !== 201) {
        errors[response.status] = (errors[response.status] ?? 0) + 1;
        return;
      }
      created201 += 1;
      bytesSent += image.bytes.length;
      // The URL serves a rendition (GIF and AVIF become PNG/JPEG) under an opaque key of the
      // caller's namespace; its digest is checked against the served bytes below.
      if (
        !answer.sha256 ||
        answer.original?.size !== image.bytes.length ||
        !answer.key?.startsWith(`${client[0]}/`) ||
        !answer.url
      ) {
        mismatched += 1;
        return;
      }
      created.push({ url: answer.url, image, sha256: answer.sha256 });
    } catch {
      errors.network = (errors.network ?? 0) + 1;
    }
  });
  const uploadSeconds = (performance.now() - started) / 1000;

  let lost = 0;
  await pool(created.length, options.concurrency, Number.POSITIVE_INFINITY, async (index) => {
    const { url, sha256: expected } = created[index]!;
    try {
      const served = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (served.status !== 200) {
        lost += 1;
        await served.arrayBuffer();
        return;
      }
      if (sha256(new Uint8Array(await served.arrayBuffer())) !== expected) mismatched += 1;
    } catch {
      lost += 1;
    }
  });

  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    requests: sent,
    created: created201,
    errors,
    errorCount: Object.values(errors).reduce((sum, n) => sum + n, 0),
    unsent: plan.length - sent,
    lost,
    mismatched,
    distinctObjects: new Set(created.map(({ url }) => url)).size,
    fetched: created.length,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? 0),
    },
    uploadSeconds: round(uploadSeconds),
    uploadsPerSecond: round(sent / uploadSeconds),
    megabytesPerSecond: round(bytesSent / 1e6 / uploadSeconds),
  };
}

/** The report as a two-column table. */
export function formatReport(report: LoadReport, extra: Record<string, string | number> = {}): string {
  const errors =
    report.errorCount === 0
      ? '0'
      : `${report.errorCount} (${Object.entries(report.errors)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')})`;
  const rows: [string, string | number][] = [
    ...Object.entries(extra),
    ['upload requests', report.requests],
    ['201 created', report.created],
    ['errors', errors],
    ['not sent (time limit)', report.unsent],
    ['URLs fetched and checked', report.fetched],
    ['lost objects', report.lost],
    ['mismatched objects', report.mismatched],
    ['distinct objects', report.distinctObjects],
    [
      'latency p50 / p99 / max',
      `${report.latencyMs.p50} / ${report.latencyMs.p99} / ${report.latencyMs.max} ms`,
    ],
    ['throughput', `${report.uploadsPerSecond} uploads/s, ${report.megabytesPerSecond} MB/s of images`],
    ['upload phase', `${report.uploadSeconds} s`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    '| measure | value |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name.padEnd(width)} | ${value} |`),
  ].join('\n');
}
