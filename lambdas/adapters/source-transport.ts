import { lookup as dnsLookup } from 'node:dns/promises';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { SourceForbiddenError } from '../core/errors';
import { canonicalAddress } from '../core/source-address';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Name resolution, done once per hop; tests inject their own (never the network's). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver (getaddrinfo, as Node's own connections use), every address in its order. */
export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, order: 'verbatim' })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** One request of a fetch: where to, over which already-checked addresses, with which headers. */
export interface SourceHop {
  readonly url: URL;
  /** The URL's host without brackets or trailing dot: what the socket's lookup is asked for. */
  readonly host: string;
  /** The checked addresses; the connection may go to these and no other. */
  readonly addresses: readonly ResolvedAddress[];
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

/** Opens a hop's request (not yet ended). The default is `createPinnedTransport()`. */
export type SourceTransport = (hop: SourceHop) => ClientRequest;

/**
 * The socket's name lookup for one hop: no second resolution an attacker could change between
 * check and connect, only the addresses that were checked (all of them when Node asks for all,
 * for its happy-eyeballs connection attempts).
 */
function pinnedLookup(hop: SourceHop): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined;
    const candidates = hop.addresses.filter(
      (candidate) => family === undefined || candidate.family === family,
    );
    const first = candidates[0];
    if (hostname.replace(/\.$/, '') !== hop.host || first === undefined) {
      const err: NodeJS.ErrnoException = new Error('no checked address for this host');
      err.code = 'ENOTFOUND';
      process.nextTick(callback, err, '', 4);
    } else if (options.all) {
      process.nextTick(
        callback,
        null,
        candidates.map((candidate) => ({ ...candidate })),
      );
    } else {
      process.nextTick(callback, null, first.address, first.family);
    }
  };
}

/**
 * Node's `http`/`https` request of a hop: a GET over a fresh connection (no pooled socket, no
 * proxy) whose name lookup is pinned to the checked addresses. TLS verifies the certificate
 * against the host name, as usual. `tls.ca` lets tests trust their own certificate.
 */
export function createPinnedTransport(tls: { readonly ca?: string | Buffer } = {}): SourceTransport {
  return (hop) => {
    const options = {
      method: 'GET',
      headers: { ...hop.headers },
      lookup: pinnedLookup(hop),
      agent: false as const,
      signal: hop.signal,
    };
    return hop.url.protocol === 'https:'
      ? httpsRequest(hop.url, { ...options, ...(tls.ca !== undefined && { ca: tls.ca }) })
      : httpRequest(hop.url, options);
  };
}

/**
 * Sends one hop's request through `transport` and waits for the answer's head, refusing a
 * socket that reached an address other than the checked ones.
 */
export function sendHop(transport: SourceTransport, hop: SourceHop): Promise<IncomingMessage> {
  return new Promise((resolveResponse, reject) => {
    const request = transport(hop);
    request.once('socket', (socket) => guardRemoteAddress(socket, hop, request));
    request.once('response', resolveResponse);
    // `on`, not `once`: a later error (a reset while the body streams) must not go unhandled.
    request.on('error', reject);
    request.end();
  });
}

/**
 * Refuses a connection that reached an address other than the checked ones (a proxy, an agent
 * that ignored the pinned lookup): a second line behind `pinnedLookup`.
 */
function guardRemoteAddress(socket: Socket, hop: SourceHop, request: ClientRequest): void {
  const allowed = new Set(hop.addresses.map(({ address }) => canonicalAddress(address)));
  const check = () => {
    if (!allowed.has(canonicalAddress(socket.remoteAddress ?? ''))) {
      request.destroy(
        new SourceForbiddenError('the source URL names a host that is not allowed', 'connected-elsewhere'),
      );
    }
  };
  if (socket.connecting) socket.once('connect', check);
  else check();
}
