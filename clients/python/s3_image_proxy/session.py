"""A client's settings, and the plan of one API request: retries, time budget, typed errors."""

from __future__ import annotations

import json
import logging
import random as _random
import re
import time
import urllib.parse
from typing import Any, Callable, Dict, Mapping, MutableMapping, Optional, cast

from . import transport as _transport
from ._version import __version__
from .errors import (
    DirectUploadError,
    RequestTimeoutError,
    S3ImageProxyError,
    TransportError,
    UnexpectedResponseError,
    error_for,
)
from .retry import Deadline, RetryPolicy, parse_retry_after
from .steps import Exchange, Pause, Steps

__all__ = ["Session", "DEFAULT_DIRECT_UPLOAD_THRESHOLD_BYTES"]

#: The base64 route's default limit (``MAX_IMAGE_BYTES``): larger images go through a presigned PUT.
DEFAULT_DIRECT_UPLOAD_THRESHOLD_BYTES = 4_400_000

_log = logging.getLogger("s3_image_proxy")
_S3_ERROR_CODE = re.compile(rb"<Code>([^<]{1,100})</Code>")
_S3_ERROR_MESSAGE = re.compile(rb"<Message>([^<]{1,300})</Message>")


class Session:
    """The settings every call reads (see :class:`~s3_image_proxy.Client` for each argument)."""

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

    def _deadline(self, timeout: Optional[float]) -> Deadline:
        return Deadline(timeout, self._clock)

    def _api(
        self,
        method: str,
        path: str,
        deadline: Deadline,
        *,
        query: Optional[Mapping[str, Any]] = None,
        payload: Optional[Mapping[str, Any]] = None,
    ) -> Steps[Any]:
        """One API request's plan: JSON in, JSON (or ``None`` for an empty body) out."""
        url = self.api_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        headers = {"x-api-key": self._api_key, "accept": "application/json", "user-agent": self._user_agent}
        body = None
        if payload is not None:
            body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
            headers["content-type"] = "application/json"
        response = yield from self._send(method, url, headers, body, deadline, _api_error)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError as err:
            raise UnexpectedResponseError(
                f"{method} {path} answered {response.status} with a body that is not JSON",
                status=response.status,
                request_id=request_id_header(response.headers),
            ) from err

    def _send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: _transport.Body,
        deadline: Deadline,
        to_error: Callable[[_transport.HttpResponse], S3ImageProxyError],
    ) -> Steps[_transport.HttpResponse]:
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
                response = yield Exchange(method, url, headers, body, min(self.request_timeout, remaining))
            except TransportError as err:
                error = err
            else:
                if response.status < 400:
                    return cast(_transport.HttpResponse, response)
                error = to_error(response)
            delay = self._retry_delay(error, retries, deadline)
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
            yield Pause(delay)

    def _retry_delay(self, error: S3ImageProxyError, retries: int, deadline: Deadline) -> float:
        """How long to wait before retrying after ``error``; raises it when there is no retry."""
        if not error.retryable or retries + 1 >= self.retry.max_attempts:
            raise error
        if error.retry_after is not None and error.retry_after > self.retry.max_delay_seconds:
            raise error
        delay = self.retry.delay_seconds(retries, error.retry_after, self._random)
        if delay >= deadline.remaining():
            raise error
        return delay


def put_optional(target: MutableMapping[str, Any], **values: Any) -> None:
    """Copies the values that are not ``None`` (the API treats a missing field as its default)."""
    target.update({name: value for name, value in values.items() if value is not None})


def object_path(key: str) -> str:
    if not key:
        raise ValueError("key must not be empty")
    return "/objects/" + urllib.parse.quote(key, safe="/")


def status_path(upload_id: str) -> str:
    if not upload_id:
        raise ValueError("upload_id must not be empty")
    return "/uploads/" + urllib.parse.quote(upload_id, safe="")


def _path_of(url: str) -> str:
    """A URL's path only, for logs: its query can carry a presigned signature."""
    return urllib.parse.urlsplit(url).path


def request_id_header(headers: Mapping[str, str]) -> Optional[str]:
    return headers.get("x-amzn-requestid") or headers.get("x-amz-request-id")


def _api_error(response: _transport.HttpResponse) -> S3ImageProxyError:
    """The typed error of an API answer ``{"error", "message", "requestId"}``."""
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    request_id = request_id_header(response.headers)
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


def storage_error(response: _transport.HttpResponse) -> S3ImageProxyError:
    """The error of a refused presigned PUT, from S3's XML ``<Code>`` and ``<Message>``."""
    code = _S3_ERROR_CODE.search(response.body)
    message = _S3_ERROR_MESSAGE.search(response.body)
    words = ": ".join(m.group(1).decode("utf-8", "replace") for m in (code, message) if m)
    return DirectUploadError(
        f"storage refused the presigned upload ({words or 'no reason given'})",
        status=response.status,
        request_id=request_id_header(response.headers),
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )
