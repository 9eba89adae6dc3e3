import type {
  Health,
  ObjectInfo,
  ObjectList,
  ObjectListItem,
  OpenApiDocument,
  PresignBatchAnswer,
  PresignGetAnswer,
  PresignItemAnswer,
  PresignItemRequest,
  PresignPutAnswer,
  Profile,
  UploadAnswer,
  UploadStatus,
} from './api-types.ts';
import { bodySourceOf, sniffContentType, type BodySource, type UploadInput } from './body-source.ts';
import {
  type ApiError,
  apiErrorFor,
  ImageProxyError,
  NetworkError,
  PayloadTooLargeError,
  refusedUploadError,
  StorageUploadError,
  TimeoutError,
  UnexpectedAnswerError,
  UnknownContentTypeError,
  UploadPendingError,
} from './errors.ts';
import {
  abortedBy,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
  sleep,
  type RetryPolicy,
} from './retry.ts';

/**
 * The largest image the base64 route takes by default (`MAX_IMAGE_BYTES`): bigger bodies go
 * through a presigned PUT. A deployment with a lower limit answers 413, and the client then
 * falls back to a presigned PUT too.
 */
export const DEFAULT_MAX_DIRECT_UPLOAD_BYTES = 4_400_000;

export interface ImageProxyClientOptions {
  /** Base URL of the API: the stack's `ApiUrl` output, or local mode's `http://127.0.0.1:3000`. */
  readonly apiUrl: string;
  /** The client's API key (sent as `x-api-key`, never logged). */
  readonly apiKey: string;
  /** Per attempt of an API call, in ms. @default 30000 */
  readonly timeoutMs?: number;
  /** Per attempt of a presigned PUT to storage, in ms. @default 900000 (15 minutes) */
  readonly transferTimeoutMs?: number;
  /** Retries of 429/502/503/504, lost connections and timeouts; `false`: never retry. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Bodies up to this size go to `POST /uploads` itself, bigger ones through a presigned PUT, in bytes. @default 4400000 */
  readonly maxDirectUploadBytes?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Source of jitter, [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** Where an upload is in its journey, for progress bars. */
export interface UploadProgress {
  /** `direct`: `POST /uploads`; `presigned`: a presigned PUT, then the service's check. */
  readonly via: 'direct' | 'presigned';
  /** `sending` the bytes, `checking` (presigned: waiting for the check), `done`. */
  readonly phase: 'sending' | 'checking' | 'done';
  readonly sentBytes: number;
  readonly totalBytes: number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

/** Where an image is filed in the catalogue (`folder`, `tags`): sent as given, checked by the service. */
export interface CatalogueOptions {
  /** 1–8 segments of `[A-Za-z0-9@._+-]` joined by `/` (400 `INVALID_FOLDER` otherwise). */
  readonly folder?: string;
  /** Up to 20 tags of 1–64 characters (400 `INVALID_TAGS` otherwise). */
  readonly tags?: readonly string[];
}

export interface UploadOptions extends RequestOptions, CatalogueOptions {
  /** The rendition's profile. @default the deployment's (or this client's) default, usually `universal` */
  readonly fit?: Profile;
  /** Kept as metadata only. */
  readonly filename?: string;
  /** Also answer the rendition's bytes as base64 (direct uploads only; the answer says when it cannot). */
  readonly inline?: boolean;
  /** The body's type; by default sniffed from its first bytes, as the service does. */
  readonly contentType?: string;
  /** The size of a stream body, in bytes; without it a stream is read into memory first. */
  readonly size?: number;
  /** `auto` picks by size; `direct` or `presigned` force one route. @default 'auto' */
  readonly via?: 'auto' | 'direct' | 'presigned';
  /** Called as the upload progresses (at most every 64 KiB sent). */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** How long to wait for the check of a presigned upload. */
  readonly wait?: WaitOptions;
}

export interface UploadFromUrlOptions extends RequestOptions, CatalogueOptions {
  /** Headers for the source (names on the deployment's allow list, `authorization` by default). */
  readonly sourceHeaders?: Readonly<Record<string, string>>;
  readonly fit?: Profile;
  readonly filename?: string;
  readonly inline?: boolean;
  /** The type the source's bytes must be (`png`, `jpg`…); by default whatever accepted type they are. */
  readonly imageType?: string;
}

export interface WaitOptions extends RequestOptions {
  /** Between polls of `GET /uploads/{id}`, in ms. @default 500 */
  readonly intervalMs?: number;
  /** Give up (`UploadPendingError`) after this long, in ms. @default 120000 */
  readonly timeoutMs?: number;
}

export interface PresignPutOptions extends RequestOptions, CatalogueOptions {
  readonly contentType: string;
  readonly contentLength: number;
  readonly filename?: string;
  readonly fit?: Profile;
  /** Life of the URL, in seconds. */
  readonly expiresIn?: number;
}

export interface ListOptions extends RequestOptions {
  /** Must start with `<your client>/`. @default all of your objects */
  readonly prefix?: string;
  /** Items per page, 1 to 1000. @default 100 */
  readonly pageSize?: number;
}

interface CallOptions extends RequestOptions {
  /** An array value repeats its name (`?tag=a&tag=b`). */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly json?: unknown;
  readonly body?: BodySource;
  readonly contentType?: string;
  /** The answer has no body (204). */
  readonly empty?: boolean;
}

const SEND_CHUNK_BYTES = 64 * 1024;

/**
 * A client of the s3-image-proxy API over `fetch`, nothing else. Every call retries what the
 * service says to retry later (429, 502, 503, 504, with `Retry-After`), lost connections and
 * timeouts, with exponential backoff and full jitter; every error is typed (`ForbiddenError`,
 * `ThrottledError`… one class per error code). Each method takes an `AbortSignal`.
 */
export class ImageProxyClient {
  readonly apiUrl: string;
  readonly maxDirectUploadBytes: number;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #transferTimeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #random: () => number;

  constructor(options: ImageProxyClientOptions) {
    if (!options.apiUrl)
      throw new TypeError('apiUrl is required: the API base URL, e.g. http://127.0.0.1:3000');
    if (!options.apiKey) throw new TypeError('apiKey is required');
    this.apiUrl = new URL(options.apiUrl).href.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#transferTimeoutMs = options.transferTimeoutMs ?? 15 * 60_000;
    this.#retry =
      options.retry === false
        ? { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }
        : { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#random = options.random ?? Math.random;
    this.maxDirectUploadBytes = options.maxDirectUploadBytes ?? DEFAULT_MAX_DIRECT_UPLOAD_BYTES;
  }

  /**
   * Uploads an image (bytes, a Blob or a stream) and answers its model-ready URL. Bodies up to
   * `maxDirectUploadBytes` go to `POST /uploads`; bigger ones (or any the service finds too
   * large) through a presigned PUT, whose check this waits for.
   */
  async upload(input: UploadInput, options: UploadOptions = {}): Promise<UploadAnswer> {
    const source = await bodySourceOf(input, options.size);
    const via = options.via ?? 'auto';
    if (via === 'presigned' || (via === 'auto' && source.size > this.maxDirectUploadBytes)) {
      return this.#uploadPresigned(source, options);
    }
    try {
      return await this.#uploadDirect(source, options);
    } catch (err) {
      if (!(err instanceof PayloadTooLargeError && via === 'auto' && source.replayable)) throw err;
      return this.#uploadPresigned(source, options);
    }
  }

  /**
   * Has the service fetch an image from a URL it can reach and a model cannot (chat media behind
   * a login, an internal signed link) and store it like an upload. `sourceHeaders` (such as
   * `Authorization`) go to the source's origin only. Throws `SourceForbiddenError` for a source
   * the service's guard will not fetch, `SourceUnavailableError` (with `sourceStatus`) for one it
   * could not.
   */
  uploadFromUrl(sourceUrl: string, options: UploadFromUrlOptions = {}): Promise<UploadAnswer> {
    const { signal, ...fields } = options;
    return this.#call('POST', '/uploads', { json: { sourceUrl, ...fields }, signal });
  }

  /** Uploads a file (Node): read as a file-backed Blob, so big files are never held in memory. */
  async uploadFile(path: string, options: UploadOptions = {}): Promise<UploadAnswer> {
    const { openAsBlob } = await import('node:fs');
    const blob = await openAsBlob(path);
    const filename = options.filename ?? path.split(/[\\/]/).pop();
    return this.upload(blob, { ...options, ...(filename && { filename }) });
  }

  async #uploadDirect(source: BodySource, options: UploadOptions): Promise<UploadAnswer> {
    const report = (phase: UploadProgress['phase'], sentBytes: number) =>
      options.onProgress?.({ via: 'direct', phase, sentBytes, totalBytes: source.size });
    report('sending', 0);
    const answer = await this.#call<UploadAnswer>('POST', '/uploads', {
      body: source,
      contentType: options.contentType ?? sniffContentType(source.head) ?? 'application/octet-stream',
      query: {
        fit: options.fit,
        filename: options.filename,
        inline: options.inline ? 1 : undefined,
        folder: options.folder,
        tag: options.tags,
      },
      signal: options.signal,
    });
    report('done', source.size);
    return answer;
  }

  async #uploadPresigned(source: BodySource, options: UploadOptions): Promise<UploadAnswer> {
    const contentType = options.contentType ?? sniffContentType(source.head);
    if (!contentType) {
      throw new UnknownContentTypeError(
        'the first bytes are not of an accepted type (PNG, JPEG, GIF, WebP, AVIF, HEIC/HEIF, MP4): pass contentType to upload it anyway',
      );
    }
    const signed = await this.presignPut({
      contentType,
      contentLength: source.size,
      ...(options.filename !== undefined && { filename: options.filename }),
      ...(options.fit !== undefined && { fit: options.fit }),
      ...(options.folder !== undefined && { folder: options.folder }),
      ...(options.tags !== undefined && { tags: options.tags }),
      ...(options.signal && { signal: options.signal }),
    });
    const report = (phase: UploadProgress['phase'], sentBytes: number) =>
      options.onProgress?.({ via: 'presigned', phase, sentBytes, totalBytes: source.size });
    await this.#put(signed, source, (sent) => report('sending', sent), options.signal);
    report('checking', source.size);
    const answer = await this.waitForUpload(signed.uploadId, { ...options.wait, signal: options.signal });
    report('done', source.size);
    return answer;
  }

  /** Sends a body to a presigned PUT URL with its signed headers, retrying what storage says to. */
  async #put(
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
        this.#transferTimeoutMs,
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

  /**
   * Waits until a presigned upload has been checked: its upload answer when published; the
   * error `POST /uploads` would have given (typed, with `uploadId`) when refused;
   * `UploadPendingError` if still pending after `timeoutMs`.
   */
  async waitForUpload(uploadId: string, options: WaitOptions = {}): Promise<UploadAnswer> {
    const id = uploadId.replace(/^\/?uploads\//, '');
    const intervalMs = options.intervalMs ?? 500;
    const timeoutMs = options.timeoutMs ?? 120_000;
    const started = Date.now();
    for (;;) {
      const status = await this.uploadStatus(id, { ...(options.signal && { signal: options.signal }) });
      if (status.status === 'published') {
        const { status: _, ...answer } = status;
        return answer;
      }
      if (status.status === 'refused') throw refusedUploadError(status.error, status.message, id);
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw new UploadPendingError(id, waited);
      await sleep(Math.min(intervalMs, timeoutMs - waited), options.signal);
    }
  }

  /** `GET /uploads/{id}`: pending, published (with the upload answer) or refused (with the error). */
  uploadStatus(uploadId: string, options: RequestOptions = {}): Promise<UploadStatus> {
    return this.#call('GET', `/uploads/${encodeURIComponent(uploadId)}`, options);
  }

  /** `POST /presign` for a direct upload: the URL and the headers to PUT with. */
  async presignPut(options: PresignPutOptions): Promise<PresignPutAnswer> {
    const { signal, ...request } = options;
    return (await this.presign({ method: 'PUT', ...request }, { signal })) as PresignPutAnswer;
  }

  /** `POST /presign` for a short-lived private read of one of your objects (key or public URL). */
  async presignGet(
    keyOrUrl: string,
    options: RequestOptions & { expiresIn?: number } = {},
  ): Promise<PresignGetAnswer> {
    const { signal, expiresIn } = options;
    const request = {
      method: 'GET' as const,
      key: keyOf(keyOrUrl),
      ...(expiresIn !== undefined && { expiresIn }),
    };
    return (await this.presign(request, { signal })) as PresignGetAnswer;
  }

  /** `POST /presign` with one request. */
  presign(request: PresignItemRequest, options: RequestOptions = {}): Promise<PresignItemAnswer> {
    return this.#call('POST', '/presign', { json: request, signal: options.signal });
  }

  /** `POST /presign` with 1 to 100 requests, answered in the same order. */
  async presignBatch(
    requests: readonly PresignItemRequest[],
    options: RequestOptions = {},
  ): Promise<readonly PresignItemAnswer[]> {
    const answer = await this.#call<PresignBatchAnswer>('POST', '/presign', {
      json: { items: requests },
      signal: options.signal,
    });
    return answer.items;
  }

  /** `POST /renditions`: the same stored image in another profile, without uploading it again. */
  rendition(
    keyOrUrl: string,
    options: RequestOptions & { fit?: Profile; inline?: boolean } = {},
  ): Promise<UploadAnswer> {
    const { signal, ...rest } = options;
    const named = isUrl(keyOrUrl) ? { url: keyOrUrl } : { key: keyOrUrl };
    return this.#call('POST', '/renditions', { json: { ...named, ...rest }, signal });
  }

  /** Every page of your objects (`GET /objects`), following `cursor`. */
  async *listPages(options: ListOptions = {}): AsyncGenerator<ObjectList, void, undefined> {
    let cursor: string | undefined;
    do {
      const page: ObjectList = await this.#call('GET', '/objects', {
        query: { prefix: options.prefix, limit: options.pageSize, cursor },
        signal: options.signal,
      });
      yield page;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every one of your objects, in key order, page by page. */
  async *list(options: ListOptions = {}): AsyncGenerator<ObjectListItem, void, undefined> {
    for await (const page of this.listPages(options)) yield* page.items;
  }

  /** `GET /objects/{key}`: one object's info, by key or public URL (`NotFoundError` when there is none). */
  info(keyOrUrl: string, options: RequestOptions = {}): Promise<ObjectInfo> {
    return this.#call('GET', `/objects/${keyPath(keyOf(keyOrUrl))}`, options);
  }

  /** Deletes an object by key or public URL; idempotent. */
  async delete(keyOrUrl: string, options: RequestOptions = {}): Promise<void> {
    if (isUrl(keyOrUrl))
      await this.#call('DELETE', '/objects', { query: { url: keyOrUrl }, empty: true, ...options });
    else await this.#call('DELETE', `/objects/${keyPath(keyOrUrl)}`, { empty: true, ...options });
  }

  /** `GET /health` (no key needed). */
  health(options: RequestOptions = {}): Promise<Health> {
    return this.#call('GET', '/health', options);
  }

  /** `GET /openapi.json`: the API's description. */
  openApiDocument(options: RequestOptions = {}): Promise<OpenApiDocument> {
    return this.#call('GET', '/openapi.json', options);
  }

  /** One API call, with retries: the parsed JSON answer, or a typed error. */
  async #call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const url = new URL(`${this.apiUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, item);
      else if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { 'x-api-key': this.#apiKey, accept: 'application/json' };
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
        this.#timeoutMs,
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
        const delay = replayable ? retryDelayMs(this.#retry, n, err, this.#random) : undefined;
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
      return await this.#fetch(url, { ...init, signal: combined });
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

const isUrl = (value: string) => /^https?:\/\//i.test(value);

/**
 * The key of a key or public URL: keys are `<client>/<name>`, and a public URL ends with its
 * key whatever the CDN's base (`https://dxxxx.cloudfront.net/<key>`, local `/cdn/<key>`).
 */
export function keyOf(keyOrUrl: string): string {
  if (!isUrl(keyOrUrl)) return keyOrUrl;
  const segments = new URL(keyOrUrl).pathname.split('/').filter(Boolean).map(decodeURIComponent);
  return segments.slice(-2).join('/');
}

/** A key as path segments, each percent-encoded (the `/` between them kept). */
const keyPath = (key: string) => key.split('/').map(encodeURIComponent).join('/');
