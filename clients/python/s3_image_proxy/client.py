"""The synchronous client: every route of the API, with retries, time budgets and typed errors."""

from __future__ import annotations

import base64
import json
import logging
import os
import random as _random
import re
import time
import urllib.parse
from typing import (
    Any,
    BinaryIO,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    MutableMapping,
    Optional,
    Sequence,
    Union,
    cast,
)

from . import transport as _transport
from ._version import __version__
from .answers import (
    ObjectInfo,
    ObjectPage,
    ObjectSummary,
    PresignedGet,
    PresignedPut,
    UploadAnswer,
    UploadStatus,
)
from .errors import (
    DirectUploadError,
    PayloadTooLargeError,
    RequestTimeoutError,
    S3ImageProxyError,
    TransportError,
    UnexpectedResponseError,
    UploadPendingError,
    error_for,
)
from .media import OCTET_STREAM, content_type_of_image_type, sniff_content_type
from .retry import Deadline, RetryPolicy, parse_retry_after

__all__ = ["Client", "BytesLike", "PathLike", "API_URL_ENV", "API_KEY_ENV", "__version__"]

#: Environment variables :meth:`Client.from_env` (and so :func:`url_for`) reads.
API_URL_ENV = "S3IP_API_URL"
API_KEY_ENV = "S3IP_API_KEY"

#: The base64 route's default limit (``MAX_IMAGE_BYTES``): larger images go through a presigned PUT.
DEFAULT_DIRECT_UPLOAD_THRESHOLD_BYTES = 4_400_000

BytesLike = Union[bytes, bytearray, memoryview]
PathLike = Union[str, "os.PathLike[str]"]

_log = logging.getLogger("s3_image_proxy")
_SNIFF_BYTES = 256
_BYTES_TYPES = (bytes, bytearray, memoryview)
_S3_ERROR_CODE = re.compile(rb"<Code>([^<]{1,100})</Code>")
_S3_ERROR_MESSAGE = re.compile(rb"<Message>([^<]{1,300})</Message>")


class Client:
    """A client of one s3-image-proxy deployment (or local mode), for one API key.

    Safe to share between threads: it holds no connection or mutable state (each request
    opens its own connection through :mod:`urllib.request`).

    Every method takes ``timeout``: the most seconds the whole call may take — every
    attempt, every back-off and, for presigned uploads, the wait for the check — after
    which it raises (``RequestTimeoutError`` when no answer came at all). Without it a call is
    bounded by ``request_timeout`` per attempt and ``retry.max_attempts``, and a presigned
    upload's wait by ``upload_wait_seconds``.

    Args:
        api_url: the API's base URL: local mode's ``http://127.0.0.1:3000``, or the stack's
            ``ApiUrl`` output (``https://…execute-api….amazonaws.com/v1/``).
        api_key: the client's API key (sent as ``x-api-key``; never logged).
        request_timeout: seconds allowed to connect and for each read of one attempt.
        retry: when and how long to wait before retrying (see :class:`RetryPolicy`).
        direct_upload_threshold: images larger than this many bytes are uploaded through a
            presigned PUT instead of base64 JSON; the default is the service's default
            ``MAX_IMAGE_BYTES``. A deployment with a lower limit answers 413, and the client
            then switches to a presigned PUT by itself.
        poll_interval: seconds between two ``GET /uploads/{id}`` while a presigned upload is checked.
        upload_wait_seconds: the longest wait for that check.
        sleep, random, clock: injected for tests; ``time.sleep``, ``random.random`` and
            ``time.monotonic`` by default.
    """

    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        request_timeout: float = 30.0,
        retry: Optional[RetryPolicy] = None,
        direct_upload_threshold: int = DEFAULT_DIRECT_UPLOAD_THRESHOLD_BYTES,
        poll_interval: float = 0.5,
        upload_wait_seconds: float = 120.0,
        user_agent: Optional[str] = None,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urllib.parse.urlsplit(api_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"api_url must be an http(s) URL such as http://127.0.0.1:3000, got {api_url!r}")
        if not api_key:
            raise ValueError("api_key must be set: local mode prints it, AWS keeps it in API Gateway")
        for name, value in (
            ("request_timeout", request_timeout),
            ("poll_interval", poll_interval),
            ("upload_wait_seconds", upload_wait_seconds),
        ):
            if not value > 0:
                raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
        if direct_upload_threshold < 0:
            raise ValueError(
                f"direct_upload_threshold must be 0 or more bytes, got {direct_upload_threshold}"
            )
        self.api_url = api_url.strip().rstrip("/")
        self._api_key = api_key
        self.request_timeout = request_timeout
        self.retry = retry or RetryPolicy()
        self.direct_upload_threshold = direct_upload_threshold
        self.poll_interval = poll_interval
        self.upload_wait_seconds = upload_wait_seconds
        self._user_agent = user_agent or f"s3-image-proxy-python/{__version__}"
        self._sleep = sleep
        self._random = random
        self._clock = clock

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **options: Any) -> "Client":
        """A client configured by ``S3IP_API_URL`` and ``S3IP_API_KEY``; ``options`` as for ``__init__``."""
        env = os.environ if environ is None else environ
        missing = [name for name in (API_URL_ENV, API_KEY_ENV) if not env.get(name)]
        if missing:
            raise ValueError(f"set {' and '.join(missing)} to configure the s3-image-proxy client")
        return cls(env[API_URL_ENV], env[API_KEY_ENV], **options)

    def __repr__(self) -> str:
        return f"Client(api_url={self.api_url!r})"

    # --- uploads ------------------------------------------------------------------------

    def upload(
        self,
        image: BytesLike,
        *,
        image_type: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        filename: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """Uploads an image (or MP4 clip) held in memory and answers its model-ready URL.

        Up to ``direct_upload_threshold`` bytes it is sent as base64 JSON to ``POST /uploads``;
        larger, through ``POST /presign``, a PUT to storage, and ``GET /uploads/{id}`` until
        the check has published or refused it. Either way the answer is the same
        :class:`UploadAnswer`, and a refusal raises the same error class.

        Args:
            image: the file's bytes.
            image_type: ``png``, ``jpg``, … — optional; when given it must agree with the bytes.
            fit: the rendition profile (``universal``, ``anthropic``, ``anthropic-hires``,
                ``openai``, ``gemini``, ``original``); the deployment's default when ``None``.
            inline: also answer the rendition as base64 with inline prompt blocks.
            filename: kept as metadata only.
            timeout: seconds the whole call may take (see the class).
        """
        # Checked at run time for callers without a type checker: bytes(12345) is 12345 zero bytes.
        if not isinstance(cast(object, image), _BYTES_TYPES):
            raise TypeError(f"image must be bytes (use upload_file for a path), got {type(image).__name__}")
        data = bytes(image)
        deadline = self._deadline(timeout)
        if len(data) <= self.direct_upload_threshold:
            try:
                return self._upload_base64(data, image_type, fit, inline, filename, deadline)
            except PayloadTooLargeError as err:
                _log.info("%s; uploading %d bytes through a presigned PUT instead", err.message, len(data))
        content_type = self._content_type(data[:_SNIFF_BYTES], image_type)
        return self._upload_direct(data, len(data), content_type, fit, inline, filename, deadline)

    def upload_file(
        self,
        path: PathLike,
        *,
        image_type: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        filename: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """Uploads a file, as :meth:`upload` does; a large file is streamed, never held whole in memory.

        ``filename`` is not taken from ``path``: pass it to keep it as metadata.
        Raises ``OSError`` when the file cannot be read.
        """
        file_path = os.fspath(path)
        size = os.stat(file_path).st_size
        if size <= self.direct_upload_threshold:
            with open(file_path, "rb") as file:
                data = file.read()
            return self.upload(
                data, image_type=image_type, fit=fit, inline=inline, filename=filename, timeout=timeout
            )
        with open(file_path, "rb") as file:
            head = file.read(_SNIFF_BYTES)
        opener: Callable[[], BinaryIO] = lambda: open(file_path, "rb")  # noqa: E731 - reopened per attempt
        return self._upload_direct(
            opener,
            size,
            self._content_type(head, image_type),
            fit,
            inline,
            filename,
            self._deadline(timeout),
        )

    def upload_from_url(
        self,
        source_url: str,
        *,
        source_headers: Optional[Mapping[str, str]] = None,
        image_type: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        filename: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """Has the service fetch an image from a URL and store it like an upload (``POST /uploads``).

        For images the service can reach and a model cannot: chat media behind a login (a
        Matrix ``mxc://`` download URL with its access token), an internal signed link. The
        service fetches through its guard (public addresses only, every redirect checked again,
        at most ``SOURCE_MAX_BYTES``); the bytes decide the type, as for any upload.

        Args:
            source_url: the image's absolute http(s) URL.
            source_headers: headers the source needs, such as ``{"Authorization": "Bearer …"}``
                (names on the deployment's allow list; sent to the source's origin only).
            image_type, fit, inline, filename, timeout: as for :meth:`upload`.

        Raises:
            SourceForbiddenError: the guard will not fetch that URL (400).
            SourceUnavailableError: the source could not be fetched (502); ``source_status`` is
                what it answered, e.g. 401 when its token is missing or expired. Not retried
                when the source answered 4xx.
        """
        if not isinstance(cast(object, source_url), str) or not source_url:
            raise TypeError(f"source_url must be a URL string, got {source_url!r}")
        payload: Dict[str, Any] = {"sourceUrl": source_url}
        _put_optional(
            payload,
            sourceHeaders=dict(source_headers) if source_headers else None,
            imageType=image_type,
            fit=fit,
            filename=filename,
            inline=inline or None,
        )
        return cast(UploadAnswer, self._api("POST", "/uploads", self._deadline(timeout), payload=payload))

    def rendition(
        self,
        key: Optional[str] = None,
        *,
        url: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """Another profile of a stored image, without uploading it again (``POST /renditions``).

        Name the image by ``key`` or by its public ``url``. It is rendered from the upload kept
        behind it, so a ``universal`` rendition can still become a full-size ``original``.
        """
        if (key is None) == (url is None):
            raise ValueError("name the image by key or by url (exactly one)")
        payload: Dict[str, Any] = {"key": key} if key is not None else {"url": url}
        return self._rendition(payload, fit, inline, self._deadline(timeout))

    def upload_status(self, upload_id: str, *, timeout: Optional[float] = None) -> UploadStatus:
        """A presigned upload's state: ``pending``, ``published`` (with the upload answer) or ``refused``."""
        return cast(UploadStatus, self._api("GET", _status_path(upload_id), self._deadline(timeout)))

    def wait_for_upload(self, upload_id: str, *, timeout: Optional[float] = None) -> UploadAnswer:
        """Polls a presigned upload until it is published (answered) or refused (raised as its error).

        Raises :class:`UploadPendingError` when it is still pending after ``timeout``
        (default ``upload_wait_seconds``).
        """
        deadline = self._deadline(timeout if timeout is not None else self.upload_wait_seconds)
        return self._wait_for_upload(upload_id, _status_path(upload_id), deadline)

    # --- presigned URLs -----------------------------------------------------------------

    def presign_put(
        self,
        content_type: str,
        content_length: int,
        *,
        fit: Optional[str] = None,
        filename: Optional[str] = None,
        expires_in: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> PresignedPut:
        """A URL to PUT exactly ``content_length`` bytes of ``content_type`` to; send ``headers`` as given."""
        payload: Dict[str, Any] = {
            "method": "PUT",
            "contentType": content_type,
            "contentLength": content_length,
        }
        _put_optional(payload, fit=fit, filename=filename, expiresIn=expires_in)
        return cast(PresignedPut, self._api("POST", "/presign", self._deadline(timeout), payload=payload))

    def presign_get(
        self, key: str, *, expires_in: Optional[int] = None, timeout: Optional[float] = None
    ) -> PresignedGet:
        """A short-lived private read of one of your objects; ``expires_in`` in seconds."""
        payload: Dict[str, Any] = {"method": "GET", "key": key}
        _put_optional(payload, expiresIn=expires_in)
        return cast(PresignedGet, self._api("POST", "/presign", self._deadline(timeout), payload=payload))

    def presign_batch(
        self, items: Sequence[Mapping[str, Any]], *, timeout: Optional[float] = None
    ) -> List[Dict[str, Any]]:
        """1 to 100 presign requests in one call, in the API's shape (``{"method": "GET", "key": …}``)."""
        answer = self._api("POST", "/presign", self._deadline(timeout), payload={"items": list(items)})
        return cast(List[Dict[str, Any]], answer["items"])

    # --- objects ------------------------------------------------------------------------

    def list_page(
        self,
        *,
        prefix: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> ObjectPage:
        """One page of your objects in key order; pass its ``cursor`` back for the next one."""
        query: Dict[str, Any] = {}
        _put_optional(query, prefix=prefix, limit=limit, cursor=cursor)
        return cast(ObjectPage, self._api("GET", "/objects", self._deadline(timeout), query=query))

    def list_objects(
        self,
        *,
        prefix: Optional[str] = None,
        page_size: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Iterator[ObjectSummary]:
        """Every object under ``prefix`` (default: all of yours), fetching pages of ``page_size`` as needed.

        ``timeout`` applies to each page's request.
        """
        cursor: Optional[str] = None
        while True:
            page = self.list_page(prefix=prefix, limit=page_size, cursor=cursor, timeout=timeout)
            yield from page["items"]
            cursor = page.get("cursor")
            if not cursor:
                return

    def info(self, key: str, *, timeout: Optional[float] = None) -> ObjectInfo:
        """One object's size, type, sha256, dimensions, profile and URL; :class:`NotFoundError` if none."""
        return cast(ObjectInfo, self._api("GET", _object_path(key), self._deadline(timeout)))

    def delete(self, key: str, *, timeout: Optional[float] = None) -> None:
        """Deletes an object (and the upload kept behind it); succeeds whether or not it existed."""
        self._api("DELETE", _object_path(key), self._deadline(timeout))

    def delete_url(self, url: str, *, timeout: Optional[float] = None) -> None:
        """Deletes the object a public URL serves; succeeds whether or not it existed."""
        self._api("DELETE", "/objects", self._deadline(timeout), query={"url": url})

    def health(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        """``GET /health`` (no key needed): ``{"status": "ok"}`` when the API answers."""
        return cast(Dict[str, Any], self._api("GET", "/health", self._deadline(timeout)))

    # --- internals ----------------------------------------------------------------------

    def _deadline(self, timeout: Optional[float]) -> Deadline:
        return Deadline(timeout, self._clock)

    def _upload_base64(
        self,
        data: bytes,
        image_type: Optional[str],
        fit: Optional[str],
        inline: bool,
        filename: Optional[str],
        deadline: Deadline,
    ) -> UploadAnswer:
        payload: Dict[str, Any] = {"image": base64.b64encode(data).decode("ascii")}
        _put_optional(payload, imageType=image_type, fit=fit, filename=filename, inline=inline or None)
        return cast(UploadAnswer, self._api("POST", "/uploads", deadline, payload=payload))

    def _upload_direct(
        self,
        body: Union[bytes, Callable[[], BinaryIO]],
        size: int,
        content_type: str,
        fit: Optional[str],
        inline: bool,
        filename: Optional[str],
        deadline: Deadline,
    ) -> UploadAnswer:
        payload: Dict[str, Any] = {"method": "PUT", "contentType": content_type, "contentLength": size}
        _put_optional(payload, fit=fit, filename=filename)
        presigned = cast(PresignedPut, self._api("POST", "/presign", deadline, payload=payload))
        headers = dict(presigned["headers"])
        headers.setdefault("content-length", str(size))
        self._send("PUT", presigned["url"], headers, body, deadline, _storage_error)
        answer = self._wait_for_upload(
            presigned["uploadId"], presigned["statusPath"], deadline.capped(self.upload_wait_seconds)
        )
        # A presigned upload cannot answer inline; the same rendition, asked again, can.
        if inline and "profile" in answer:
            return self._rendition({"key": answer["key"]}, answer["profile"], True, deadline)
        return answer

    def _rendition(
        self, payload: Dict[str, Any], fit: Optional[str], inline: bool, deadline: Deadline
    ) -> UploadAnswer:
        _put_optional(payload, fit=fit, inline=inline or None)
        return cast(UploadAnswer, self._api("POST", "/renditions", deadline, payload=payload))

    def _wait_for_upload(self, upload_id: str, status_path: str, deadline: Deadline) -> UploadAnswer:
        while True:
            answer = self._api("GET", status_path, deadline)
            status = cast(Dict[str, Any], answer) if isinstance(answer, dict) else {}
            state = status.get("status")
            if state == "published":
                return cast(UploadAnswer, {k: v for k, v in status.items() if k != "status"})
            if state == "refused":
                # The same code and message POST /uploads gives for these bytes, so the same class.
                raise error_for(str(status.get("error")), str(status.get("message", "")))
            if state != "pending":
                raise UnexpectedResponseError(f"GET {status_path} answered an unknown status {state!r}")
            if self.poll_interval >= deadline.remaining():
                raise UploadPendingError(
                    f"upload {upload_id} is still being checked; poll GET {status_path} later",
                    upload_id=upload_id,
                )
            self._sleep(self.poll_interval)

    def _content_type(self, head: bytes, image_type: Optional[str]) -> str:
        declared = content_type_of_image_type(image_type) if image_type else None
        # Unknown bytes are still presigned: the service then answers 415 naming the accepted types.
        return declared or sniff_content_type(head) or OCTET_STREAM

    def _api(
        self,
        method: str,
        path: str,
        deadline: Deadline,
        *,
        query: Optional[Mapping[str, Any]] = None,
        payload: Optional[Mapping[str, Any]] = None,
    ) -> Any:
        url = self.api_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        headers = {"x-api-key": self._api_key, "accept": "application/json", "user-agent": self._user_agent}
        body = None
        if payload is not None:
            body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
            headers["content-type"] = "application/json"
        response = self._send(method, url, headers, body, deadline, _api_error)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError as err:
            raise UnexpectedResponseError(
                f"{method} {path} answered {response.status} with a body that is not JSON",
                status=response.status,
                request_id=_request_id_header(response.headers),
            ) from err

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: _transport.Body,
        deadline: Deadline,
        to_error: Callable[[_transport.HttpResponse], S3ImageProxyError],
    ) -> _transport.HttpResponse:
        """Sends a request, retrying with jittered back-off (never before ``Retry-After``) in the deadline."""
        retries = 0
        while True:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise RequestTimeoutError(
                    f"{method} {_path_of(url)}: no answer within the call's {deadline.seconds:g} s"
                )
            error: S3ImageProxyError
            try:
                response = _transport.send(method, url, headers, body, min(self.request_timeout, remaining))
            except TransportError as err:
                error = err
            else:
                if response.status < 400:
                    return response
                error = to_error(response)
            if not error.retryable or retries + 1 >= self.retry.max_attempts:
                raise error
            if error.retry_after is not None and error.retry_after > self.retry.max_delay_seconds:
                raise error
            delay = self.retry.delay_seconds(retries, error.retry_after, self._random)
            if delay >= deadline.remaining():
                raise error
            retries += 1
            _log.info(
                "%s %s: %s; retry %d of %d in %.2f s",
                method,
                _path_of(url),
                error.code,
                retries,
                self.retry.max_attempts - 1,
                delay,
            )
            self._sleep(delay)


def _put_optional(target: MutableMapping[str, Any], **values: Any) -> None:
    """Copies the values that are not ``None`` (the API treats a missing field as its default)."""
    target.update({name: value for name, value in values.items() if value is not None})


def _object_path(key: str) -> str:
    if not key:
        raise ValueError("key must not be empty")
    return "/objects/" + urllib.parse.quote(key, safe="/")


def _status_path(upload_id: str) -> str:
    if not upload_id:
        raise ValueError("upload_id must not be empty")
    return "/uploads/" + urllib.parse.quote(upload_id, safe="")


def _path_of(url: str) -> str:
    """A URL's path only, for logs: its query can carry a presigned signature."""
    return urllib.parse.urlsplit(url).path


def _request_id_header(headers: Mapping[str, str]) -> Optional[str]:
    return headers.get("x-amzn-requestid") or headers.get("x-amz-request-id")


def _api_error(response: _transport.HttpResponse) -> S3ImageProxyError:
    """The typed error of an API answer ``{"error", "message", "requestId"}``."""
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    request_id = _request_id_header(response.headers)
    try:
        parsed = json.loads(response.body)
    except ValueError:
        parsed = None
    payload = cast(Dict[str, Any], parsed) if isinstance(parsed, dict) else {}
    code = payload.get("error")
    if isinstance(code, str):
        return error_for(
            code,
            str(payload.get("message", "")),
            status=response.status,
            request_id=str(payload.get("requestId") or "") or request_id,
            retry_after=retry_after,
            source_status=_whole_number(payload.get("sourceStatus")),
        )
    return UnexpectedResponseError(
        f"HTTP {response.status} without the service's JSON error body",
        status=response.status,
        request_id=request_id,
        retry_after=retry_after,
    )


def _whole_number(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _storage_error(response: _transport.HttpResponse) -> S3ImageProxyError:
    """The error of a refused presigned PUT, from S3's XML ``<Code>`` and ``<Message>``."""
    code = _S3_ERROR_CODE.search(response.body)
    message = _S3_ERROR_MESSAGE.search(response.body)
    words = ": ".join(m.group(1).decode("utf-8", "replace") for m in (code, message) if m)
    return DirectUploadError(
        f"storage refused the presigned upload ({words or 'no reason given'})",
        status=response.status,
        request_id=_request_id_header(response.headers),
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )
