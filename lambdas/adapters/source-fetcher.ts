import { lookup as dnsLookup } from 'node:dns/promises';
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { AppError, PayloadTooLargeError, SourceForbiddenError, SourceUnavailableError } from '../core/errors';
import { canonicalAddress } from '../core/source-address';
import { checkSourceAddresses, checkSourceUrl, type SourcePolicy } from '../core/source-policy';
import type { ImageSource } from '../core/upload-payload';
import type { SourceFetchLimits, SourceFetchSettings } from '../settings/source-fetch';

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

/** What a fetch brought back: the bytes, whatever they are (the upload's checks decide). */
export interface FetchedSource {
  readonly bytes: Buffer;
  /** Redirects followed. */
  readonly redirects: number;
  /** The source's Content-Type, a hint only: the bytes decide the type. */
  readonly contentType?: string | undefined;
}

/** Fetches the image of an upload from a URL, under the deployment's policy and limits. */
export interface SourceFetcher {
  readonly policy: SourcePolicy;
  readonly limits: SourceFetchLimits;
  fetch(source: ImageSource): Promise<FetchedSource>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BASE_HEADERS = {
  'user-agent': 's3-image-proxy (upload from URL)',
  accept: 'image/*, video/mp4;q=0.9, */*;q=0.5',
  // Compressed bodies would make the byte cap count the wrong bytes, and images are compressed already.
  'accept-encoding': 'identity',
};

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** A network failure as the client sees it: 502 with a sentence of ours, never the error's own words. */
function sourceErrorOf(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = String((err as NodeJS.ErrnoException | undefined)?.code ?? '');
  const message =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA'
      ? 'the source host could not be resolved'
      : code.startsWith('ERR_TLS') || /CERT|SSL|EPROTO|SELF_SIGNED|DEPTH_ZERO/.test(code)
        ? `the TLS connection to the source failed (${code})`
        : code.startsWith('HPE_')
          ? 'the source answered with malformed HTTP'
          : 'the source could not be reached';
  return new SourceUnavailableError(message, undefined, { cause: err });
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

/**
 * The fetcher of uploads from a URL. Each hop: check the URL (scheme, port, host allow list, an
 * address written in it), resolve the host once through `resolve`, check every address, connect
 * only to those (`transport`, pinned), then either follow a redirect (checked again from the
 * start; `sourceHeaders` go only to the origin of the URL the client gave, and not again once a
 * redirect has left it) or read the body under the byte cap. The whole fetch has `timeoutMs`;
 * a body that goes silent for `stallTimeoutMs` is dropped.
 */
export function createSourceFetcher(
  settings: SourceFetchSettings,
  deps: { readonly resolve?: HostResolver; readonly transport?: SourceTransport } = {},
): SourceFetcher {
  const { policy, limits } = settings;
  const resolve = deps.resolve ?? systemResolver;
  const transport = deps.transport ?? createPinnedTransport();
  const tooLarge = () =>
    new PayloadTooLargeError(
      `the source is larger than ${limits.maxBytes.toLocaleString('en-US')} bytes, the limit of uploads from a URL`,
    );

  function send(hop: SourceHop): Promise<IncomingMessage> {
    return new Promise((resolveResponse, reject) => {
      const request = transport(hop);
      request.once('socket', (socket) => guardRemoteAddress(socket, hop, request));
      request.once('response', resolveResponse);
      // `on`, not `once`: a later error (a reset while the body streams) must not go unhandled.
      request.on('error', reject);
      request.end();
    });
  }

  async function resolveHost(host: string, signal: AbortSignal): Promise<ResolvedAddress[]> {
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return [...(await Promise.race([resolve(host), aborted]))];
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function readBody(response: IncomingMessage, controller: AbortController): Promise<Buffer> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      controller.abort(tooLarge());
      throw controller.signal.reason;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const stall = setTimeout(
      () =>
        controller.abort(
          new SourceUnavailableError(`the source stopped sending for ${seconds(limits.stallTimeoutMs)}`),
        ),
      limits.stallTimeoutMs,
    );
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > limits.maxBytes) {
          controller.abort(tooLarge());
          break;
        }
        chunks.push(chunk);
        stall.refresh();
      }
    } finally {
      clearTimeout(stall);
    }
    if (controller.signal.aborted) throw controller.signal.reason;
    if (!response.complete) {
      throw new SourceUnavailableError('the source closed the connection before the whole image arrived');
    }
    return Buffer.concat(chunks, total);
  }

  async function fetchWithin(source: ImageSource, controller: AbortController): Promise<FetchedSource> {
    const origin = source.url.origin;
    let url = source.url;
    let withSourceHeaders = true;
    for (let redirects = 0; ; redirects++) {
      const subject = redirects === 0 ? 'the source URL' : 'a redirect of the source';
      const checked = checkSourceUrl(url, policy, subject);
      const addresses =
        checked.literalAddress !== undefined
          ? [{ address: checked.literalAddress, family: isIP(checked.literalAddress) === 6 ? 6 : 4 } as const]
          : await resolveHost(checked.host, controller.signal);
      checkSourceAddresses(
        addresses.map(({ address }) => address),
        checked.port,
        policy,
        subject,
      );
      if (url.origin !== origin) withSourceHeaders = false;
      const response = await send({
        url,
        host: checked.host,
        addresses,
        headers: { ...BASE_HEADERS, ...(withSourceHeaders && source.headers) },
        signal: controller.signal,
      });
      const status = response.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status)) {
        response.destroy();
        if (redirects >= limits.maxRedirects) {
          throw new SourceUnavailableError(
            `the source redirected more than ${limits.maxRedirects} times`,
            status,
          );
        }
        url = nextUrl(url, response.headers.location, status);
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new SourceUnavailableError(`the source answered ${status}`, status);
      }
      const bytes = await readBody(response, controller);
      return { bytes, redirects, contentType: response.headers['content-type'] };
    }
  }

  return {
    policy,
    limits,
    async fetch(source) {
      const controller = new AbortController();
      const budget = setTimeout(
        () =>
          controller.abort(
            new SourceUnavailableError(
              `the source did not send the whole image within ${seconds(limits.timeoutMs)}`,
            ),
          ),
        limits.timeoutMs,
      );
      try {
        return await fetchWithin(source, controller);
      } catch (err) {
        throw controller.signal.aborted ? sourceErrorOf(controller.signal.reason) : sourceErrorOf(err);
      } finally {
        clearTimeout(budget);
        // Whatever is still open (a redirect's socket, a body left behind) goes now.
        if (!controller.signal.aborted) controller.abort(new Error('fetch finished'));
      }
    },
  };
}

/** Where a redirect points, resolved against the URL that answered it. */
function nextUrl(current: URL, location: string | undefined, status: number): URL {
  let next: URL | undefined;
  try {
    next = location ? new URL(location, current) : undefined;
  } catch {
    next = undefined;
  }
  if (next === undefined) {
    throw new SourceUnavailableError(`the source answered ${status} without a usable Location`, status);
  }
  if (next.username !== '' || next.password !== '') {
    throw new SourceForbiddenError('a redirect of the source carries user:password@', 'userinfo');
  }
  next.hash = '';
  return next;
}
