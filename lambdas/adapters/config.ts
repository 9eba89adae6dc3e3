import { assertClientName } from '../core/object-keys';
import { ConfigError, type Env, loadSettings } from '../settings/setting';
import { wholeNumberSetting } from '../settings/setting-kinds';
import { ENV } from './env-names';

// Declared settings (limits, presign, source fetch, renditions, …) are read by their feature
// file under lambdas/settings/; here: what every handler shares, and the helpers of local mode's
// own variables.
export { ConfigError };

/** Reads a required string setting, naming the variable when it is missing. */
export function requiredString(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} must be set`);
  return value;
}

/** Reads an optional whole-number variable within [min, max] that no deploy sets (local mode's, scripts'). */
export function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  return loadSettings({ value: wholeNumberSetting({ envName: name, fallback, min, max }) }, env).value;
}

/** Splits `name=value` items separated by commas, checking each name is a client name. */
function clientPairs(
  raw: string,
  variable: string,
  shape: string,
): Array<readonly [name: string, value: string]> {
  const pairs: Array<readonly [string, string]> = [];
  for (const item of raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    if (eq <= 0 || !value)
      throw new ConfigError(`${variable} must hold ${shape} pairs separated by commas, got "${item}"`);
    try {
      assertClientName(name);
    } catch (err) {
      throw new ConfigError(`${variable}: ${(err as Error).message}`);
    }
    pairs.push([name, value]);
  }
  if (pairs.length === 0) throw new ConfigError(`${variable} must name at least one client`);
  return pairs;
}

/**
 * Parses `client=key` pairs in which a client may be named more than once: one key per pair,
 * two for a client in a key rotation (`CLIENT_KEY_IDS` on AWS, `LOCAL_CLIENTS` locally). A key
 * named twice is refused: it could not tell whose namespace it opens.
 */
export function parseClientKeys(
  raw: string,
  variable: string,
): Array<readonly [client: string, key: string]> {
  const owners = new Map<string, string>();
  const pairs = clientPairs(raw, variable, 'client=key');
  for (const [name, value] of pairs) {
    const owner = owners.get(value);
    if (owner !== undefined)
      throw new ConfigError(
        `${variable} gives one key to ${owner === name ? `"${name}" twice` : `both "${owner}" and "${name}"`}`,
      );
    owners.set(value, name);
  }
  return pairs;
}

/** Parses `name=value,name2=value2` pairs (client=profile), each name once. */
export function parseNamedPairs(raw: string, variable: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const [name, value] of clientPairs(raw, variable, 'name=value')) {
    if (pairs.has(name)) throw new ConfigError(`${variable} names client "${name}" twice`);
    pairs.set(name, value);
  }
  return pairs;
}

/** Where objects live and how public URLs are built. */
export interface StorageConfig {
  readonly bucketName: string;
  readonly publicBaseUrl: string;
  readonly region: string;
  readonly s3Endpoint?: string | undefined;
}

/** Where objects live, without the public URL: what a function that only reads and writes them needs. */
export type StorageLocation = Pick<StorageConfig, 'bucketName' | 'region' | 's3Endpoint'>;

/**
 * Reads `BUCKET_NAME` (required), `AWS_REGION` and `S3_ENDPOINT`: the storage settings of a
 * function that answers no API key and builds no public URL (the rendering function).
 */
export function loadStorageLocation(env: Env): StorageLocation {
  return {
    bucketName: requiredString(env, ENV.bucketName),
    region: env[ENV.region]?.trim() || 'us-east-1',
    s3Endpoint: env[ENV.s3Endpoint]?.trim() || undefined,
  };
}

/** Settings every handler needs: storage and which API key id belongs to which client. */
export interface CommonConfig {
  readonly storage: StorageConfig;
  /** API key id → client name. */
  readonly clientsByKeyId: ReadonlyMap<string, string>;
}

/** Reads the settings every handler shares. Throws `ConfigError` naming the variable. */
export function loadCommonConfig(env: Env): CommonConfig {
  const publicBaseUrl = requiredString(env, ENV.publicBaseUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new ConfigError(`${ENV.publicBaseUrl} must be an http(s) URL, got "${publicBaseUrl}"`);
  }
  // A client in a key rotation holds two keys, both mapped to its one namespace.
  const clientsByKeyId = new Map<string, string>();
  for (const [client, keyId] of parseClientKeys(requiredString(env, ENV.clientKeyIds), ENV.clientKeyIds)) {
    clientsByKeyId.set(keyId, client);
  }
  return { storage: { ...loadStorageLocation(env), publicBaseUrl }, clientsByKeyId };
}
