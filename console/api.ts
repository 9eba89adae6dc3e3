/** What the console reads at start from `config.json` next to it (written at deploy; no secrets). */
export interface ConsoleConfig {
  /** The API's base URL, without a trailing slash. */
  readonly apiUrl: string;
  /** The CDN's base URL (public image URLs start with it). */
  readonly cdnBaseUrl: string;
  /** Largest file sent as base64 in one request; larger ones go through a presigned PUT. */
  readonly directUploadMaxBytes: number;
}

/** An answer of the API that is not a success, with the API's own code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** True when the API refused the key itself (missing, wrong, or revoked). */
export const isRefusedKey = (err: unknown) =>
  err instanceof ApiError && err.status === 403 && err.code === 'FORBIDDEN';

/** Turns a failed fetch or a non-2xx answer into an {@link ApiError} with words a person can act on. */
export async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: string; message?: string }
    | undefined;
  return new ApiError(
    response.status,
    body?.error ?? `HTTP_${response.status}`,
    body?.message ?? `the API answered ${response.status} ${response.statusText}`,
  );
}

/**
 * The API with the user's key: the key goes only in `x-api-key`, only to the configured API
 * origin (every path is resolved against it), never into a URL.
 */
export class Api {
  constructor(
    readonly config: ConsoleConfig,
    readonly key: string,
  ) {}

  /** `path` with `query` (repeated names for arrays, empty values left out). */
  urlOf(path: string, query: Record<string, string | readonly string[] | undefined> = {}): string {
    const url = new URL(`${this.config.apiUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      for (const one of [value].flat()) if (one) url.searchParams.append(name, one);
    }
    return url.href;
  }

  async request<T>(
    method: string,
    path: string,
    options: { query?: Record<string, string | readonly string[] | undefined>; json?: unknown } = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.urlOf(path, options.query), {
        method,
        headers: {
          'x-api-key': this.key,
          ...(options.json !== undefined && { 'content-type': 'application/json' }),
        },
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'NETWORK', `the API at ${this.config.apiUrl} could not be reached`);
    }
    if (!response.ok) throw await errorOf(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}
