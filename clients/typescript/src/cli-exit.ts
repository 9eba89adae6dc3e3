import {
  ApiError,
  ForbiddenError,
  ImageProxyError,
  NetworkError,
  SourceUnavailableError,
  TimeoutError,
} from './errors.ts';

/** Exit codes scripts can rely on. */
export const EXIT = {
  /** Everything asked was done. */
  ok: 0,
  /** Some files or objects failed (refused type, not found, a source URL that failed…); the others were done. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing API URL or key, no such file. */
  usage: 2,
  /** The API key was refused (403 FORBIDDEN): nothing more was tried. */
  auth: 3,
  /** The service could not be reached or stayed unavailable (network, timeout, 429 or 5xx after retries). */
  unavailable: 4,
} as const;

/**
 * The exit code one error stands for. A 502 `SOURCE_UNAVAILABLE` is the service saying that the
 * source of an upload from a URL failed (a 404, a refused token): that item failed, the service
 * itself answered.
 */
export function exitCodeOf(err: unknown): number {
  if (err instanceof ForbiddenError) return EXIT.auth;
  if (err instanceof SourceUnavailableError) return EXIT.failed;
  if (err instanceof NetworkError || err instanceof TimeoutError) return EXIT.unavailable;
  if (err instanceof ApiError && (err.status === 429 || err.status >= 500)) return EXIT.unavailable;
  return EXIT.failed;
}

/** The exit code of a run whose items failed with `errors`: auth, then unavailable, then failed. */
export function worstExit(errors: readonly unknown[]): number {
  const codes = errors.map(exitCodeOf);
  for (const code of [EXIT.auth, EXIT.unavailable, EXIT.failed]) if (codes.includes(code)) return code;
  return EXIT.ok;
}

/** The one-line description of an error: its code, the HTTP status, the message; never the key. */
export function describe(err: unknown): string {
  if (err instanceof ApiError) return `${err.code} (HTTP ${err.status}): ${err.message}`;
  if (err instanceof ImageProxyError) return `${err.code}: ${err.message}`;
  return `ERROR: ${(err as Error)?.message ?? String(err)}`;
}

/** An error as `--json` prints it. */
export function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof ApiError)
    return {
      code: err.code,
      status: err.status,
      message: err.message,
      ...(err.sourceStatus !== undefined && { sourceStatus: err.sourceStatus }),
      ...(err.requestId && { requestId: err.requestId }),
    };
  if (err instanceof ImageProxyError) return { code: err.code, message: err.message };
  return { code: 'ERROR', message: (err as Error)?.message ?? String(err) };
}
