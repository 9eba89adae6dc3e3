import type { ErrorCode } from './api-types.ts';

/** Everything the client throws (but an abort, which rethrows the signal's reason) is one of these. */
export class ImageProxyError extends Error {
  /** A stable machine code: the API's `error`, or one of the client's own (`TIMEOUT`, `NETWORK`…). */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** What an error answer of the API carried, and the HTTP status it came with. */
export interface ApiErrorInit {
  readonly code: string;
  readonly message: string;
  /** HTTP status; for a refused presigned upload, the status `POST /uploads` gives for the same code. */
  readonly status: number;
  readonly requestId?: string | undefined;
  /** `Retry-After`, in seconds, when the answer had one. */
  readonly retryAfterSeconds?: number | undefined;
  /** The presigned upload whose check refused the bytes. */
  readonly uploadId?: string | undefined;
  /** `SOURCE_UNAVAILABLE`: what the source of an upload from a URL answered, when it answered. */
  readonly sourceStatus?: number | undefined;
}

/**
 * An error answer of the API (`{error, message, requestId}`). Each code has its own subclass
 * (`ForbiddenError` for `FORBIDDEN`, `ThrottledError` for `THROTTLED`…); a code this client does
 * not know yet arrives as a plain `ApiError`.
 */
export class ApiError extends ImageProxyError {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly uploadId: string | undefined;
  readonly sourceStatus: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init.code, init.message);
    this.status = init.status;
    this.requestId = init.requestId || undefined;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.uploadId = init.uploadId;
    this.sourceStatus = init.sourceStatus;
  }
}

export class InvalidJsonError extends ApiError {
  static readonly code = 'INVALID_JSON';
}
export class InvalidRequestError extends ApiError {
  static readonly code = 'INVALID_REQUEST';
}
export class InvalidBase64Error extends ApiError {
  static readonly code = 'INVALID_BASE64';
}
export class InvalidDataUriError extends ApiError {
  static readonly code = 'INVALID_DATA_URI';
}
export class EmptyImageError extends ApiError {
  static readonly code = 'EMPTY_IMAGE';
}
export class InvalidFilenameError extends ApiError {
  static readonly code = 'INVALID_FILENAME';
}
export class UnknownProfileError extends ApiError {
  static readonly code = 'UNKNOWN_PROFILE';
}
/** An upload from a URL whose `sourceUrl` is not an absolute URL (or carries credentials). */
export class InvalidSourceUrlError extends ApiError {
  static readonly code = 'INVALID_SOURCE_URL';
}
/** An upload from a URL the service's guard will not fetch (scheme, port, host, or a non-public address). */
export class SourceForbiddenError extends ApiError {
  static readonly code = 'SOURCE_FORBIDDEN';
}
export class InvalidExpiryError extends ApiError {
  static readonly code = 'INVALID_EXPIRY';
}
export class InvalidLimitError extends ApiError {
  static readonly code = 'INVALID_LIMIT';
}
export class InvalidCursorError extends ApiError {
  static readonly code = 'INVALID_CURSOR';
}
export class BadRequestError extends ApiError {
  static readonly code = 'BAD_REQUEST';
}
/** No API key, an unknown one, or a listing prefix outside the caller's namespace. */
export class ForbiddenError extends ApiError {
  static readonly code = 'FORBIDDEN';
}
export class NotFoundError extends ApiError {
  static readonly code = 'NOT_FOUND';
}
export class RouteNotFoundError extends ApiError {
  static readonly code = 'ROUTE_NOT_FOUND';
}
export class MethodNotAllowedError extends ApiError {
  static readonly code = 'METHOD_NOT_ALLOWED';
}
export class PayloadTooLargeError extends ApiError {
  static readonly code = 'PAYLOAD_TOO_LARGE';
}
export class UnsupportedMediaTypeError extends ApiError {
  static readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}
export class InvalidImageError extends ApiError {
  static readonly code = 'INVALID_IMAGE';
}
export class ImageTooManyPixelsError extends ApiError {
  static readonly code = 'IMAGE_TOO_MANY_PIXELS';
}
/** An MP4 clip whose metadata cannot be removed without touching its media (fragmented, a GPS track). */
export class ClipNotCleanableError extends ApiError {
  static readonly code = 'CLIP_NOT_CLEANABLE';
}
/** Over the client's rate; retried by the client, thrown once its attempts are spent. */
export class ThrottledError extends ApiError {
  static readonly code = 'THROTTLED';
}
/** The usage plan's quota for the period is used up (AWS); never retried. */
export class QuotaExceededError extends ApiError {
  static readonly code = 'QUOTA_EXCEEDED';
}
/** The client's presigned uploads for this window are used up; retried after `Retry-After`. */
export class PresignLimitExceededError extends ApiError {
  static readonly code = 'PRESIGN_LIMIT_EXCEEDED';
}
export class HeadersTooLargeError extends ApiError {
  static readonly code = 'HEADERS_TOO_LARGE';
}
export class RequestRejectedError extends ApiError {
  static readonly code = 'REQUEST_REJECTED';
}
export class InternalError extends ApiError {
  static readonly code = 'INTERNAL_ERROR';
}
export class StorageUnavailableError extends ApiError {
  static readonly code = 'STORAGE_UNAVAILABLE';
}
export class CdnInvalidationFailedError extends ApiError {
  static readonly code = 'CDN_INVALIDATION_FAILED';
}
/** The source of an upload from a URL could not be fetched; `sourceStatus` is what it answered, if it did. */
export class SourceUnavailableError extends ApiError {
  static readonly code = 'SOURCE_UNAVAILABLE';
}
export class ServerBusyError extends ApiError {
  static readonly code = 'SERVER_BUSY';
}

type ApiErrorClass = (new (init: ApiErrorInit) => ApiError) & { readonly code: ErrorCode };

/** One class per error code of the API (openapi/openapi.json `ErrorCode`). */
export const API_ERROR_CLASSES: readonly ApiErrorClass[] = [
  InvalidJsonError,
  InvalidRequestError,
  InvalidBase64Error,
  InvalidDataUriError,
  EmptyImageError,
  InvalidFilenameError,
  UnknownProfileError,
  InvalidSourceUrlError,
  SourceForbiddenError,
  InvalidExpiryError,
  InvalidLimitError,
  InvalidCursorError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  RouteNotFoundError,
  MethodNotAllowedError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  InvalidImageError,
  ImageTooManyPixelsError,
  ClipNotCleanableError,
  ThrottledError,
  QuotaExceededError,
  PresignLimitExceededError,
  HeadersTooLargeError,
  RequestRejectedError,
  InternalError,
  StorageUnavailableError,
  CdnInvalidationFailedError,
  SourceUnavailableError,
  ServerBusyError,
];

const CLASS_BY_CODE = new Map<string, ApiErrorClass>(API_ERROR_CLASSES.map((cls) => [cls.code, cls]));

/** The status `POST /uploads` answers a code with: what a refused presigned upload reports. */
const UPLOAD_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_IMAGE: 422,
  IMAGE_TOO_MANY_PIXELS: 422,
  CLIP_NOT_CLEANABLE: 422,
};

/** The typed error for an API error: its code's class, or a plain `ApiError` for a code not known yet. */
export function apiErrorFor(init: ApiErrorInit): ApiError {
  const cls = CLASS_BY_CODE.get(init.code);
  return cls ? new cls(init) : new ApiError(init);
}

/** The typed error for a presigned upload the check refused. */
export function refusedUploadError(code: string, message: string, uploadId: string): ApiError {
  return apiErrorFor({ code, message, uploadId, status: UPLOAD_STATUS_BY_CODE[code] ?? 400 });
}

/** An attempt took longer than the client's `timeoutMs` (after every retry). */
export class TimeoutError extends ImageProxyError {
  constructor(message: string, options?: ErrorOptions) {
    super('TIMEOUT', message, options);
  }
}

/** The API or storage could not be reached (refused, reset, DNS…), after every retry. */
export class NetworkError extends ImageProxyError {
  constructor(message: string, options?: ErrorOptions) {
    super('NETWORK', message, options);
  }
}

/** An answer that is not what the API documents (not JSON, an HTML error page of a proxy…). */
export class UnexpectedAnswerError extends ImageProxyError {
  readonly status: number;

  constructor(status: number, message: string) {
    super('UNEXPECTED_ANSWER', message);
    this.status = status;
  }
}

/** Storage refused a presigned PUT (expired URL, changed headers…); its S3 error code is in `s3Code`. */
export class StorageUploadError extends ImageProxyError {
  readonly status: number;
  readonly s3Code: string | undefined;

  constructor(status: number, s3Code: string | undefined, message: string) {
    super('STORAGE_UPLOAD_FAILED', message);
    this.status = status;
    this.s3Code = s3Code;
  }
}

/** A presigned upload was still pending when `waitForUpload` gave up. */
export class UploadPendingError extends ImageProxyError {
  readonly uploadId: string;

  constructor(uploadId: string, waitedMs: number) {
    super(
      'UPLOAD_PENDING',
      `upload ${uploadId} was still being checked after ${Math.round(waitedMs / 1000)} s; wait longer with waitForUpload("${uploadId}")`,
    );
    this.uploadId = uploadId;
  }
}

/** The client cannot tell what a body is (a presigned PUT has to sign its type). */
export class UnknownContentTypeError extends ImageProxyError {
  constructor(message: string) {
    super('UNKNOWN_CONTENT_TYPE', message);
  }
}
