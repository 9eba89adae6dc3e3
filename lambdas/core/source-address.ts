import { isIP } from 'node:net';
import ipaddr, { type IPv4, type IPv6 } from 'ipaddr.js';

/**
 * The address guard of uploads from a URL: which IP addresses the service may connect to.
 * Only globally routable unicast addresses are public; everything else a server-side fetcher
 * could be steered into is refused by class, whatever a deployment configures: loopback,
 * RFC 1918 private, link-local (169.254.0.0/16, where the instance metadata service lives, and
 * fe80::/10), unique-local (fc00::/7, with the IPv6 metadata address fd00:ec2::254),
 * multicast, unspecified, broadcast, carrier-grade NAT (100.64.0.0/10), documentation and
 * other reserved ranges, and IPv6 outside 2000::/3. IPv6 forms that carry an IPv4 address
 * (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d) are
 * judged by the IPv4 address they carry; tunnel forms (6to4, Teredo) and the local-use NAT64
 * prefix are refused outright.
 */

/** Why an address is refused: an ipaddr.js range name, or one of the forms refused outright. */
export type AddressClass = string;

/** One CIDR range of a deployment's deny list, parsed. */
export interface AddressRange {
  /** As configured, for messages. */
  readonly text: string;
  readonly range: [IPv4 | IPv6, number];
}

type Address = IPv4 | IPv6;

const GLOBAL_UNICAST_V6: [IPv6, number] = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN: [IPv6, number] = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const IPV4_TRANSLATED: [IPv6, number] = ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96');

/**
 * Parses an address in the strict textual forms `net.isIP` accepts (what name resolution
 * returns and what the WHATWG URL parser leaves of any IPv4 spelling); undefined otherwise.
 * An IPv6 zone (`%eth0`) is dropped: it does not change the class.
 */
export function parseAddress(text: string): Address | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const unzoned = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  if (isIP(unzoned) === 0) return undefined;
  return ipaddr.parse(unzoned);
}

/** The IPv4 address an IPv6 address carries in its last 32 bits, for the forms that carry one. */
function embeddedIPv4(address: IPv6): IPv4 | undefined {
  const carries =
    address.range() === 'ipv4Mapped' || address.match(IPV4_TRANSLATED) || address.match(NAT64_WELL_KNOWN);
  if (!carries) return undefined;
  const [high, low] = [address.parts[6]!, address.parts[7]!];
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** `public` for a globally routable unicast address; otherwise the class that refuses it. */
export function classifyAddress(text: string): 'public' | AddressClass {
  const address = parseAddress(text);
  if (address === undefined) return 'unparseable';
  return classifyParsed(address);
}

function classifyParsed(address: Address): 'public' | AddressClass {
  if (address.kind() === 'ipv4') {
    const range = address.range();
    return range === 'unicast' ? 'public' : range;
  }
  const v6 = address as IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded !== undefined) return classifyParsed(embedded);
  const range = v6.range();
  if (range !== 'unicast') return range;
  return v6.match(GLOBAL_UNICAST_V6) ? 'public' : 'reserved';
}

/** Parses one CIDR range (`10.0.0.0/8`, `2001:db8::/32`) or a single address (a /32 or /128). */
export function parseAddressRange(text: string): AddressRange {
  const trimmed = text.trim();
  const [host = '', prefixText, ...rest] = trimmed.split('/');
  const address = isIP(host) === 0 ? undefined : ipaddr.parse(host);
  const bits = address?.kind() === 'ipv4' ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (address === undefined || rest.length > 0 || !(prefix <= bits)) {
    throw new Error(`"${trimmed}" is not an address range such as 203.0.113.0/24 or 2001:db8::/32`);
  }
  return { text: trimmed, range: [address, prefix] };
}

/** Whether `text` falls in one of `ranges`; an IPv6 form carrying an IPv4 address is matched by both. */
export function isInRanges(text: string, ranges: readonly AddressRange[]): boolean {
  const address = parseAddress(text);
  if (address === undefined) return false;
  const forms: Address[] = [address];
  if (address.kind() === 'ipv6') {
    const embedded = embeddedIPv4(address as IPv6);
    if (embedded !== undefined) forms.push(embedded);
  }
  return ranges.some(({ range }) =>
    forms.some((form) => form.kind() === range[0].kind() && form.match(range)),
  );
}

/** Whether `text` is a loopback address (127.0.0.0/8, ::1, or an IPv6 form of 127/8). */
export function isLoopbackAddress(text: string): boolean {
  return classifyAddress(text) === 'loopback';
}

/**
 * The canonical text of an address (IPv6 compressed, IPv4-mapped forms as IPv4), so that two
 * spellings of one address compare equal; undefined when it is not an address.
 */
export function canonicalAddress(text: string): string | undefined {
  const address = parseAddress(text);
  if (address === undefined) return undefined;
  if (address.kind() === 'ipv6' && (address as IPv6).isIPv4MappedAddress()) {
    return (address as IPv6).toIPv4Address().toString();
  }
  return address.toString();
}
