import { BadRequestError, SourceForbiddenError } from './errors';
import {
  type AddressRange,
  canonicalAddress,
  classifyAddress,
  isInRanges,
  isLoopbackAddress,
  parseAddress,
} from './source-address';

/**
 * What an upload from a URL may fetch, checked on the URL and on the addresses its host
 * resolves to, for the first request and again for every redirect. Settings come from the
 * deployment (`SOURCE_*` variables); the built-in address classes of `source-address.ts` are
 * refused whatever they say.
 */

/** A host of the allow list: exactly `host`, or any name under it when `subdomains`. */
export interface HostPattern {
  readonly host: string;
  readonly subdomains: boolean;
}

/** A loopback address and port that local-mode tests may fetch from (never on AWS). */
export interface LoopbackException {
  readonly address: string;
  readonly port: number;
}

/** The rules a source URL and the addresses of its host must pass. */
export interface SourcePolicy {
  /** Whether plain `http:` sources are fetched (`SOURCE_ALLOW_HTTP`). */
  readonly allowHttp: boolean;
  /** Ports a source URL may name (`SOURCE_ALLOWED_PORTS`). */
  readonly allowedPorts: ReadonlySet<number>;
  /** When set, the only hosts fetched (`SOURCE_HOST_ALLOWLIST`); undefined: any public host. */
  readonly hostAllowlist?: readonly HostPattern[] | undefined;
  /** Addresses refused on top of the built-in classes (`SOURCE_DENY_CIDRS`). */
  readonly denyRanges: readonly AddressRange[];
  /** Lower-case names of the `sourceHeaders` a request may send (`SOURCE_HEADER_ALLOWLIST`). */
  readonly headerAllowlist: ReadonlySet<string>;
  /**
   * Loopback address:port pairs exempt from the address guard. Only local mode fills it, for
   * its tests (`LOCAL_SOURCE_LOOPBACK_ALLOWLIST`); the Lambda configuration has no way to.
   */
  readonly loopbackExceptions: readonly LoopbackException[];
}

/** Default `SOURCE_ALLOWED_PORTS`. */
export const DEFAULT_SOURCE_PORTS: readonly number[] = [443, 80];
/** Default `SOURCE_HEADER_ALLOWLIST`: enough for a bearer token (Matrix media, most APIs). */
export const DEFAULT_SOURCE_HEADER_ALLOWLIST: readonly string[] = ['authorization'];

/** Longest `sourceUrl` accepted, in characters (a presigned S3 URL is 1-2 KB). */
export const MAX_SOURCE_URL_CHARS = 8192;
/** Most `sourceHeaders` in one request, and the longest value of one, in characters. */
export const MAX_SOURCE_HEADERS = 8;
export const MAX_SOURCE_HEADER_VALUE_CHARS = 8192;

// Headers that frame or route the request: the fetcher sets them, a caller never may, and a
// deployment cannot allow them.
const RESERVED_HEADER_NAMES = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'accept-encoding',
  'range',
  'if-range',
]);
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const UNSAFE_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

export { listItems } from './list-items';

/**
 * The allow list of host names: `images.example.com` (that name only), or `*.example.com` (every
 * name under it, not `example.com` itself).
 */
export function parseHostAllowlist(items: readonly string[]): HostPattern[] {
  return items.map((item) => {
    const subdomains = item.startsWith('*.');
    const name = subdomains ? item.slice(2) : item;
    let host = '';
    try {
      // The URL parser lower-cases and turns international names into their punycode.
      if (!/[/?#@:\\\s[\]]/.test(name)) host = new URL(`https://${name}`).hostname.replace(/\.$/, '');
    } catch {}
    if (!HOST_NAME.test(host)) {
      throw new Error(`"${item}" is not a host name such as media.example.org or *.example.org`);
    }
    return { host, subdomains };
  });
}

/** The allow list of `sourceHeaders` names, lower-cased; framing and proxy headers are refused. */
export function parseHeaderAllowlist(items: readonly string[]): string[] {
  return items.map((item) => {
    const name = item.toLowerCase();
    if (!HEADER_NAME.test(name)) throw new Error(`"${item}" is not an HTTP header name`);
    if (RESERVED_HEADER_NAMES.has(name) || name.startsWith('proxy-')) {
      throw new Error(`"${item}" frames or routes the request and cannot be sent by a caller`);
    }
    return name;
  });
}

/** Ports from 1 to 65535. */
export function parsePortList(items: readonly string[]): number[] {
  return items.map((item) => {
    const port = /^\d{1,5}$/.test(item) ? Number(item) : 0;
    if (port < 1 || port > 65_535) throw new Error(`"${item}" is not a port from 1 to 65535`);
    return port;
  });
}

/** `127.0.0.1:8080`, `[::1]:8080`: loopback only, whatever is asked. */
export function parseLoopbackExceptions(items: readonly string[]): LoopbackException[] {
  return items.map((item) => {
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(item);
    const address = match && canonicalAddress(match[1]!);
    const port = match ? Number(match[2]) : 0;
    if (!address || !isLoopbackAddress(address) || port < 1 || port > 65_535) {
      throw new Error(`"${item}" is not a loopback address and port such as 127.0.0.1:8080 or [::1]:8080`);
    }
    return { address, port };
  });
}

/**
 * Reads `sourceUrl`: a string of at most `MAX_SOURCE_URL_CHARS` that parses as an absolute URL
 * without user info (credentials go in `sourceHeaders`). The WHATWG parser canonicalizes the
 * host: `2130706433`, `0177.0.0.1` and `0x7f.1` all become `127.0.0.1`. Whether the URL may be
 * fetched is `checkSourceUrl`'s question.
 */
export function parseSourceUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SOURCE_URL_CHARS) {
    throw new BadRequestError(
      'INVALID_SOURCE_URL',
      `"sourceUrl" must be an https URL of at most ${MAX_SOURCE_URL_CHARS} characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequestError('INVALID_SOURCE_URL', '"sourceUrl" is not a valid absolute URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw new BadRequestError(
      'INVALID_SOURCE_URL',
      '"sourceUrl" must not carry user:password@; send credentials in "sourceHeaders"',
    );
  }
  url.hash = '';
  return url;
}

/**
 * Reads `sourceHeaders`: an object of string values whose names are on the deployment's allow
 * list. Values are never echoed, in messages or anywhere else.
 */
export function parseSourceHeaders(value: unknown, allowlist: ReadonlySet<string>): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      '"sourceHeaders" must be an object of header names to values',
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_SOURCE_HEADERS) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `"sourceHeaders" may name at most ${MAX_SOURCE_HEADERS} headers`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [rawName, headerValue] of entries) {
    const name = rawName.toLowerCase();
    if (!allowlist.has(name)) {
      const shown = HEADER_NAME.test(name) ? `"${rawName}"` : 'a header name';
      throw new BadRequestError(
        'INVALID_REQUEST',
        `"sourceHeaders" may not send ${shown}; allowed: ${[...allowlist].join(', ') || 'none'}`,
      );
    }
    if (name in headers)
      throw new BadRequestError('INVALID_REQUEST', `"sourceHeaders" names ${rawName} twice`);
    if (
      typeof headerValue !== 'string' ||
      headerValue.length > MAX_SOURCE_HEADER_VALUE_CHARS ||
      UNSAFE_HEADER_VALUE.test(headerValue)
    ) {
      throw new BadRequestError(
        'INVALID_REQUEST',
        `"sourceHeaders"."${rawName}" must be a string of at most ${MAX_SOURCE_HEADER_VALUE_CHARS} characters without line breaks or control characters`,
      );
    }
    headers[name] = headerValue;
  }
  return headers;
}

/** A source URL that passed `checkSourceUrl`: its port, and its address when the host is one. */
export interface CheckedSourceUrl {
  readonly url: URL;
  /** The host as resolved and matched: no brackets, no trailing dot. */
  readonly host: string;
  readonly port: number;
  /** Set when the URL names an IP address instead of a host name. */
  readonly literalAddress?: string | undefined;
}

const defaultPort = (protocol: string) => (protocol === 'http:' ? 80 : 443);

function matchesAllowlist(host: string, allowlist: readonly HostPattern[]): boolean {
  return allowlist.some((pattern) =>
    pattern.subdomains ? host.endsWith(`.${pattern.host}`) : host === pattern.host,
  );
}

/**
 * Checks what can be checked before name resolution: the scheme (https, and http only where
 * allowed), the port, the host allow list, and an IP address written in the URL (by the same
 * rules as resolved addresses). `subject` names what is checked in messages ("the source URL",
 * "a redirect of the source"). Throws `SourceForbiddenError`.
 */
export function checkSourceUrl(url: URL, policy: SourcePolicy, subject = 'the source URL'): CheckedSourceUrl {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new SourceForbiddenError(
      `${subject} must use ${policy.allowHttp ? 'https or http' : 'https'}`,
      'scheme',
    );
  }
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  if (
    !policy.allowedPorts.has(port) &&
    !policy.loopbackExceptions.some((exception) => exception.port === port)
  ) {
    throw new SourceForbiddenError(
      `${subject} names port ${port}; allowed: ${[...policy.allowedPorts].join(', ')}`,
      'port',
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (policy.hostAllowlist !== undefined && !matchesAllowlist(host, policy.hostAllowlist)) {
    throw new SourceForbiddenError(
      `${subject} names a host that is not on this deployment's allow list`,
      'host',
    );
  }
  const literalAddress = parseAddress(host) === undefined ? undefined : host;
  if (literalAddress !== undefined) checkSourceAddresses([literalAddress], port, policy, subject);
  return { url, host, port, literalAddress };
}

/**
 * Checks every address a source host resolved to (all of them: a host that resolves to a
 * public and a private address is refused, whichever would have been dialled). The message
 * never says what the host resolved to; the `reason` (for logs) names the class.
 */
export function checkSourceAddresses(
  addresses: readonly string[],
  port: number,
  policy: SourcePolicy,
  subject = 'the source URL',
): void {
  if (addresses.length === 0) {
    throw new SourceForbiddenError(`${subject} names a host without addresses`, 'no-address');
  }
  for (const address of addresses) {
    const canonical = canonicalAddress(address);
    const excepted = policy.loopbackExceptions.some(
      (exception) => exception.address === canonical && exception.port === port,
    );
    if (excepted) continue;
    const addressClass = classifyAddress(address);
    const reason =
      addressClass !== 'public'
        ? addressClass
        : isInRanges(address, policy.denyRanges)
          ? 'deny-list'
          : !policy.allowedPorts.has(port)
            ? 'port'
            : undefined;
    if (reason !== undefined) {
      throw new SourceForbiddenError(
        `${subject} names a host that is not a public address, or one this deployment refuses`,
        reason,
      );
    }
  }
}
