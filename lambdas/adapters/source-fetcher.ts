import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { AppError, PayloadTooLargeError, SourceForbiddenError, SourceUnavailableError } from '../core/errors';
import { checkSourceAddresses, checkSourceUrl, type SourcePolicy } from '../core/source-policy';
import type { ImageSource } from '../core/upload-payload';
import type { SourceFetchLimits, SourceFetchSettings } from '../settings/source-fetch';
import {
  createPinnedTransport,
  type HostResolver,
  type ResolvedAddress,
  type SourceTransport,
  sendHop,
  systemResolver,
} from './source-transport';

// The transport is the fetcher's to choose: its callers import both from here.
export {
  createPinnedTransport,
  type HostResolver,
  type ResolvedAddress,
  type SourceHop,
  type SourceTransport,
  systemResolver,
} from './source-transport';

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

/** What every hop of one fetch shares: the policy and limits, the resolver, the transport, the abort. */
interface FetchContext {
  readonly policy: SourcePolicy;
  readonly limits: SourceFetchLimits;
  readonly resolve: HostResolver;
  readonly transport: SourceTransport;
  readonly controller: AbortController;
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
        return await fetchWithin({ policy, limits, resolve, transport, controller }, source);
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

/** Follows the source hop by hop (redirects checked like the first URL) and reads the body. */
async function fetchWithin(context: FetchContext, source: ImageSource): Promise<FetchedSource> {
  const { limits } = context;
  const origin = source.url.origin;
  let url = source.url;
  let withSourceHeaders = true;
  for (let redirects = 0; ; redirects++) {
    if (url.origin !== origin) withSourceHeaders = false;
    const headers = { ...BASE_HEADERS, ...(withSourceHeaders && source.headers) };
    const response = await openHop(context, url, headers, redirects === 0);
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
    const bytes = await readBody(response, context.controller, limits);
    return { bytes, redirects, contentType: response.headers['content-type'] };
  }
}

/**
 * One hop: checks the URL, resolves its host once (unless it is an address), checks every
 * address, and sends the request pinned to them.
 */
async function openHop(
  context: FetchContext,
  url: URL,
  headers: Readonly<Record<string, string>>,
  first: boolean,
): Promise<IncomingMessage> {
  const { policy, controller } = context;
  const subject = first ? 'the source URL' : 'a redirect of the source';
  const checked = checkSourceUrl(url, policy, subject);
  const addresses =
    checked.literalAddress !== undefined
      ? [{ address: checked.literalAddress, family: isIP(checked.literalAddress) === 6 ? 6 : 4 } as const]
      : await resolveHost(context.resolve, checked.host, controller.signal);
  checkSourceAddresses(
    addresses.map(({ address }) => address),
    checked.port,
    policy,
    subject,
  );
  return sendHop(context.transport, {
    url,
    host: checked.host,
    addresses,
    headers,
    signal: controller.signal,
  });
}

/** Resolves `host` once, giving up when the fetch is aborted (its time budget spent). */
async function resolveHost(
  resolve: HostResolver,
  host: string,
  signal: AbortSignal,
): Promise<ResolvedAddress[]> {
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

/**
 * Reads a body under the byte cap (a declared Content-Length over it is refused before reading)
 * and the stall timeout; a body cut short is refused.
 */
async function readBody(
  response: IncomingMessage,
  controller: AbortController,
  limits: SourceFetchLimits,
): Promise<Buffer> {
  const tooLarge = () =>
    new PayloadTooLargeError(
      `the source is larger than ${limits.maxBytes.toLocaleString('en-US')} bytes, the limit of uploads from a URL`,
    );
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
