/**
 * Typed errors of the service. Each carries its HTTP status and a stable machine code;
 * `expose` says whether its message may reach the client (4xx: yes; 5xx: never).
 */
export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  /** Seconds a client should wait before retrying, sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;

  get expose(): boolean {
    return this.statusCode < 500;
  }
}

/** 400: the request is malformed (bad JSON, bad base64, wrong field types). */
export class BadRequestError extends AppError {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 403: no API key, an unknown one, or a key outside the caller's namespace. */
export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  readonly statusCode = 403;
  readonly code = 'FORBIDDEN';
}

/** 404: no such object (or one the caller may not see). */
export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
  readonly code = 'NOT_FOUND';
}

/** 405: the route exists but not with this method. */
export class MethodNotAllowedError extends AppError {
  override readonly name = 'MethodNotAllowedError';
  readonly statusCode = 405;
  readonly code = 'METHOD_NOT_ALLOWED';
}

/** 413: the body or image is over the limit; the message points to `POST /presign`. */
export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError';
  readonly statusCode = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** 415: not an accepted image type, or the bytes disagree with the declared type. */
export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly statusCode = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** 422: the bytes claim an accepted type but are damaged or hostile (truncated, bomb). */
export class InvalidImageError extends AppError {
  override readonly name = 'InvalidImageError';
  readonly statusCode = 422;
  constructor(
    readonly code: 'INVALID_IMAGE' | 'IMAGE_TOO_MANY_PIXELS',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** 429: the caller is over its rate. */
export class ThrottledError extends AppError {
  override readonly name = 'ThrottledError';
  readonly statusCode = 429;
  readonly code = 'THROTTLED';
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** 502/503: storage failed or is unavailable; safe to retry after `retryAfterSeconds`. */
export class StorageUnavailableError extends AppError {
  override readonly name = 'StorageUnavailableError';
  readonly code = 'STORAGE_UNAVAILABLE';
  constructor(
    readonly statusCode: 502 | 503,
    override readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('storage is unavailable, retry later', options);
  }
}

/** 502: the object is gone from storage but the CDN's copy could not be invalidated; retrying is safe. */
export class CdnInvalidationError extends AppError {
  override readonly name = 'CdnInvalidationError';
  readonly statusCode = 502;
  readonly code = 'CDN_INVALIDATION_FAILED';
  override readonly retryAfterSeconds = 1;
  constructor(options?: ErrorOptions) {
    super('the object was deleted but the CDN cache could not be invalidated; retry the delete', options);
  }
}
