/**
 * What a row is held to: at most (`<=`) or at least (`>=`) `limit`. By default the limit bounds
 * the ratio; a row whose target is absolute (cold start: ms over bare node) passes the
 * compared figure in `actual` and a `label` saying what it is.
 */
export interface Target {
  readonly op: '<=' | '>=';
  readonly limit: number;
  readonly actual?: number;
  readonly label?: string;
}

/**
 * One line of the benchmark table: a measured value, the floor measured in the same run,
 * their ratio and the target. Rows without a target are references (shown, never judged).
 */
export interface BenchRow {
  readonly section: string;
  readonly name: string;
  /** Measured value and floor, already formatted with their units. */
  readonly value: string;
  readonly floor: string;
  /** value ÷ floor in the sense of the target (for throughput: ours ÷ raw). */
  readonly ratio: number;
  readonly target?: Target | undefined;
  /** How the floor or target is read, when the ratio alone does not say it. */
  readonly note?: string | undefined;
  /** Why the row could not be measured on this machine (a peer that is not installed). */
  readonly skipped?: string | undefined;
}

export function verdict(row: BenchRow): 'pass' | 'FAIL' | 'ref' | 'skipped' {
  if (row.skipped !== undefined) return 'skipped';
  if (!row.target) return 'ref';
  const { op, limit, actual = row.ratio } = row.target;
  return (op === '<=' ? actual <= limit : actual >= limit) ? 'pass' : 'FAIL';
}

/**
 * A row that cannot be measured here, with the reason in its measured cell
 * ("skipped: python3-pil not installed"). It is shown and never judged.
 */
export function skippedRow(
  row: Pick<BenchRow, 'section' | 'name' | 'target' | 'note'>,
  reason: string,
): BenchRow {
  return { ...row, value: `skipped: ${reason}`, floor: '—', ratio: Number.NaN, skipped: reason };
}

/** Formats microseconds, milliseconds or bytes the way the table shows them. */
export const format = {
  micros: (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(us < 10 ? 2 : 1)} µs`),
  millis: (ms: number) => `${ms.toFixed(1)} ms`,
  kib: (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`,
  mib: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`,
  perSecond: (n: number) => `${n.toFixed(0)} req/s`,
};

/** The table as Markdown, so the same text goes to the terminal and to docs/benchmarks.md. */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'measured', 'floor', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [
    `${row.section}: ${row.name}`,
    row.value,
    row.floor,
    Number.isFinite(row.ratio) ? `${row.ratio.toFixed(2)}×` : '—',
    row.target
      ? (row.target.label ?? `${row.target.op === '<=' ? '≤' : '≥'} ${row.target.limit}×`)
      : '(reference)',
    verdict(row),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const notes = rows.filter((row) => row.note).map((row) => `- ${row.section}: ${row.name} — ${row.note}`);
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render), '', ...notes].join(
    '\n',
  );
}
