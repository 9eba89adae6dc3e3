import type { ImageProxyClient } from './client.ts';
import type { Options } from './cli-options.ts';

/** Where the CLI reads and writes: the process's, or a test's. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What relative paths are resolved against. */
  readonly cwd: string;
  /** Aborts the run (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** What a command runs with. */
export interface CommandContext {
  readonly options: Options;
  readonly io: CliIo;
  /** The API client, configured by the options and the environment; throws `UsageError` when it cannot be. */
  client(): ImageProxyClient;
}

export { UsageError } from './cli-usage-error.ts';

/** JSON as the CLI prints it. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
