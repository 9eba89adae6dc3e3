import { SOURCE_LIMITS } from '../core/limits';
import { parseAddressRange } from '../core/source-address';
import {
  DEFAULT_SOURCE_HEADER_ALLOWLIST,
  DEFAULT_SOURCE_PORTS,
  listItems,
  parseHeaderAllowlist,
  parseHostAllowlist,
  parsePortList,
  type SourcePolicy,
} from '../core/source-policy';
import { booleanSetting, ConfigError, integerSetting } from './config';
import { ENV } from './env-names';

// Apart from config.ts: only the upload function fetches sources, so only its bundle carries
// the address guard's parser (ipaddr.js).

type Env = Readonly<Record<string, string | undefined>>;

/** Reads an optional comma-separated list through `parse`, naming the variable when an item is bad. */
function listSetting<T>(env: Env, name: string, parse: (items: string[]) => T[]): T[] | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  try {
    return parse(raw.toLowerCase() === 'none' ? [] : listItems(raw));
  } catch (err) {
    throw new ConfigError(`${name}: ${(err as Error).message}`);
  }
}

/** How far and how long an upload from a URL may fetch. */
export interface SourceFetchLimits {
  /** Redirects followed; one more is 502. */
  readonly maxRedirects: number;
  /** The whole fetch: name resolution, every hop and the body, in milliseconds. */
  readonly timeoutMs: number;
  /** Longest silence within a body, in milliseconds (slow drips). */
  readonly stallTimeoutMs: number;
  /** Largest source, in bytes, counted while it streams. */
  readonly maxBytes: number;
}

/** Everything the fetcher of uploads from a URL is configured with. */
export interface SourceFetchSettings {
  readonly policy: SourcePolicy;
  readonly limits: SourceFetchLimits;
}

/**
 * Reads the `SOURCE_*` settings of uploads from a URL. The built-in address guard cannot be
 * loosened from here: `loopbackExceptions` is always empty (only local mode sets it, from a
 * variable this function never reads).
 */
export function loadSourceFetchSettings(env: Env): SourceFetchSettings {
  const timeoutMs = integerSetting(
    env,
    ENV.sourceTimeoutMs,
    SOURCE_LIMITS.defaultTimeoutMs,
    SOURCE_LIMITS.minTimeoutMs,
    SOURCE_LIMITS.maxTimeoutMs,
  );
  const hostAllowlist = listSetting(env, ENV.sourceHostAllowlist, parseHostAllowlist);
  if (hostAllowlist?.length === 0) {
    throw new ConfigError(`${ENV.sourceHostAllowlist} must name at least one host, or be unset`);
  }
  const allowedPorts = listSetting(env, ENV.sourceAllowedPorts, parsePortList) ?? [...DEFAULT_SOURCE_PORTS];
  if (allowedPorts.length === 0)
    throw new ConfigError(`${ENV.sourceAllowedPorts} must name at least one port`);
  return {
    policy: {
      allowHttp: booleanSetting(env, ENV.sourceAllowHttp, false),
      allowedPorts: new Set(allowedPorts),
      hostAllowlist,
      denyRanges:
        listSetting(env, ENV.sourceDenyCidrs, (items) => items.map((item) => parseAddressRange(item))) ?? [],
      headerAllowlist: new Set(
        listSetting(env, ENV.sourceHeaderAllowlist, parseHeaderAllowlist) ?? DEFAULT_SOURCE_HEADER_ALLOWLIST,
      ),
      loopbackExceptions: [],
    },
    limits: {
      maxRedirects: integerSetting(
        env,
        ENV.sourceMaxRedirects,
        SOURCE_LIMITS.defaultMaxRedirects,
        0,
        SOURCE_LIMITS.maxRedirectsCeiling,
      ),
      timeoutMs,
      stallTimeoutMs: integerSetting(
        env,
        ENV.sourceStallTimeoutMs,
        Math.min(SOURCE_LIMITS.defaultStallTimeoutMs, timeoutMs),
        SOURCE_LIMITS.minStallTimeoutMs,
        timeoutMs,
      ),
      maxBytes: integerSetting(
        env,
        ENV.sourceMaxBytes,
        SOURCE_LIMITS.defaultMaxBytes,
        1,
        SOURCE_LIMITS.maxBytesCeiling,
      ),
    },
  };
}
