import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File in DATA_DIR that keeps the key local mode generated, so a restart opens the same namespace. */
export const LOCAL_KEY_FILE = 'local-api-key';

/** The key of the `local` client and where it came from, for the banner. */
export interface LocalKey {
  readonly key: string;
  readonly origin: 'LOCAL_API_KEY' | 'kept' | 'generated';
  /** The file that keeps it (kept or generated); undefined for LOCAL_API_KEY. */
  readonly file?: string;
}

/**
 * The `local` client's key: `LOCAL_API_KEY` when set (the stored key is left as it is);
 * else the key kept in `<dataDir>/local-api-key` by an earlier start; else a new random key,
 * written there (owner-only) so a bot configured yesterday still gets in today.
 */
export function localApiKey(dataDir: string, given: string | undefined): LocalKey {
  if (given?.trim()) return { key: given.trim(), origin: 'LOCAL_API_KEY' };
  const file = join(dataDir, LOCAL_KEY_FILE);
  let kept = '';
  try {
    kept = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (kept) return { key: kept, origin: 'kept', file };
  const key = `local-${randomBytes(18).toString('base64url')}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, origin: 'generated', file };
}
