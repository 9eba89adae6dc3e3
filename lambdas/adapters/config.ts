import {
  DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_IMAGE_PIXELS,
  DEFAULT_PRESIGN_UPLOAD_LIMIT,
  DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS,
  DEFAULT_THROTTLE,
  MAX_DIRECT_UPLOAD_BYTES_CEILING,
  type ThrottleSettings,
  type UploadLimits,
} from '../core/limits';
import type { PresignSettings } from '../core/presign-request';
import type { PresignLimit } from '../core/presign-window';
import { SIGV4_MAX_EXPIRES_SECONDS } from '../core/sigv4-presign';
import { assertClientName } from '../core/object-keys';
import { DEFAULT_PROFILE, PROFILE_NAMES, type ProfileName } from '../core/model-profiles';
import { wholeNumberWithin } from '../core/whole-number';
import { ENV } from './env-names';
import { S3_TIMEOUTS, type S3ClientSettings } from '../core/s3-timeouts';

/** A missing or invalid setting; thrown at cold start so a bad deploy fails loudly and early. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads a required string setting, naming the variable when it is missing. */
export function requiredString(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} must be set`);
  return value;
}

/** Reads an optional whole-number setting within [min, max]. */
export function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = wholeNumberWithin(raw, min, max);
  if (value === undefined)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
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

/** Reads the upload limits. */
export function loadUploadLimits(env: Env): UploadLimits {
  return {
    // 6 MiB is Lambda's request limit: no decoded image through it can be larger.
    maxImageBytes: integerSetting(env, ENV.maxImageBytes, DEFAULT_MAX_IMAGE_BYTES, 1, 6 * 1024 * 1024),
    maxImagePixels: loadMaxImagePixels(env),
  };
}

/** Reads `MAX_IMAGE_PIXELS`: the largest width × height decoded (decompression-bomb guard). */
export function loadMaxImagePixels(env: Env): number {
  return integerSetting(env, ENV.maxImagePixels, DEFAULT_MAX_IMAGE_PIXELS, 1, 1_000_000_000);
}

/** Presigned URL lives and the direct upload cap. Throws `ConfigError` naming the variable. */
export function loadPresignSettings(env: Env): PresignSettings {
  const maxExpiresSeconds = integerSetting(
    env,
    ENV.presignMaxExpiresSeconds,
    86_400,
    1,
    SIGV4_MAX_EXPIRES_SECONDS,
  );
  const defaultExpiresSeconds = integerSetting(
    env,
    ENV.presignDefaultExpiresSeconds,
    Math.min(3600, maxExpiresSeconds),
    1,
    SIGV4_MAX_EXPIRES_SECONDS,
  );
  if (defaultExpiresSeconds > maxExpiresSeconds) {
    throw new ConfigError(
      `${ENV.presignDefaultExpiresSeconds} (${defaultExpiresSeconds}) must not exceed ${ENV.presignMaxExpiresSeconds} (${maxExpiresSeconds})`,
    );
  }
  return {
    defaultExpiresSeconds,
    maxExpiresSeconds,
    maxDirectUploadBytes: loadMaxDirectUploadBytes(env),
  };
}

/** The cap on presigned uploads, shared by the presign and check functions. */
export function loadMaxDirectUploadBytes(env: Env): number {
  return integerSetting(
    env,
    ENV.maxDirectUploadBytes,
    DEFAULT_MAX_DIRECT_UPLOAD_BYTES,
    1,
    MAX_DIRECT_UPLOAD_BYTES_CEILING,
  );
}

/** Whether and where deletes invalidate the CDN. */
export type InvalidationConfig =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly distributionId: string };

/** Reads `CDN_INVALIDATE_ON_DELETE` (default on) and, when on, the required `CDN_DISTRIBUTION_ID`. */
export function loadInvalidationConfig(env: Env): InvalidationConfig {
  const raw = env[ENV.cdnInvalidateOnDelete]?.trim().toLowerCase() || 'true';
  if (raw !== 'true' && raw !== 'false') {
    throw new ConfigError(`${ENV.cdnInvalidateOnDelete} must be "true" or "false", got "${raw}"`);
  }
  if (raw === 'false') return { enabled: false };
  const distributionId = requiredString(env, ENV.cdnDistributionId);
  if (!/^[A-Z0-9]{8,32}$/.test(distributionId)) {
    throw new ConfigError(
      `${ENV.cdnDistributionId} must be a CloudFront distribution id such as E2ABCDEF123456, got "${distributionId}"`,
    );
  }
  return { enabled: true, distributionId };
}

// API Gateway gives up on an integration after 29 s: every attempt, with its backoff, must fit.
const S3_TOTAL_BUDGET_MS = 25_000;

/**
 * Reads the S3 client's timeouts and attempts (defaults: `S3_TIMEOUTS`). Fails when all
 * attempts could outlast API Gateway's 29 s, naming the variables to lower.
 */
export function loadS3ClientSettings(env: Env): S3ClientSettings {
  const settings = {
    connectionTimeoutMs: integerSetting(
      env,
      ENV.s3ConnectTimeoutMs,
      S3_TIMEOUTS.connectionTimeoutMs,
      10,
      10_000,
    ),
    requestTimeoutMs: integerSetting(env, ENV.s3RequestTimeoutMs, S3_TIMEOUTS.requestTimeoutMs, 10, 20_000),
    maxAttempts: integerSetting(env, ENV.s3MaxAttempts, S3_TIMEOUTS.maxAttempts, 1, 5),
  };
  const worstCaseMs = settings.maxAttempts * (settings.connectionTimeoutMs + settings.requestTimeoutMs);
  if (worstCaseMs > S3_TOTAL_BUDGET_MS) {
    throw new ConfigError(
      `${ENV.s3MaxAttempts} × (${ENV.s3ConnectTimeoutMs} + ${ENV.s3RequestTimeoutMs}) is ${worstCaseMs} ms, over the ${S3_TOTAL_BUDGET_MS} ms that fit in API Gateway's 29 s; lower one of them`,
    );
  }
  return settings;
}

/**
 * Reads the per-client throttle. The CDK stack sets its usage plan from the same variables;
 * the ceilings are API Gateway's default account limits (10,000 requests/s, burst 5,000).
 */
export function loadThrottleSettings(env: Env): ThrottleSettings {
  return {
    ratePerSecond: integerSetting(env, ENV.throttleRatePerSecond, DEFAULT_THROTTLE.ratePerSecond, 1, 10_000),
    burst: integerSetting(env, ENV.throttleBurst, DEFAULT_THROTTLE.burst, 1, 5_000),
  };
}

function profileSetting(value: string, variable: string): ProfileName {
  if (!(PROFILE_NAMES as readonly string[]).includes(value)) {
    throw new ConfigError(`${variable}: "${value}" is not a profile; profiles: ${PROFILE_NAMES.join(', ')}`);
  }
  return value as ProfileName;
}

/** The profile of uploads that name none: `DEFAULT_FIT`, overridden per client by `CLIENT_FITS`. */
export function loadFitDefaults(env: Env): {
  default: ProfileName;
  byClient: ReadonlyMap<string, ProfileName>;
} {
  const fallback = env[ENV.defaultFit]?.trim() || DEFAULT_PROFILE;
  const byClient = new Map<string, ProfileName>();
  const raw = env[ENV.clientFits]?.trim();
  if (raw)
    for (const [client, fit] of parseNamedPairs(raw, ENV.clientFits))
      byClient.set(client, profileSetting(fit, ENV.clientFits));
  return { default: profileSetting(fallback, ENV.defaultFit), byClient };
}

/** Reads an optional `true`/`false` setting. */
export function booleanSetting(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw !== 'true' && raw !== 'false')
    throw new ConfigError(`${name} must be "true" or "false", got "${raw}"`);
  return raw === 'true';
}

/** The ceiling on presigned uploads per client and window (`PRESIGN_UPLOAD_LIMIT`, `PRESIGN_UPLOAD_WINDOW_SECONDS`). */
export function loadPresignLimit(env: Env): PresignLimit {
  return {
    uploads: integerSetting(env, ENV.presignUploadLimit, DEFAULT_PRESIGN_UPLOAD_LIMIT, 1, 1_000_000),
    windowSeconds: integerSetting(
      env,
      ENV.presignUploadWindowSeconds,
      DEFAULT_PRESIGN_UPLOAD_WINDOW_SECONDS,
      60,
      30 * 86_400,
    ),
  };
}
