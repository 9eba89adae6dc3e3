// Generated from openapi/openapi.json by `npm run openapi:types` (scripts/openapi-types.ts): do not edit.
// The API's version this file describes: 1.0.0.

/** Every machine code an error answer may carry. */
export type ErrorCode = "BAD_REQUEST" | "CDN_INVALIDATION_FAILED" | "CLIP_NOT_CLEANABLE" | "EMPTY_IMAGE" | "FORBIDDEN" | "HEADERS_TOO_LARGE" | "IMAGE_TOO_MANY_PIXELS" | "INTERNAL_ERROR" | "INVALID_BASE64" | "INVALID_CURSOR" | "INVALID_DATA_URI" | "INVALID_EXPIRY" | "INVALID_FILENAME" | "INVALID_FOLDER" | "INVALID_IMAGE" | "INVALID_JSON" | "INVALID_LIMIT" | "INVALID_METADATA" | "INVALID_REQUEST" | "INVALID_SOURCE_URL" | "INVALID_TAGS" | "METHOD_NOT_ALLOWED" | "NOT_FOUND" | "PAYLOAD_TOO_LARGE" | "PRESIGN_LIMIT_EXCEEDED" | "QUOTA_EXCEEDED" | "REQUEST_REJECTED" | "ROUTE_NOT_FOUND" | "SERVER_BUSY" | "SOURCE_FORBIDDEN" | "SOURCE_UNAVAILABLE" | "STORAGE_UNAVAILABLE" | "THROTTLED" | "UNKNOWN_PROFILE" | "UNSUPPORTED_MEDIA_TYPE";

/** Every error answer: a stable machine code, a sentence for people and the request id (empty when the request never became one, e.g. bytes that are not HTTP). */
export type ErrorBody = {
  readonly error: ErrorCode;
  readonly message: string;
  /** `SOURCE_UNAVAILABLE`: the status the source of an upload from a URL answered, when it answered. */
  readonly sourceStatus?: number;
  readonly requestId: string;
};

export type BadRequestErrorBody = ErrorBody & {
  readonly error: "INVALID_JSON" | "INVALID_REQUEST" | "INVALID_BASE64" | "INVALID_DATA_URI" | "EMPTY_IMAGE" | "INVALID_FILENAME" | "UNKNOWN_PROFILE" | "INVALID_EXPIRY" | "INVALID_LIMIT" | "INVALID_CURSOR" | "INVALID_SOURCE_URL" | "SOURCE_FORBIDDEN" | "INVALID_FOLDER" | "INVALID_TAGS" | "INVALID_METADATA";
};

export type ForbiddenErrorBody = ErrorBody & {
  readonly error: "FORBIDDEN";
};

export type NotFoundErrorBody = ErrorBody & {
  readonly error: "NOT_FOUND";
};

export type MethodNotAllowedErrorBody = ErrorBody & {
  readonly error: "METHOD_NOT_ALLOWED";
};

export type PayloadTooLargeErrorBody = ErrorBody & {
  readonly error: "PAYLOAD_TOO_LARGE";
};

export type UnsupportedMediaTypeErrorBody = ErrorBody & {
  readonly error: "UNSUPPORTED_MEDIA_TYPE";
};

export type InvalidImageErrorBody = ErrorBody & {
  readonly error: "INVALID_IMAGE" | "IMAGE_TOO_MANY_PIXELS" | "CLIP_NOT_CLEANABLE";
};

export type ThrottledErrorBody = ErrorBody & {
  readonly error: "THROTTLED" | "QUOTA_EXCEEDED";
};

export type HeadersTooLargeErrorBody = ErrorBody & {
  readonly error: "HEADERS_TOO_LARGE";
};

export type InternalErrorBody = ErrorBody & {
  readonly error: "INTERNAL_ERROR";
};

export type BadGatewayErrorBody = ErrorBody & {
  readonly error: "STORAGE_UNAVAILABLE" | "CDN_INVALIDATION_FAILED";
};

export type UploadBadGatewayErrorBody = ErrorBody & {
  readonly error: "STORAGE_UNAVAILABLE" | "SOURCE_UNAVAILABLE";
};

export type RouteNotFoundErrorBody = ErrorBody & {
  readonly error: "ROUTE_NOT_FOUND";
};

export type GatewayBadRequestErrorBody = ErrorBody & {
  readonly error: "BAD_REQUEST" | "INVALID_REQUEST" | "REQUEST_REJECTED";
};

export type GatewayRejectedErrorBody = ErrorBody & {
  readonly error: "REQUEST_REJECTED";
};

export type GatewayUnavailableErrorBody = ErrorBody & {
  readonly error: "SERVER_BUSY" | "INTERNAL_ERROR";
};

export type ServiceUnavailableErrorBody = ErrorBody & {
  readonly error: "STORAGE_UNAVAILABLE";
};

/** A rendition profile: `universal` (default) is accepted unchanged by every provider; `original` is the full-size image, still sanitized. */
export type Profile = "universal" | "anthropic" | "anthropic-hires" | "openai" | "gemini" | "original";

/** The type of a stored object (the bytes decide it). */
export type ServedContentType = "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/avif" | "image/heic" | "image/heif" | "video/mp4";

/** `<client>/<name>`: opaque for images recorded in the catalogue (`<40 hex>.<ext>`, an HMAC of client, folder, upload and profile under a deployment secret), content-addressed (`<sha256>.<ext>`) for objects stored before it. */
export type ObjectKey = string;

export type Sha256 = string;

/** The JSON upload body, compatible with the older proxy API: the image itself (`image`), or where the service is to fetch it (`sourceUrl`), not both. */
export type UploadRequest = {
  /** The image as base64 (standard or URL-safe alphabet), or a `data:<type>;base64,…` URI. */
  readonly image?: string | null;
  /** An absolute `https` URL (`http` where the deployment allows it) the service fetches the image from, through its guard. No `user:password@`. */
  readonly sourceUrl?: string | null;
  /** Headers sent with `sourceUrl` to its origin only (never after a redirect leaves it), never logged or stored; names on the deployment's `SOURCE_HEADER_ALLOWLIST` (`authorization` by default). */
  readonly sourceHeaders?: {
    readonly [name: string]: string;
  } | null;
  /** Optional: `png`, `jpg`/`jpeg`, `gif`, `webp`, `avif`, `heic`, `heif`, `mp4`. When given, the bytes must agree. */
  readonly imageType?: string | null;
  /** Kept as metadata only (its last path segment). */
  readonly filename?: string | null;
  /** The profile of the rendition; default: the deployment's (or the client's) default, usually `universal`. */
  readonly fit?: (Profile | null);
  /** Also answer the rendition as base64 with inline prompt blocks. */
  readonly inline?: boolean | null;
  readonly folder?: (Folder | null);
  readonly tags?: (Tags | null);
  readonly metadata?: (ImageMetadata | null);
};

export type RenditionRequest = {
  /** The stored object's key. */
  readonly key?: string;
  /** Or its public URL. */
  readonly url?: string;
  readonly fit?: (Profile | null);
  readonly inline?: boolean | null;
};

export type PresignPutRequest = {
  readonly method: "PUT";
  /** One of `image/png`, `image/jpeg`, `image/gif`, `image/webp`, `image/avif`, `image/heic`, `image/heif`, `video/mp4`. */
  readonly contentType: string;
  /** The file's exact size in bytes (at most `MAX_DIRECT_UPLOAD_BYTES`). */
  readonly contentLength: number;
  readonly filename?: string | null;
  readonly fit?: (Profile | null);
  /** Seconds the URL lives (default 3600, at most `PRESIGN_MAX_EXPIRES_SECONDS`). */
  readonly expiresIn?: number | null;
  readonly folder?: (Folder | null);
  readonly tags?: (Tags | null);
};

export type PresignGetRequest = {
  readonly method: "GET";
  readonly key: string;
  readonly expiresIn?: number | null;
};

export type PresignItemRequest = (PresignPutRequest | PresignGetRequest);

export type PresignBatchRequest = {
  readonly items: readonly PresignItemRequest[];
};

export type PresignRequest = (PresignItemRequest | PresignBatchRequest);

/** Estimated input tokens per provider for the served image, from each provider's published formula. The fields `openaiOriginal`, `openaiModels` and `gemini3` are absent from answers stored before they were added. */
export type TokenEstimates = {
  /** Claude before Opus 4.7 (1568 px, 1568 tokens). */
  readonly anthropic: number;
  /** Claude Opus 4.7 and later (2576 px, 4784 tokens). */
  readonly anthropicHires: number;
  /** OpenAI patch models at detail high (32 px patches). */
  readonly openai: number;
  /** OpenAI tile models (gpt-4o) at detail high. */
  readonly openaiTiles: number;
  /** Gemini 2.x (258 per 768 px tile). */
  readonly gemini: number;
  /** OpenAI patch models at detail original, multiplier 1 (6000 px, 10,000 patches of 32 px). */
  readonly openaiOriginal?: number;
  readonly openaiModels?: OpenAiModelTokens;
  readonly gemini3?: Gemini3Tokens;
};

/** Billed tokens per OpenAI patch-model family: ⌈w/32⌉·⌈h/32⌉ patches within the family's budget at a detail level, times its factor, rounded. */
export type OpenAiModelTokens = {
  /** gpt-5.x flagships (gpt-5.2 and later), factor 1.2. */
  readonly gpt5: {
    /** Detail high: 2048 px, 2500 patches. */
    readonly high: number;
    /** Detail original: 6000 px, 10,000 patches. */
    readonly original: number;
  };
  /** gpt-4.1-mini, factor 1.62. */
  readonly gpt41Mini: {
    /** Detail high: 1536 patches. */
    readonly high: number;
  };
  /** o4-mini, factor 1.72. */
  readonly o4Mini: {
    /** Detail high: 1536 patches. */
    readonly high: number;
  };
};

/** Gemini 3's tokens per image for each `media_resolution`, whatever the image's size (high is the default for images). */
export type Gemini3Tokens = {
  readonly low: 280;
  readonly medium: 560;
  readonly high: 1120;
  readonly ultraHigh: 2240;
};

/** Whether each provider takes the served URL as it is: its format, animation, longest side and bytes within that provider's published limits (see docs/providers.md). Prompt blocks are given only to providers answered true; `providerNotes` says why for each one answered false. */
export type Providers = {
  readonly anthropic: boolean;
  readonly openai: boolean;
  readonly gemini: boolean;
};

/** For each provider in `providers` answered false, why: the published limit the served file breaks (format, animation, longest side or bytes). Empty when every provider takes it; absent from answers stored before it was added. */
export type ProviderNotes = {
  readonly anthropic?: string;
  readonly openai?: string;
  readonly gemini?: string;
};

/** OpenAI Chat Completions content part. */
export type OpenAiChatImagePart = {
  readonly type: "image_url";
  readonly image_url: {
    readonly url: string;
  };
};

/** OpenAI Responses input content part (`detail` is required by the `openai` SDK's `ResponseInputImage`). */
export type OpenAiResponsesImagePart = {
  readonly type: "input_image";
  readonly image_url: string;
  readonly detail: "auto";
};

/** Anthropic Messages content block. */
export type AnthropicImageBlock = {
  readonly type: "image";
  readonly source: ({
    readonly type: "url";
    readonly url: string;
  } | {
    readonly type: "base64";
    readonly media_type: "image/jpeg" | "image/png" | "image/gif" | "image/webp";
    readonly data: string;
  });
};

/** Gemini `generateContent` part, in the camelCase the `@google/genai` SDK types and sends (it drops snake_case fields); Gemini's REST API takes it as is. */
export type GeminiImagePart = ({
  readonly fileData: {
    readonly mimeType: string;
    readonly fileUri: string;
  };
} | {
  readonly inlineData: {
    readonly mimeType: string;
    readonly data: string;
  };
});

/** Ready-to-paste content blocks per provider API, for the providers that take the served type (none for MP4). */
export type PromptBlocks = {
  readonly openaiChat?: OpenAiChatImagePart;
  readonly openaiResponses?: OpenAiResponsesImagePart;
  readonly anthropic?: AnthropicImageBlock;
  readonly gemini?: GeminiImagePart;
};

/** What was uploaded: type, size and, for images, upright pixel size and frames. */
export type OriginalSummary = {
  readonly contentType: string;
  readonly size: number;
  readonly width?: number;
  readonly height?: number;
  readonly frames?: number;
};

/** Why an `inline` answer carries no bytes (the image is stored and its URL works). */
export type InlineError = {
  readonly error: "TOO_LARGE_TO_INLINE";
  readonly message: string;
};

/** The fields of an upload answer (see `UploadAnswer`). */
export type UploadAnswerFields = {
  /** The public URL of the rendition: what older clients read, and what a model fetches. */
  readonly url: string;
  readonly key: ObjectKey;
  readonly contentType: ServedContentType;
  /** Bytes served. */
  readonly size: number;
  readonly sha256: Sha256;
  readonly width?: number;
  readonly height?: number;
  readonly profile?: Profile;
  /** `as-uploaded` (same bytes), `metadata-stripped` (lossless: for MP4 clips, every metadata box removed and the media bytes unchanged), or `rendered`. */
  readonly method: "as-uploaded" | "metadata-stripped" | "rendered";
  readonly providers: Providers;
  readonly providerNotes?: ProviderNotes;
  readonly tokens?: TokenEstimates;
  readonly prompt: PromptBlocks;
  readonly original: OriginalSummary;
  /** With `inline`: the served bytes. */
  readonly base64?: string;
  readonly promptInline?: PromptBlocks;
  readonly inlineError?: InlineError;
};

/** The answer of `POST /uploads`, `POST /` and `POST /renditions`. */
export type UploadAnswer = UploadAnswerFields;

export type UploadPending = {
  readonly status: "pending";
};

/** Published: the same answer `POST /uploads` gives, with `status`. */
export type UploadPublished = UploadAnswerFields & {
  readonly status: "published";
};

/** Refused: the error code and message `POST /uploads` would have given for those bytes. */
export type UploadRefused = {
  readonly status: "refused";
  readonly error: ErrorCode;
  readonly message: string;
};

export type UploadStatus = (UploadPending | UploadPublished | UploadRefused);

export type PresignPutAnswer = {
  readonly method: "PUT";
  /** Where to PUT the bytes. */
  readonly url: string;
  /** Headers to send exactly as given: they are part of the signature. */
  readonly headers: {
    readonly [name: string]: string;
  };
  readonly uploadId: string;
  /** `GET` it for the outcome. */
  readonly statusPath: string;
  readonly fit: Profile;
  /** When the URL stops working (the earlier of the asked expiry and the signer's credentials). */
  readonly expiresAt: string;
};

export type PresignGetAnswer = {
  readonly method: "GET";
  readonly url: string;
  readonly headers: {
    readonly [name: string]: string;
  };
  readonly key: ObjectKey;
  /** Where the CDN serves the object. */
  readonly publicUrl: string;
  readonly expiresAt: string;
};

export type PresignItemAnswer = (PresignPutAnswer | PresignGetAnswer);

export type PresignBatchAnswer = {
  readonly items: readonly PresignItemAnswer[];
};

export type PresignAnswer = (PresignPutAnswer | PresignGetAnswer | PresignBatchAnswer);

/** An object, and when it is recorded in the catalogue its image: folder, filename, tags, metadata, source, dates and every profile made of it (objects stored before the catalogue carry only the object's own fields until the backfill records them). */
export type ObjectListItem = {
  readonly key: string;
  readonly size: number;
  readonly contentType?: string;
  readonly sha256?: Sha256;
  readonly lastModified?: string;
  readonly url: string;
  readonly folder?: Folder;
  readonly tags?: Tags;
  readonly metadata?: ImageMetadata;
  readonly source?: ImageSource;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly originalSize?: number;
  readonly profiles?: ImageProfiles;
  readonly width?: number;
  readonly height?: number;
  readonly profile?: Profile;
  readonly filename?: string;
  readonly original?: {
    readonly contentType: string;
    readonly size?: number;
    readonly width?: number;
    readonly height?: number;
  };
};

export type ObjectList = {
  readonly items: readonly ObjectListItem[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  readonly cursor?: string;
};

/** An object, and when it is recorded in the catalogue its image: folder, filename, tags, metadata, source, dates and every profile made of it (objects stored before the catalogue carry only the object's own fields until the backfill records them). */
export type ObjectInfo = {
  readonly key: string;
  readonly size: number;
  readonly contentType?: string;
  readonly sha256?: Sha256;
  readonly lastModified?: string;
  readonly etag?: string;
  readonly width?: number;
  readonly height?: number;
  readonly profile?: Profile;
  readonly filename?: string;
  readonly original?: {
    readonly contentType: string;
    readonly size?: number;
    readonly width?: number;
    readonly height?: number;
  };
  readonly url: string;
  readonly folder?: Folder;
  readonly tags?: Tags;
  readonly metadata?: ImageMetadata;
  readonly source?: ImageSource;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly originalSize?: number;
  readonly profiles?: ImageProfiles;
};

export type Health = {
  readonly status: "ok";
};

/** An OpenAPI 3.1 document. */
export type OpenApiDocument = {
  readonly openapi: string;
  readonly info: {
    readonly [name: string]: unknown;
  };
  readonly paths: {
    readonly [name: string]: unknown;
  };
};

export type PresignThrottledErrorBody = ErrorBody & {
  readonly error: "THROTTLED" | "QUOTA_EXCEEDED" | "PRESIGN_LIMIT_EXCEEDED";
};

/** Where an image is filed inside the caller's namespace: 1 to 8 segments of `[A-Za-z0-9@._+-]` separated by `/`, at most 256 characters; no `.`/`..`/empty segment, no leading `/` or `_`. Otherwise 400 `INVALID_FOLDER`. Absent: the root (`""`). Never part of a public URL. */
export type Folder = string;

export type Tag = string;

/** At most 20 tags, each 1 to 64 of `[a-zA-Z0-9 _.:-]`; otherwise 400 `INVALID_TAGS`. */
export type Tags = readonly Tag[];

/** At most 20 pairs of text, names 1 to 64 of `[A-Za-z0-9_.:-]`, 2 KB in all; otherwise 400 `INVALID_METADATA`. */
export type ImageMetadata = {
  readonly [name: string]: string;
};

/** How the image came in. */
export type ImageSource = "upload" | "presign" | "url" | "rendition";

/** Every rendition made of the image, by profile (`as-uploaded` for clips). */
export type ImageProfiles = {
  readonly [name: string]: {
    readonly key: string;
    readonly url: string;
    readonly width?: number;
    readonly height?: number;
    readonly size: number;
    readonly contentType: string;
  };
};

export type ImageStats = {
  readonly folder: Folder;
  readonly images: number;
  readonly bytes: {
    /** Bytes of every profile rendition. */
    readonly served: number;
    /** Bytes of the uploads kept privately. */
    readonly originals: number;
  };
  readonly byContentType: {
    readonly [name: string]: number;
  };
  readonly bySource: {
    readonly [name: string]: number;
  };
  /** The newest createdAt ever counted in the folder (a delete does not lower it). */
  readonly newestCreatedAt?: string;
};

export type ImagePatch = {
  readonly tags?: Tags;
  readonly metadata?: ImageMetadata;
  readonly filename?: string;
};

export type EraseAnswer = {
  readonly deleted: number;
};

export type ErasureStatus = {
  /** `done` once every image under the folder is erased. */
  readonly state: "running" | "done";
  /** Images erased so far; all of them once `done`. */
  readonly deleted: number;
  /** The folder being erased (recursive). */
  readonly folder: string;
};

export type ErasureStarted = {
  /** Path of the erasure's status, `/erasures/{id}`: `GET` it until `state` is `done`. */
  readonly status: string;
  /** `done` once every image under the folder is erased. */
  readonly state: "running" | "done";
  /** Images erased so far; all of them once `done`. */
  readonly deleted: number;
  /** The folder being erased (recursive). */
  readonly folder: string;
};
