import type {
  Health,
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
import { base64UploadBody, folderToErase, labelsQuery, listQuery, patchBody } from './catalogue-requests.ts';
import type { EraseAnswer, Folder, ImagePatch, ImageStats } from './api-types.ts';
import type {
  EraseStarted,
  ErasureStatus,
  ImageList,
  ImageListItem,
  ImageRecord,
} from './catalogue-types.ts';
import type {
  EraseFolderOptions,
  ImageProxyClientOptions,
  ListOptions,
  PresignPutOptions,
  RequestOptions,
  UploadFromUrlOptions,
  UploadOptions,
  UploadProgress,
  WaitOptions,
} from './client-options.ts';
import { Transport } from './client-transport.ts';
import {
  ErasurePendingError,
  PayloadTooLargeError,
  refusedUploadError,
  UnknownContentTypeError,
  UploadPendingError,
} from './errors.ts';
import { DEFAULT_RETRY_POLICY, sleep } from './retry.ts';

export type * from './client-options.ts';

/**
 * The largest image the base64 route takes by default (`MAX_IMAGE_BYTES`): bigger bodies go
 * through a presigned PUT. A deployment with a lower limit answers 413, and the client then
 * falls back to a presigned PUT too.
 */
export const DEFAULT_MAX_DIRECT_UPLOAD_BYTES = 4_400_000;

/**
 * A client of the s3-image-proxy API over `fetch`, nothing else. Every call retries what the
 * service says to retry later (429, 502, 503, 504, with `Retry-After`), lost connections and
 * timeouts, with exponential backoff and full jitter; every error is typed (`ForbiddenError`,
 * `ThrottledError`… one class per error code). Each method takes an `AbortSignal`.
 */
export class ImageProxyClient {
  readonly apiUrl: string;
  readonly maxDirectUploadBytes: number;
  readonly #transport: Transport;

  constructor(options: ImageProxyClientOptions) {
    if (!options.apiUrl)
      throw new TypeError('apiUrl is required: the API base URL, e.g. http://127.0.0.1:3000');
    if (!options.apiKey) throw new TypeError('apiKey is required');
    this.apiUrl = new URL(options.apiUrl).href.replace(/\/+$/, '');
    this.#transport = new Transport({
      apiUrl: this.apiUrl,
      apiKey: options.apiKey,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      timeoutMs: options.timeoutMs ?? 30_000,
      transferTimeoutMs: options.transferTimeoutMs ?? 15 * 60_000,
      retry:
        options.retry === false
          ? { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }
          : { ...DEFAULT_RETRY_POLICY, ...options.retry },
      random: options.random ?? Math.random,
    });
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
    return this.#transport.call('POST', '/uploads', { json: { sourceUrl, ...fields }, signal });
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
    // Metadata rides only a JSON body: such an upload goes as base64 (4.4 MB of bytes stay under 6 MB).
    const answer =
      options.metadata === undefined
        ? await this.#transport.call<UploadAnswer>('POST', '/uploads', {
            body: source,
            contentType: options.contentType ?? sniffContentType(source.head) ?? 'application/octet-stream',
            query: {
              fit: options.fit,
              filename: options.filename,
              inline: options.inline ? 1 : undefined,
              ...labelsQuery(options),
            },
            signal: options.signal,
          })
        : await this.#transport.call<UploadAnswer>('POST', '/uploads', {
            json: base64UploadBody(new Uint8Array(await new Response(source.open()).arrayBuffer()), options),
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
    await this.#transport.put(signed, source, (sent) => report('sending', sent), options.signal);
    report('checking', source.size);
    const answer = await this.waitForUpload(signed.uploadId, { ...options.wait, signal: options.signal });
    // A presign carries no metadata (S3 keeps 2 KB of it per object): set it once the image is recorded.
    if (options.metadata !== undefined)
      await this.updateImage(answer.key, { metadata: options.metadata }, { signal: options.signal });
    report('done', source.size);
    return answer;
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
    return this.#transport.call('GET', `/uploads/${encodeURIComponent(uploadId)}`, options);
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
    return this.#transport.call('POST', '/presign', { json: request, signal: options.signal });
  }

  /** `POST /presign` with 1 to 100 requests, answered in the same order. */
  async presignBatch(
    requests: readonly PresignItemRequest[],
    options: RequestOptions = {},
  ): Promise<readonly PresignItemAnswer[]> {
    const answer = await this.#transport.call<PresignBatchAnswer>('POST', '/presign', {
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
    return this.#transport.call('POST', '/renditions', { json: { ...named, ...rest }, signal });
  }

  /**
   * Every page of your objects (`GET /objects`) from `cursor` on, following `cursor`; filtered by
   * folder, tags, type, source, creation time or filename text when given (newest first).
   */
  async *listPages(options: ListOptions = {}): AsyncGenerator<ImageList, void, undefined> {
    let cursor = options.cursor;
    do {
      const page: ImageList = await this.#transport.call('GET', '/objects', {
        query: listQuery(options, cursor),
        signal: options.signal,
      });
      yield page;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every one of your objects (or those the filters keep), page by page. */
  async *list(options: ListOptions = {}): AsyncGenerator<ImageListItem, void, undefined> {
    for await (const page of this.listPages(options)) yield* page.items;
  }

  /** `GET /objects/{key}`: one object's info, by key or public URL (`NotFoundError` when there is none). */
  info(keyOrUrl: string, options: RequestOptions = {}): Promise<ImageRecord> {
    return this.#transport.call('GET', `/objects/${keyPath(keyOf(keyOrUrl))}`, options);
  }

  /**
   * Deletes an image by any of its keys or public URLs: every profile, CDN rendition and kept
   * original of it, and its record; idempotent.
   */
  async delete(keyOrUrl: string, options: RequestOptions = {}): Promise<void> {
    if (isUrl(keyOrUrl))
      await this.#transport.call('DELETE', '/objects', { query: { url: keyOrUrl }, empty: true, ...options });
    else await this.#transport.call('DELETE', `/objects/${keyPath(keyOrUrl)}`, { empty: true, ...options });
  }

  /** `PATCH /objects/{key}`: sets an image's tags, metadata or filename (each given replaces its value). */
  updateImage(keyOrUrl: string, patch: ImagePatch, options: RequestOptions = {}): Promise<ImageRecord> {
    const json = patchBody(patch);
    return this.#transport.call('PATCH', `/objects/${keyPath(keyOf(keyOrUrl))}`, { json, ...options });
  }

  /** `GET /stats`: counts and bytes of your images, all of them or those under `folder`. */
  stats(options: RequestOptions & { folder?: Folder } = {}): Promise<ImageStats> {
    const { signal, folder } = options;
    return this.#transport.call('GET', '/stats', { query: { folder }, signal });
  }

  /**
   * `DELETE /objects?folder=`: erases every image under `folder` (recursive), as `delete` does
   * each. A large folder is erased in the background (202): this polls its status path until
   * done, and throws `ErasurePendingError` (with the path to poll) past `timeoutMs`.
   */
  async eraseFolder(folder: Folder, options: EraseFolderOptions = {}): Promise<EraseAnswer> {
    const { signal } = options;
    const query = { folder: folderToErase(folder) };
    const answer = await this.#transport.call<EraseAnswer | EraseStarted>('DELETE', '/objects', {
      query,
      signal,
    });
    if (!('status' in answer)) return answer;
    const intervalMs = options.intervalMs ?? 1000;
    const timeoutMs = options.timeoutMs ?? 600_000;
    const path = statusPathOf(answer.status, this.apiUrl);
    const started = Date.now();
    for (;;) {
      const status = await this.#transport.call<ErasureStatus>('GET', path, { signal });
      if (status.state === 'done') return { deleted: status.deleted };
      const waited = Date.now() - started;
      if (waited >= timeoutMs) throw new ErasurePendingError(path, status.deleted, waited);
      await sleep(Math.min(intervalMs, timeoutMs - waited), signal);
    }
  }

  /** `GET /health` (no key needed). */
  health(options: RequestOptions = {}): Promise<Health> {
    return this.#transport.call('GET', '/health', options);
  }

  /** `GET /openapi.json`: the API's description. */
  openApiDocument(options: RequestOptions = {}): Promise<OpenApiDocument> {
    return this.#transport.call('GET', '/openapi.json', options);
  }
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

/** The path of a background erasure's status (`/erasures/{id}`), whether answered as a path or a URL. */
function statusPathOf(status: string, apiUrl: string): string {
  if (!isUrl(status)) return status.startsWith('/') ? status : `/${status}`;
  return status.startsWith(apiUrl) ? status.slice(apiUrl.length) : new URL(status).pathname;
}
