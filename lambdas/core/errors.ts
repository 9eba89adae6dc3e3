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

  /** More fields of the error body, sent only when `expose` (e.g. `sourceStatus`). */
  get details(): Readonly<Record<string, string | number>> | undefined {
    return undefined;
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

/**
 * 400: an upload from a URL names a source this deployment will not fetch: a scheme, port or
 * host outside its rules, or a host whose address is not public (loopback, private, link-local,
 * metadata, …) or is on its deny list. The message never says what the host resolved to;
 * `reason` (for logs only) says which rule refused it.
 */
export class SourceForbiddenError extends AppError {
  override readonly name = 'SourceForbiddenError';
  readonly statusCode = 400;
  readonly code = 'SOURCE_FORBIDDEN';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * 502: the source of an upload from a URL could not be fetched: unresolvable, unreachable,
 * too slow, a broken TLS handshake, too many redirects, or an answer other than 2xx (then
 * `sourceStatus` carries its status). Unlike other 5xx, its message reaches the client: it is
 * about the client's source, worded here, and never carries addresses or the source's words.
 */
export class SourceUnavailableError extends AppError {
  override readonly name = 'SourceUnavailableError';
  readonly statusCode = 502;
  readonly code = 'SOURCE_UNAVAILABLE';
  constructor(
    message: string,
    /** The status the source answered, when it answered. */
    readonly sourceStatus?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  override get expose(): boolean {
    return true;
  }

  override get details() {
    return this.sourceStatus === undefined ? undefined : { sourceStatus: this.sourceStatus };
  }
}

/**
 * 422: the bytes claim an accepted type but are damaged or hostile (truncated, bomb), or an MP4
 * clip whose metadata cannot be removed without touching its media (`CLIP_NOT_CLEANABLE`).
 */
export class InvalidImageError extends AppError {
  override readonly name = 'InvalidImageError';
  readonly statusCode = 422;
  constructor(
    readonly code: 'INVALID_IMAGE' | 'IMAGE_TOO_MANY_PIXELS' | 'CLIP_NOT_CLEANABLE',
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

/** 429: the client has been given as many presigned uploads as its window allows. */
export class PresignLimitError extends AppError {
  override readonly name = 'PresignLimitError';
  readonly statusCode = 429;
  readonly code = 'PRESIGN_LIMIT_EXCEEDED';
  constructor(
    limit: number,
    windowSeconds: number,
    override readonly retryAfterSeconds: number,
  ) {
    super(
      `this client may be given at most ${limit.toLocaleString('en-US')} presigned uploads per ${windowSeconds} s; retry after Retry-After seconds, or upload small images through POST /uploads`,
    );
  }
}
