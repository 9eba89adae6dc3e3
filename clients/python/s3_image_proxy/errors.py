"""Typed errors: one class per machine code the service answers, plus the client's own.

Every error the service returns is JSON ``{"error": CODE, "message": ..., "requestId": ...}``;
:func:`error_for` turns it into the class registered for ``CODE``, so callers can write
``except ForbiddenError:`` instead of comparing strings. An unknown code (a newer service)
becomes the base class, which still carries the code, message, status and request id.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "S3ImageProxyError",
    "InvalidJsonError",
    "InvalidRequestError",
    "InvalidBase64Error",
    "InvalidDataUriError",
    "EmptyImageError",
    "InvalidFilenameError",
    "UnknownProfileError",
    "InvalidSourceUrlError",
    "SourceForbiddenError",
    "InvalidExpiryError",
    "InvalidLimitError",
    "InvalidCursorError",
    "BadRequestError",
    "ForbiddenError",
    "RouteNotFoundError",
    "NotFoundError",
    "MethodNotAllowedError",
    "PayloadTooLargeError",
    "UnsupportedMediaTypeError",
    "InvalidImageError",
    "ImageTooManyPixelsError",
    "ClipNotCleanableError",
    "ThrottledError",
    "QuotaExceededError",
    "PresignLimitExceededError",
    "RequestRejectedError",
    "HeadersTooLargeError",
    "InternalError",
    "StorageUnavailableError",
    "ServerBusyError",
    "CdnInvalidationFailedError",
    "SourceUnavailableError",
    "TransportError",
    "ConnectionFailedError",
    "RequestTimeoutError",
    "UnexpectedResponseError",
    "DirectUploadError",
    "UploadPendingError",
    "error_for",
    "error_class_for",
]

#: Statuses after which the same request may succeed: throttled, storage or server busy.
RETRYABLE_STATUSES = frozenset({429, 502, 503})


class S3ImageProxyError(Exception):
    """Base of every error this client raises.

    Attributes:
        code: the service's machine code (``"FORBIDDEN"``), or the client's own for failures
            that never reached the service (``"CONNECTION_FAILED"``, ``"TIMEOUT"``).
        message: the sentence for people, as the service wrote it.
        status: the HTTP status, or ``None`` when there was no answer.
        request_id: the service's request id (quote it when reporting a problem), or ``None``.
        retry_after: seconds the service asked to wait before retrying (``Retry-After``), or ``None``.
    """

    #: The code of this class; instances may carry another one (unknown codes use the base class).
    code: str = "UNKNOWN_ERROR"
    #: The status the service answers this code with, when it always uses one.
    default_status: Optional[int] = None

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        status: Optional[int] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or type(self).code
        self.status = status if status is not None else type(self).default_status
        self.request_id = request_id
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Whether sending the same request again later may succeed."""
        return self.status in RETRYABLE_STATUSES

    def __str__(self) -> str:
        details = [f"status {self.status}"] if self.status is not None else []
        if self.request_id:
            details.append(f"request {self.request_id}")
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{self.code}: {self.message}{suffix}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"status={self.status!r}, request_id={self.request_id!r})"
        )


# --- 400: malformed requests -------------------------------------------------------------


class InvalidJsonError(S3ImageProxyError):
    """400: the body is not JSON."""

    code = "INVALID_JSON"
    default_status = 400


class InvalidRequestError(S3ImageProxyError):
    """400: a field is missing or of the wrong type."""

    code = "INVALID_REQUEST"
    default_status = 400


class InvalidBase64Error(S3ImageProxyError):
    """400: ``image`` is not valid base64."""

    code = "INVALID_BASE64"
    default_status = 400


class InvalidDataUriError(S3ImageProxyError):
    """400: ``image`` is a malformed ``data:`` URI."""

    code = "INVALID_DATA_URI"
    default_status = 400


class EmptyImageError(S3ImageProxyError):
    """400: the image has no bytes."""

    code = "EMPTY_IMAGE"
    default_status = 400


class InvalidFilenameError(S3ImageProxyError):
    """400: ``filename`` climbs (``..``), has control or bidi characters, or is too long."""

    code = "INVALID_FILENAME"
    default_status = 400


class UnknownProfileError(S3ImageProxyError):
    """400: ``fit`` is not a profile; the message names the profiles."""

    code = "UNKNOWN_PROFILE"
    default_status = 400


class InvalidSourceUrlError(S3ImageProxyError):
    """400: ``source_url`` of an upload from a URL is not an absolute http(s) URL, or carries credentials."""

    code = "INVALID_SOURCE_URL"
    default_status = 400


class SourceForbiddenError(S3ImageProxyError):
    """400: the service's guard will not fetch ``source_url`` (scheme, port, host, or a non-public address)."""

    code = "SOURCE_FORBIDDEN"
    default_status = 400


class InvalidExpiryError(S3ImageProxyError):
    """400: a presign's ``expiresIn`` is not a whole number of seconds in the allowed range."""

    code = "INVALID_EXPIRY"
    default_status = 400


class InvalidLimitError(S3ImageProxyError):
    """400: a listing's ``limit`` is not a whole number from 1 to 1000."""

    code = "INVALID_LIMIT"
    default_status = 400


class InvalidCursorError(S3ImageProxyError):
    """400: a listing's ``cursor`` is not one the service gave (or belongs to another listing)."""

    code = "INVALID_CURSOR"
    default_status = 400


class BadRequestError(S3ImageProxyError):
    """400: local mode refused the request line (a path with ``..``, ``//``, NUL …)."""

    code = "BAD_REQUEST"
    default_status = 400


# --- 403-431: refused --------------------------------------------------------------------


class ForbiddenError(S3ImageProxyError):
    """403: no API key, an unknown one, or a listing prefix outside the caller's namespace."""

    code = "FORBIDDEN"
    default_status = 403


class RouteNotFoundError(S3ImageProxyError):
    """404: no such route (check the API URL, e.g. a missing stage such as ``/v1``)."""

    code = "ROUTE_NOT_FOUND"
    default_status = 404


class NotFoundError(S3ImageProxyError):
    """404: no such object in the caller's namespace."""

    code = "NOT_FOUND"
    default_status = 404


class MethodNotAllowedError(S3ImageProxyError):
    """405: the route exists, not with this method."""

    code = "METHOD_NOT_ALLOWED"
    default_status = 405


class PayloadTooLargeError(S3ImageProxyError):
    """413: over the base64 route's limit (the client then switches to a presigned upload)."""

    code = "PAYLOAD_TOO_LARGE"
    default_status = 413


class UnsupportedMediaTypeError(S3ImageProxyError):
    """415: not an accepted image type, or not the type that was declared."""

    code = "UNSUPPORTED_MEDIA_TYPE"
    default_status = 415


class InvalidImageError(S3ImageProxyError):
    """422: the decoder cannot read the image (damaged, truncated)."""

    code = "INVALID_IMAGE"
    default_status = 422


class ImageTooManyPixelsError(S3ImageProxyError):
    """422: the image is over the pixel limit."""

    code = "IMAGE_TOO_MANY_PIXELS"
    default_status = 422


class ClipNotCleanableError(S3ImageProxyError):
    """422: an MP4 clip whose metadata cannot be removed without touching its media."""

    code = "CLIP_NOT_CLEANABLE"
    default_status = 422


class ThrottledError(S3ImageProxyError):
    """429: over the API key's rate; retried automatically after ``Retry-After``."""

    code = "THROTTLED"
    default_status = 429


class QuotaExceededError(S3ImageProxyError):
    """429 (on AWS): the usage plan's quota for the period is used up; never retried."""

    code = "QUOTA_EXCEEDED"
    default_status = 429

    @property
    def retryable(self) -> bool:
        # The quota resets at the end of its day, week or month, not after a back-off.
        return False


class PresignLimitExceededError(S3ImageProxyError):
    """429: the client's presigned uploads for this window are used up; retry after Retry-After."""

    code = "PRESIGN_LIMIT_EXCEEDED"
    default_status = 429


class RequestRejectedError(S3ImageProxyError):
    """4xx (on AWS): API Gateway refused the request for a reason it does not name."""

    code = "REQUEST_REJECTED"


class HeadersTooLargeError(S3ImageProxyError):
    """431 (local mode): the request headers are too large."""

    code = "HEADERS_TOO_LARGE"
    default_status = 431


# --- 5xx: the service ----------------------------------------------------------------------


class InternalError(S3ImageProxyError):
    """500: a bug in the service; the message carries no internals."""

    code = "INTERNAL_ERROR"
    default_status = 500


class StorageUnavailableError(S3ImageProxyError):
    """502/503: storage failed or is slow; retried automatically after ``Retry-After``."""

    code = "STORAGE_UNAVAILABLE"
    default_status = 503


class ServerBusyError(S3ImageProxyError):
    """503 (local mode): too many request bytes in memory at once; retried automatically."""

    code = "SERVER_BUSY"
    default_status = 503


class CdnInvalidationFailedError(S3ImageProxyError):
    """502: the object was deleted but the CDN cache was not invalidated; retried automatically."""

    code = "CDN_INVALIDATION_FAILED"
    default_status = 502


class SourceUnavailableError(S3ImageProxyError):
    """502: the source of an upload from a URL could not be fetched; the service itself answered.

    ``source_status`` is what the source answered (401 for a missing or expired token, 404 …),
    or ``None`` when it did not answer (unreachable, too slow). Retried only when the source
    may answer otherwise later: no answer, 429 or 5xx; a 4xx answers the same again.
    """

    code = "SOURCE_UNAVAILABLE"
    default_status = 502

    def __init__(self, message: str, *, source_status: Optional[int] = None, **details: Any) -> None:
        super().__init__(message, **details)
        self.source_status = source_status

    @property
    def retryable(self) -> bool:
        if self.source_status is None:
            return True
        return self.source_status == 429 or self.source_status >= 500


# --- the client's own: no usable answer from the service ---------------------------------


class TransportError(S3ImageProxyError):
    """No HTTP answer: the connection failed or timed out. Retried automatically."""

    code = "TRANSPORT_ERROR"

    @property
    def retryable(self) -> bool:
        return True


class ConnectionFailedError(TransportError):
    """The service could not be reached (refused, reset, name not resolved)."""

    code = "CONNECTION_FAILED"


class RequestTimeoutError(TransportError):
    """No answer within the time allowed (per attempt, or for the whole call)."""

    code = "TIMEOUT"


class UnexpectedResponseError(S3ImageProxyError):
    """An answer that is not the service's JSON (a proxy's HTML page, a truncated body)."""

    code = "UNEXPECTED_RESPONSE"


class DirectUploadError(S3ImageProxyError):
    """The storage refused a presigned PUT (expired URL, changed headers); ``message`` holds S3's code."""

    code = "DIRECT_UPLOAD_FAILED"

    @property
    def retryable(self) -> bool:
        # S3 asks for retries of its 500 InternalError as well as 503 SlowDown.
        return self.status in RETRYABLE_STATUSES or self.status == 500


class UploadPendingError(S3ImageProxyError):
    """A presigned upload was still being checked when the wait ended; poll ``upload_id`` later."""

    code = "UPLOAD_PENDING"

    def __init__(self, message: str, *, upload_id: str) -> None:
        super().__init__(message)
        self.upload_id = upload_id


_SERVICE_ERRORS: Dict[str, Type[S3ImageProxyError]] = {
    cls.code: cls
    for cls in (
        InvalidJsonError,
        InvalidRequestError,
        InvalidBase64Error,
        InvalidDataUriError,
        EmptyImageError,
        InvalidFilenameError,
        UnknownProfileError,
        BadRequestError,
        ForbiddenError,
        RouteNotFoundError,
        NotFoundError,
        MethodNotAllowedError,
        PayloadTooLargeError,
        UnsupportedMediaTypeError,
        InvalidImageError,
        ImageTooManyPixelsError,
        ClipNotCleanableError,
        ThrottledError,
        QuotaExceededError,
        PresignLimitExceededError,
        RequestRejectedError,
        HeadersTooLargeError,
        InternalError,
        StorageUnavailableError,
        ServerBusyError,
        CdnInvalidationFailedError,
        InvalidSourceUrlError,
        SourceForbiddenError,
        SourceUnavailableError,
        InvalidExpiryError,
        InvalidLimitError,
        InvalidCursorError,
    )
}


def error_class_for(code: str) -> Type[S3ImageProxyError]:
    """The class registered for a service error code; the base class for an unknown one."""
    return _SERVICE_ERRORS.get(code, S3ImageProxyError)


def error_for(
    code: str,
    message: str,
    *,
    status: Optional[int] = None,
    request_id: Optional[str] = None,
    retry_after: Optional[float] = None,
    source_status: Optional[int] = None,
) -> S3ImageProxyError:
    """Builds the typed error of a service answer ``{"error": code, "message": message}``.

    ``source_status`` is the answer's ``sourceStatus`` (``SOURCE_UNAVAILABLE`` only).
    """
    cls = error_class_for(code)
    details: Dict[str, Any] = {
        "code": code,
        "status": status,
        "request_id": request_id,
        "retry_after": retry_after,
    }
    if issubclass(cls, SourceUnavailableError):
        details["source_status"] = source_status
    return cls(message, **details)
