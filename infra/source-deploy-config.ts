import { SOURCE_LIMITS } from '../lambdas/core/limits';
import { parseAddressRange } from '../lambdas/core/source-address';
import {
  DEFAULT_SOURCE_HEADER_ALLOWLIST,
  DEFAULT_SOURCE_PORTS,
  parseHeaderAllowlist,
  parseHostAllowlist,
  parsePortList,
} from '../lambdas/core/source-policy';
import { ENV } from '../lambdas/adapters/env-names';
import { booleanSetting, cliFix, listSetting, wholeNumber } from './config-readers';

/**
 * Uploads from a URL: what the upload function may fetch. The built-in address guard
 * (loopback, private, link-local and metadata addresses, …) is not configurable; these only
 * narrow it further, or open plain http and other ports.
 */
export interface SourceDeployConfig {
  /** Whether plain `http:` sources are fetched too. */
  readonly allowHttp: boolean;
  /** Ports a source URL may name. */
  readonly allowedPorts: readonly number[];
  /** When set, the only host names fetched (`*.example.org` for every name under it). */
  readonly hostAllowlist?: readonly string[];
  /** Address ranges refused on top of the built-in ones. */
  readonly denyCidrs: readonly string[];
  /** Names of the `sourceHeaders` callers may send (lower case). */
  readonly headerAllowlist: readonly string[];
  /** Redirects followed, each checked again. */
  readonly maxRedirects: number;
  /** Budget of the whole fetch, in milliseconds. */
  readonly timeoutMs: number;
  /** Longest silence within a body, in milliseconds. */
  readonly stallTimeoutMs: number;
  /** Largest source, in bytes, enforced while it streams. */
  readonly maxBytes: number;
}

/** Defaults of the `source*` context keys (merged into `CONFIG_DEFAULTS`). */
export const SOURCE_CONFIG_DEFAULTS = {
  sourceAllowHttp: false,
  sourceAllowedPorts: DEFAULT_SOURCE_PORTS,
  sourceHeaderAllowlist: DEFAULT_SOURCE_HEADER_ALLOWLIST,
  sourceMaxRedirects: SOURCE_LIMITS.defaultMaxRedirects,
  sourceTimeoutMs: SOURCE_LIMITS.defaultTimeoutMs,
  sourceStallTimeoutMs: SOURCE_LIMITS.defaultStallTimeoutMs,
  sourceMaxBytes: SOURCE_LIMITS.defaultMaxBytes,
} as const;

/** Reads the `source*` context keys: what uploads from a URL may fetch. */
export function readSourceConfig(context: Readonly<Record<string, unknown>>): SourceDeployConfig {
  const timeoutMs = wholeNumber(
    context.sourceTimeoutMs ?? SOURCE_CONFIG_DEFAULTS.sourceTimeoutMs,
    'sourceTimeoutMs',
    SOURCE_LIMITS.minTimeoutMs,
    SOURCE_LIMITS.maxTimeoutMs,
    `${cliFix('sourceTimeoutMs', '10000')}; the upload function runs at most 20 s, and rendering and storing need the rest`,
  );
  const hostAllowlist = listSetting(
    context.sourceHostAllowlist,
    'sourceHostAllowlist',
    'matrix.example.org,*.example.net',
    (items) => {
      if (items.length === 0) throw new Error('name at least one host, or leave it unset');
      parseHostAllowlist(items);
      return items.map((item) => item.toLowerCase());
    },
  );
  return {
    allowHttp: booleanSetting(
      context.sourceAllowHttp ?? SOURCE_CONFIG_DEFAULTS.sourceAllowHttp,
      'sourceAllowHttp',
      cliFix('sourceAllowHttp', 'true'),
    ),
    allowedPorts: listSetting(context.sourceAllowedPorts, 'sourceAllowedPorts', '443,8448', (items) => {
      if (items.length === 0) throw new Error('name at least one port');
      return parsePortList(items);
    }) ?? [...SOURCE_CONFIG_DEFAULTS.sourceAllowedPorts],
    ...(hostAllowlist !== undefined && { hostAllowlist }),
    denyCidrs:
      listSetting(context.sourceDenyCidrs, 'sourceDenyCidrs', '203.0.113.0/24,2001:db8::/32', (items) =>
        items.map((item) => parseAddressRange(item).text),
      ) ?? [],
    headerAllowlist: listSetting(
      context.sourceHeaderAllowlist,
      'sourceHeaderAllowlist',
      'authorization,x-api-key',
      parseHeaderAllowlist,
    ) ?? [...SOURCE_CONFIG_DEFAULTS.sourceHeaderAllowlist],
    maxRedirects: wholeNumber(
      context.sourceMaxRedirects ?? SOURCE_CONFIG_DEFAULTS.sourceMaxRedirects,
      'sourceMaxRedirects',
      0,
      SOURCE_LIMITS.maxRedirectsCeiling,
      cliFix('sourceMaxRedirects', '3'),
    ),
    timeoutMs,
    stallTimeoutMs: wholeNumber(
      context.sourceStallTimeoutMs ?? Math.min(SOURCE_CONFIG_DEFAULTS.sourceStallTimeoutMs, timeoutMs),
      'sourceStallTimeoutMs',
      SOURCE_LIMITS.minStallTimeoutMs,
      timeoutMs,
      `${cliFix('sourceStallTimeoutMs', '5000')}; it cannot exceed sourceTimeoutMs (${timeoutMs})`,
    ),
    maxBytes: wholeNumber(
      context.sourceMaxBytes ?? SOURCE_CONFIG_DEFAULTS.sourceMaxBytes,
      'sourceMaxBytes',
      1,
      SOURCE_LIMITS.maxBytesCeiling,
      `${cliFix('sourceMaxBytes', String(SOURCE_LIMITS.defaultMaxBytes))}; the upload function holds the source in its 1 GiB of memory`,
    ),
  };
}

/**
 * The settings of uploads from a URL, as the upload function reads them
 * (`loadSourceFetchSettings`). Never local mode's loopback allow list: the deployed guard has
 * no exceptions.
 */
export function sourceEnvironment(source: SourceDeployConfig): Record<string, string> {
  return {
    [ENV.sourceAllowHttp]: String(source.allowHttp),
    [ENV.sourceAllowedPorts]: source.allowedPorts.join(','),
    ...(source.hostAllowlist !== undefined && { [ENV.sourceHostAllowlist]: source.hostAllowlist.join(',') }),
    ...(source.denyCidrs.length > 0 && { [ENV.sourceDenyCidrs]: source.denyCidrs.join(',') }),
    [ENV.sourceHeaderAllowlist]: source.headerAllowlist.join(',') || 'none',
    [ENV.sourceMaxRedirects]: String(source.maxRedirects),
    [ENV.sourceTimeoutMs]: String(source.timeoutMs),
    [ENV.sourceStallTimeoutMs]: String(source.stallTimeoutMs),
    [ENV.sourceMaxBytes]: String(source.maxBytes),
  };
}
