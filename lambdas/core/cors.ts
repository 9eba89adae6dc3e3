/**
 * CORS of the API (docs/cors.md): which browser origins may call it, and the headers each kind
 * of answer carries. One list, `corsOrigins` at deploy (`CORS_ORIGINS` in the functions and in
 * local mode), read by API Gateway's preflight and error answers, by the functions' answers and
 * by local mode alike. No wildcard: every route but `/health` and `/openapi.json` takes an API
 * key, and a key typed into one site must not be usable from any page on the web.
 */

/** Request headers a browser may send (the preflight's `Access-Control-Allow-Headers`). */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'X-Api-Key'] as const;

/** Methods of the API's routes (the preflight's `Access-Control-Allow-Methods`). */
export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Answer headers a page may read besides the safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['Retry-After', 'X-Amzn-RequestId'] as const;

/** How long a browser may reuse a preflight answer, in seconds (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 3600;

// scheme://host[:port], nothing after: what a browser sends in `Origin`.
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:[1-9][0-9]{0,4})?$/;

/**
 * Checks one listed origin and returns it in the form browsers send (lower case). Throws, saying
 * why, on `*`, on anything with a path, query or trailing slash, and on schemes other than
 * http(s).
 */
export function parseCorsOrigin(item: string): string {
  const origin = item.trim().toLowerCase();
  if (origin === '*') {
    throw new Error(
      '"*" is refused: every route but /health and /openapi.json takes an API key; list the origins that may use one',
    );
  }
  const port = /:(\d+)$/.exec(origin)?.[1];
  if (!ORIGIN.test(origin) || Number(port ?? 0) > 65_535) {
    throw new Error(
      `"${item}" is not an origin: write scheme://host[:port], e.g. https://console.example.com`,
    );
  }
  return origin;
}

/** Parses a comma-separated list (`CORS_ORIGINS`); empty or unset is no origin. */
export function parseCorsOrigins(value: string | undefined): string[] {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return [...new Set(items.map(parseCorsOrigin))];
}

type Headers = Record<string, string>;

/** Whether the request's `Origin` is listed (browsers send it as listed: scheme and host in lower case). */
function listed(origins: readonly string[], origin: string | undefined): origin is string {
  return origin !== undefined && origins.includes(origin);
}

/**
 * Headers of an answer the functions give (any status): the origin allowed when it is listed,
 * and `Vary: Origin` whenever any origin is, so a cache never hands one origin's answer to another.
 */
export function corsAnswerHeaders(origins: readonly string[], origin: string | undefined): Headers {
  if (origins.length === 0) return {};
  if (!listed(origins, origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
    vary: 'Origin',
  };
}

/**
 * Headers of the answer to a preflight (`OPTIONS`), as API Gateway's preflight mock gives them:
 * the request's origin when listed, else the first listed one (which the browser refuses).
 */
export function corsPreflightHeaders(origins: readonly string[], origin: string | undefined): Headers {
  return {
    'access-control-allow-origin': listed(origins, origin) ? origin : origins[0]!,
    'access-control-allow-methods': CORS_ALLOWED_METHODS.join(','),
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    vary: 'Origin',
  };
}

/**
 * Headers of the gateway's own errors (403 bad key, 404 no route, 413, 429), whose headers
 * API Gateway can only map, not choose: the one origin when one is listed; with several, the
 * request's `Origin` as it came (these bodies are fixed sentences, no client's data).
 */
export function corsGatewayErrorHeaders(origins: readonly string[], origin: string | undefined): Headers {
  if (origins.length === 0) return {};
  const allowed = origins.length === 1 ? origins[0] : origin;
  return {
    ...(allowed !== undefined && { 'access-control-allow-origin': allowed }),
    'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(','),
    vary: 'Origin',
  };
}
