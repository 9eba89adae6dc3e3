import { fork } from 'node:child_process';
import type { BenchRow } from './rows';

/** Environment a section child needs to build the handlers as on Lambda, with dummy credentials. */
export const LAMBDA_LIKE_ENV = {
  BUCKET_NAME: 'bench-bucket',
  PUBLIC_BASE_URL: 'https://d111111abcdef8.cloudfront.net',
  CLIENT_KEY_IDS: 'bench=bench-key-id',
  CDN_DISTRIBUTION_ID: 'E2BENCHDIST0001',
  // The presign function's per-client ceiling counts in this table (no call is made at import).
  PRESIGN_QUOTA_TABLE: 'bench-presign-quota',
  AWS_REGION: 'us-east-1',
  // Dummy credentials: signing needs some; nothing here reaches the network.
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
} as const;

/** Sends a section's rows to the runner (or prints them when the section runs alone). */
export function reportRows(rows: readonly BenchRow[]): void {
  if (process.send) process.send({ rows });
  else console.error(JSON.stringify(rows, null, 2));
}

/**
 * Runs one section file in a fresh Node process (through tsx), so sections do not share a
 * heap, a JIT or loaded modules. Its stdout goes to /dev/null — the handlers log there the way
 * they log to CloudWatch on Lambda — and its rows come back over IPC.
 */
export function runSection(
  file: string,
  options: { env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], {
      execArgv: ['--import', 'tsx', '--expose-gc', ...(options.nodeArgs ?? [])],
      env: { ...process.env, POWERTOOLS_DEV: 'false', ...options.env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const rows: BenchRow[] = [];
    const timeoutMs = options.timeoutMs ?? 90_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ran over ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: { rows?: BenchRow[] }) => rows.push(...(message.rows ?? [])));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(rows);
      else reject(new Error(`${file} exited with ${signal ?? code}`));
    });
  });
}
