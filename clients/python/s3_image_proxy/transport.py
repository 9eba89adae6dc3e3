"""One HTTP exchange over the standard library, with failures turned into typed errors."""

from __future__ import annotations

import email.message
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO, BinaryIO, Callable, Mapping, Optional, Union

from .errors import ConnectionFailedError, RequestTimeoutError, TransportError

__all__ = ["Body", "HttpResponse", "send"]

#: A request body: bytes, or a function opening a fresh stream (so a retry can send it again).
Body = Union[bytes, Callable[[], BinaryIO], None]

_opener = urllib.request.build_opener()


@dataclass(frozen=True)
class HttpResponse:
    """A complete answer: status, headers (lower-case names) and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def send(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: Body,
    timeout_seconds: float,
) -> HttpResponse:
    """Sends one request and reads the whole answer, whatever its status.

    ``timeout_seconds`` bounds connecting and each read (the socket timeout). Raises
    :class:`ConnectionFailedError` or :class:`RequestTimeoutError` when there is no answer.
    """
    stream: Optional[BinaryIO] = None
    data: Union[bytes, BinaryIO, None]
    if callable(body):
        data = stream = body()
    else:
        data = body
    try:
        request = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
        try:
            with _opener.open(request, timeout=timeout_seconds) as answer:
                return _read(answer.status, answer.headers, answer)
        except urllib.error.HTTPError as refused:  # a 4xx/5xx answer: read like any other
            with refused:
                return _read(refused.code, refused.headers, refused)
    except TransportError:
        raise
    except (socket.timeout, TimeoutError) as err:
        raise RequestTimeoutError(f"no answer from {_origin(url)} within {timeout_seconds:g} s") from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, (socket.timeout, TimeoutError)):
            raise RequestTimeoutError(
                f"no answer from {_origin(url)} within {timeout_seconds:g} s"
            ) from err
        raise ConnectionFailedError(f"cannot reach {_origin(url)}: {err.reason}") from err
    except (OSError, http.client.HTTPException) as err:
        raise ConnectionFailedError(f"connection to {_origin(url)} failed: {err!r}") from err
    finally:
        if stream is not None:
            stream.close()


def _read(status: int, headers: "email.message.Message", answer: IO[bytes]) -> HttpResponse:
    try:
        body = answer.read()
    except http.client.IncompleteRead as err:
        raise ConnectionFailedError(
            f"the answer ended after {len(err.partial)} bytes of its body"
        ) from err
    return HttpResponse(status, {name.lower(): value for name, value in headers.items()}, body)


def _origin(url: str) -> str:
    """Scheme, host and port only: paths can carry object keys and presigned URLs their signature."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
