import type { PresignPutAnswer } from './api-types.ts';
import type { BodySource } from './body-source.ts';
import type { QueryValues } from './catalogue-requests.ts';
import {
  type ApiError,
  apiErrorFor,
  ImageProxyError,
  NetworkError,
  StorageUploadError,
  TimeoutError,
  UnexpectedAnswerError,
} from './errors.ts';
import { abortedBy, parseRetryAfter, retryDelayMs, sleep, type RetryPolicy } from './retry.ts';

/** What the transport is made with: the client's options, their defaults applied. */
export interface TransportOptions {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly transferTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly random: () => number;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly query?: QueryValues;
  readonly json?: unknown;
  readonly body?: BodySource;
  readonly contentType?: string;
  /** The answer has no body (204). */
  readonly empty?: boolean;
}

const SEND_CHUNK_BYTES = 64 * 1024;

/**
 * The wire under the client: one API call (key, JSON, typed errors) or one presigned PUT, each
 * retried as the policy says, each attempt under its own timeout.
 */
export class Transport {
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  /** Sends a body to a presigned PUT URL with its signed headers, retrying what storage says to. */
  async put(
    signed: PresignPutAnswer,
    source: BodySource,
    onSent: (sentBytes: number) => void,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await this.#withRetries(signal, source.replayable, async (attemptSignal) => {
      onSent(0);
      const response = await this.#send(
        signed.url,
        {
          method: 'PUT',
          headers: signed.headers,
          body: counted(source.open(), onSent),
          duplex: 'half',
        } as RequestInit,
        attemptSignal,
        this.#options.transferTimeoutMs,
      );
      if (response.ok) {
        await response.arrayBuffer();
        return;
      }
      const text = await response.text().catch(() => '');
      const s3Code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
      if ([500, 502, 503, 504].includes(response.status)) {
        throw apiErrorFor({
          code: 'STORAGE_UNAVAILABLE',
          message: `storage answered the presigned PUT with ${response.status} ${s3Code ?? ''}`.trim(),
          status: response.status,
          retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
        });
      }
      throw new StorageUploadError(response.status, s3Code, `storage refused the presigned PUT: ${message}`);
    });
  }

  /** One API call, with retries: the parsed JSON answer, or a typed error. */
  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const url = new URL(`${this.#options.apiUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {}))
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
        url.searchParams.append(name, String(one));
    const headers: Record<string, string> = { 'x-api-key': this.#options.apiKey, accept: 'application/json' };
    let body: (() => RequestInit['body']) | undefined;
    if (options.json !== undefined) {
      const text = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
      body = () => text;
    } else if (options.body) {
      const source = options.body;
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      headers['content-length'] = String(source.size);
      body = () => source.open() as RequestInit['body'];
    }
    const replayable = options.body?.replayable ?? true;
    return this.#withRetries(options.signal, replayable, async (attemptSignal) => {
      const response = await this.#send(
        url.href,
        { method, headers, ...(body && { body: body(), duplex: 'half' }) } as RequestInit,
        attemptSignal,
        this.#options.timeoutMs,
      );
      const text = await response.text();
      if (response.ok) {
        if (options.empty || text === '') return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new UnexpectedAnswerError(
            response.status,
            `${method} ${path} answered ${response.status} with a body that is not JSON`,
          );
        }
      }
      throw errorOf(response, text, `${method} ${path}`);
    });
  }

  /** `attempt` until it succeeds, a non-retryable error, or the policy gives up. */
  async #withRetries<T>(
    signal: AbortSignal | undefined,
    replayable: boolean,
    attempt: (signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt(signal);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const delay = replayable
          ? retryDelayMs(this.#options.retry, n, err, this.#options.random)
          : undefined;
        if (delay === undefined) throw err;
        await sleep(delay, signal);
      }
    }
  }

  /** One fetch with a per-attempt timeout; failures become `TimeoutError` or `NetworkError`. */
  async #send(
    url: string,
    init: RequestInit,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await this.#options.fetch(url, { ...init, signal: combined });
    } catch (err) {
      if (abortedBy(err, signal)) throw signal!.reason;
      if (timeout.aborted)
        throw new TimeoutError(`no answer from ${new URL(url).host} within ${timeoutMs} ms`, { cause: err });
      if (err instanceof ImageProxyError) throw err;
      const inner = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      const cause = inner?.code ?? inner?.message ?? (err as Error).message;
      throw new NetworkError(`could not reach ${new URL(url).host}: ${cause}`, { cause: err });
    }
  }
}

/** The typed error of a non-2xx answer. */
function errorOf(response: Response, text: string, what: string): ApiError | UnexpectedAnswerError {
  let body: { error?: unknown; message?: unknown; requestId?: unknown; sourceStatus?: unknown } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body?.error !== 'string') {
    return new UnexpectedAnswerError(
      response.status,
      `${what} answered ${response.status} without the API's error body`,
    );
  }
  return apiErrorFor({
    code: body.error,
    message: typeof body.message === 'string' ? body.message : body.error,
    status: response.status,
    requestId: typeof body.requestId === 'string' ? body.requestId : undefined,
    retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    sourceStatus: typeof body.sourceStatus === 'number' ? body.sourceStatus : undefined,
  });
}

/** Counts bytes as `fetch` pulls them; bytes and Blobs are sent in 64 KiB chunks so progress moves. */
function counted(
  body: Blob | Uint8Array | ReadableStream<Uint8Array>,
  onSent: (sentBytes: number) => void,
): ReadableStream<Uint8Array> {
  const stream =
    body instanceof Uint8Array
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(body);
            controller.close();
          },
        })
      : body instanceof Blob
        ? (body.stream() as ReadableStream<Uint8Array>)
        : body;
  let sent = 0;
  let reported = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        for (let at = 0; at < chunk.length; at += SEND_CHUNK_BYTES) {
          const part = chunk.subarray(at, at + SEND_CHUNK_BYTES);
          controller.enqueue(part);
          sent += part.length;
          if (sent - reported >= SEND_CHUNK_BYTES) {
            reported = sent;
            onSent(sent);
          }
        }
      },
      flush() {
        onSent(sent);
      },
    }),
  );
}
