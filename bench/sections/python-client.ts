import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pythonEnv } from '../support/peers';
import { type BenchRow, format, skippedRow } from '../support/rows';
import { reportRows } from '../support/section';

/**
 * The Python client's `AsyncClient`: concurrent calls that each wait one back-off, on a loop
 * whose executor has 4 threads, against one such call alone (bench/python-async-waits.py).
 * The calls' plans await their waits in the loop, so many calls take about as long as one;
 * waits held in worker threads would take about calls ÷ threads back-offs (10× here).
 */
const SCRIPT = fileURLToPath(new URL('../python-async-waits.py', import.meta.url));
const row = {
  section: 'python-client',
  name: '40 AsyncClient calls at once, each with one 0.2 s back-off (4 worker threads)',
  target: { op: '<=', limit: 2 },
  note: 'floor: one such call alone; waits held in threads would be ~10×',
} as const;

const run = spawnSync('python3', [SCRIPT], { env: pythonEnv(), encoding: 'utf8', timeout: 120_000 });
const rows: BenchRow[] = [];
if (run.error || run.status !== 0) {
  rows.push(skippedRow(row, run.error ? 'python3 not found' : `the script failed: ${run.stderr.trim()}`));
} else {
  const { oneSeconds, manySeconds } = JSON.parse(run.stdout) as { oneSeconds: number; manySeconds: number };
  rows.push({
    ...row,
    value: format.millis(manySeconds * 1000),
    floor: format.millis(oneSeconds * 1000),
    ratio: manySeconds / oneSeconds,
  });
}
reportRows(rows);
