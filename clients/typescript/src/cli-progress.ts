/** Where the progress line goes: a terminal, usually stderr. */
export interface ProgressSink {
  write(text: string): unknown;
}

/** Sizes as people read them: decimal units, three significant digits. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

/** One line of the bar: `[#####-----]  52%  10.4 MB / 20.1 MB  1 of 2 done  big.png`. */
export function renderProgress(state: {
  readonly sentBytes: number;
  readonly totalBytes: number;
  readonly done: number;
  readonly files: number;
  readonly current?: string;
  readonly width?: number;
}): string {
  const width = state.width ?? 24;
  const ratio = state.totalBytes === 0 ? 1 : Math.min(1, state.sentBytes / state.totalBytes);
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const sizes = `${formatBytes(state.sentBytes)} / ${formatBytes(state.totalBytes)}`;
  const count = `${state.done} of ${state.files} done`;
  return [bar, percent, sizes, count, state.current ?? ''].join('  ').trimEnd();
}

/**
 * A one-line progress bar redrawn in place (`\r`, then erase to the end of the line), at most
 * every `intervalMs`; `log` prints a line above it. Draws nothing unless enabled.
 */
export class ProgressBar {
  readonly #sink: ProgressSink;
  readonly #enabled: boolean;
  readonly #intervalMs: number;
  readonly #sent = new Map<string, number>();
  readonly #totalBytes: number;
  readonly #files: number;
  #done = 0;
  #current: string | undefined;
  #lastDraw = 0;
  #drawn = false;

  constructor(
    sink: ProgressSink,
    options: { enabled: boolean; totalBytes: number; files: number; intervalMs?: number },
  ) {
    this.#sink = sink;
    this.#enabled = options.enabled;
    this.#totalBytes = options.totalBytes;
    this.#files = options.files;
    this.#intervalMs = options.intervalMs ?? 100;
  }

  /** `name` has sent `sentBytes` so far. */
  update(name: string, sentBytes: number): void {
    this.#sent.set(name, sentBytes);
    this.#current = name;
    this.#draw(false);
  }

  /** `name` is finished (uploaded or failed): its whole size counts as sent. */
  finish(name: string, sizeBytes: number): void {
    this.#sent.set(name, sizeBytes);
    this.#done++;
    this.#draw(true);
  }

  /** Prints `line` above the bar. */
  log(line: string, to: ProgressSink): void {
    this.#clear();
    to.write(`${line}\n`);
    if (this.#drawn) this.#draw(true);
  }

  /** Removes the bar. */
  end(): void {
    this.#clear();
  }

  #draw(force: boolean): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (!force && now - this.#lastDraw < this.#intervalMs) return;
    this.#lastDraw = now;
    this.#drawn = true;
    const sentBytes = [...this.#sent.values()].reduce((sum, n) => sum + n, 0);
    const line = renderProgress({
      sentBytes,
      totalBytes: this.#totalBytes,
      done: this.#done,
      files: this.#files,
      ...(this.#current !== undefined && { current: this.#current }),
    });
    this.#sink.write(`\r\x1b[2K${line}`);
  }

  #clear(): void {
    if (this.#enabled && this.#drawn) this.#sink.write('\r\x1b[2K');
  }
}
