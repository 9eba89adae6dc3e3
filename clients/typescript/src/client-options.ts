import type { Profile } from './api-types.ts';
import type { ImageLabels, ListFilters } from './catalogue-requests.ts';
import type { Folder, Tags } from './api-types.ts';
import type { RetryPolicy } from './retry.ts';

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

/** The labels a presign carries (`folder`, `tags`); metadata rides only JSON bodies. */
export type CatalogueOptions = Pick<ImageLabels, 'folder' | 'tags'>;

export interface UploadOptions extends RequestOptions, ImageLabels {
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

export interface UploadFromUrlOptions extends RequestOptions, ImageLabels {
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

export interface PresignPutOptions extends RequestOptions {
  readonly contentType: string;
  /** Where to file the image, and its tags (metadata cannot ride a presign: `upload` sets it once the check is done). */
  readonly folder?: Folder;
  readonly tags?: Tags;
  readonly contentLength: number;
  readonly filename?: string;
  readonly fit?: Profile;
  /** Life of the URL, in seconds. */
  readonly expiresIn?: number;
}

export interface ListOptions extends RequestOptions, ListFilters {
  /** Must start with `<your client>/`. @default all of your objects */
  readonly prefix?: string;
  /** Items per page, 1 to 1000 (the same as `limit`). @default 100 */
  readonly pageSize?: number;
}

export interface EraseFolderOptions extends RequestOptions {
  /** Between polls of a background erasure's status, in ms. @default 1000 */
  readonly intervalMs?: number;
  /** Give up (`ErasurePendingError`) after this long, in ms. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
}
