import { vi } from 'vitest';

/**
 * Captures everything the process writes to stdout/stderr (where Powertools Logger prints)
 * and through `console`, until `stop()`.
 */
export function captureLogs(): { text: () => string; stop: () => void } {
  const chunks: string[] = [];
  const record = (chunk: unknown) =>
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (record(chunk), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (record(chunk), true)),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi
        .spyOn(console, method)
        .mockImplementation((...args: unknown[]) => void chunks.push(args.map(String).join(' '))),
    ),
  ];
  return {
    text: () => chunks.join('\n'),
    stop: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * The secrets (or their pieces of `window` characters or more) that appear in `logText`.
 * A piece is enough: a log line cut to a length still leaks what it shows.
 */
export function findLeaks(logText: string, secrets: Readonly<Record<string, string>>, window = 32): string[] {
  const leaks: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    if (secret.length <= window) {
      if (logText.includes(secret)) leaks.push(name);
      continue;
    }
    for (let i = 0; i + window <= secret.length; i++) {
      if (logText.includes(secret.slice(i, i + window))) {
        leaks.push(`${name} (from character ${i})`);
        break;
      }
    }
  }
  return leaks;
}
