import { SOURCE_LIMITS } from '../core/limits';
import { parseAddressRange } from '../core/source-address';
import {
  DEFAULT_SOURCE_HEADER_ALLOWLIST,
  DEFAULT_SOURCE_PORTS,
  parseHeaderAllowlist,
  parseHostAllowlist,
  parsePortList,
  type SourcePolicy,
} from '../core/source-policy';
import { ENV } from '../adapters/env-names';
import { cliFix, type Env, loadSettings, type SettingValues } from './setting';
import { booleanSetting, listSetting, wholeNumberSetting } from './setting-kinds';

// Its own file: only the upload function fetches sources, so only its bundle carries the
// address guard's parser (ipaddr.js).

const timeoutMs = wholeNumberSetting({
  contextKey: 'sourceTimeoutMs',
  envName: ENV.sourceTimeoutMs,
  fallback: SOURCE_LIMITS.defaultTimeoutMs,
  min: SOURCE_LIMITS.minTimeoutMs,
  max: SOURCE_LIMITS.maxTimeoutMs,
  fix: `${cliFix('sourceTimeoutMs', '10000')}; the upload function runs at most 20 s, and rendering and storing need the rest`,
});

/**
 * Uploads from a URL: what the upload function may fetch. The built-in address guard
 * (loopback, private, link-local and metadata addresses, …) is not configurable; these only
 * narrow it further, or open plain http and other ports.
 */
export const sourceFetchSettings = {
  /** Budget of the whole fetch: name resolution, every hop and the body, in milliseconds. */
  timeoutMs,
  /** When set, the only host names fetched (`*.example.org` for every name under it), lower case. */
  hostAllowlist: listSetting<string, readonly string[] | undefined>({
    contextKey: 'sourceHostAllowlist',
    envName: ENV.sourceHostAllowlist,
    fallback: undefined,
    example: 'matrix.example.org,*.example.net',
    empty: { refuse: 'name at least one host, or be unset' },
    parseItems: (items) => {
      parseHostAllowlist(items);
      return items.map((item) => item.toLowerCase());
    },
  }),
  /** Whether plain `http:` sources are fetched too. */
  allowHttp: booleanSetting({
    contextKey: 'sourceAllowHttp',
    envName: ENV.sourceAllowHttp,
    fallback: false,
    example: 'true',
  }),
  /** Ports a source URL may name. */
  allowedPorts: listSetting<number>({
    contextKey: 'sourceAllowedPorts',
    envName: ENV.sourceAllowedPorts,
    fallback: DEFAULT_SOURCE_PORTS,
    example: '443,8448',
    empty: { refuse: 'name at least one port' },
    parseItems: parsePortList,
  }),
  /** Address ranges refused on top of the built-in ones. */
  denyCidrs: listSetting<string>({
    contextKey: 'sourceDenyCidrs',
    envName: ENV.sourceDenyCidrs,
    fallback: [],
    example: '203.0.113.0/24,2001:db8::/32',
    empty: 'unset',
    parseItems: (items) => items.map((item) => parseAddressRange(item).text),
  }),
  /** Names of the `sourceHeaders` callers may send (lower case). */
  headerAllowlist: listSetting<string>({
    contextKey: 'sourceHeaderAllowlist',
    envName: ENV.sourceHeaderAllowlist,
    fallback: DEFAULT_SOURCE_HEADER_ALLOWLIST,
    example: 'authorization,x-api-key',
    empty: 'none',
    parseItems: parseHeaderAllowlist,
  }),
  /** Redirects followed, each checked again; one more is 502. */
  maxRedirects: wholeNumberSetting({
    contextKey: 'sourceMaxRedirects',
    envName: ENV.sourceMaxRedirects,
    fallback: SOURCE_LIMITS.defaultMaxRedirects,
    min: 0,
    max: SOURCE_LIMITS.maxRedirectsCeiling,
    example: '3',
  }),
  /** Longest silence within a body, in milliseconds (slow drips); at most the whole budget. */
  stallTimeoutMs: wholeNumberSetting({
    contextKey: 'sourceStallTimeoutMs',
    envName: ENV.sourceStallTimeoutMs,
    fallback: (read) => Math.min(SOURCE_LIMITS.defaultStallTimeoutMs, read(timeoutMs)),
    min: SOURCE_LIMITS.minStallTimeoutMs,
    max: (read) => read(timeoutMs),
    fix: (read) =>
      `${cliFix('sourceStallTimeoutMs', '5000')}; it cannot exceed sourceTimeoutMs (${read(timeoutMs)})`,
  }),
  /** Largest source, in bytes, counted while it streams. */
  maxBytes: wholeNumberSetting({
    contextKey: 'sourceMaxBytes',
    envName: ENV.sourceMaxBytes,
    fallback: SOURCE_LIMITS.defaultMaxBytes,
    min: 1,
    max: SOURCE_LIMITS.maxBytesCeiling,
    fix: `${cliFix('sourceMaxBytes', String(SOURCE_LIMITS.defaultMaxBytes))}; the upload function holds the source in its 1 GiB of memory`,
  }),
};

/** The settings of uploads from a URL, as deployed. */
export type SourceDeployConfig = Readonly<SettingValues<typeof sourceFetchSettings>>;

/** How far and how long an upload from a URL may fetch. */
export type SourceFetchLimits = Pick<
  SourceDeployConfig,
  'maxRedirects' | 'timeoutMs' | 'stallTimeoutMs' | 'maxBytes'
>;

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
  const source = loadSettings(sourceFetchSettings, env);
  return {
    policy: {
      allowHttp: source.allowHttp,
      allowedPorts: new Set(source.allowedPorts),
      hostAllowlist: source.hostAllowlist && parseHostAllowlist(source.hostAllowlist),
      denyRanges: source.denyCidrs.map((range) => parseAddressRange(range)),
      headerAllowlist: new Set(source.headerAllowlist),
      loopbackExceptions: [],
    },
    limits: {
      maxRedirects: source.maxRedirects,
      timeoutMs: source.timeoutMs,
      stallTimeoutMs: source.stallTimeoutMs,
      maxBytes: source.maxBytes,
    },
  };
}
