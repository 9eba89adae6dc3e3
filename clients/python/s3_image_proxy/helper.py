"""One call for bots: an image or its URL in, a URL a model can fetch out; the fallback, never an exception."""

from __future__ import annotations

import logging
import os
import threading
from typing import Callable, List, Mapping, Optional, Union, cast

from .answers import UploadAnswer
from .client import BytesLike, Client, PathLike
from .errors import S3ImageProxyError
from .steps import in_worker_thread

__all__ = ["url_for", "url_for_async", "DEFAULT_URL_FOR_TIMEOUT_SECONDS"]

#: How long :func:`url_for` may take by default, everything included.
DEFAULT_URL_FOR_TIMEOUT_SECONDS = 15.0

_log = logging.getLogger("s3_image_proxy")

ImageSource = Union[BytesLike, PathLike]
_IMAGE_SOURCE_TYPES = (bytes, bytearray, memoryview, str, os.PathLike)


def url_for(
    image: Optional[ImageSource] = None,
    fallback_url: Optional[str] = None,
    *,
    source_url: Optional[str] = None,
    source_headers: Optional[Mapping[str, str]] = None,
    fit: Optional[str] = None,
    timeout: float = DEFAULT_URL_FOR_TIMEOUT_SECONDS,
    client: Optional[Client] = None,
) -> Optional[str]:
    """The CDN URL of an image, or ``fallback_url`` when the service cannot give one, within ``timeout``.

    Uploads ``image`` (bytes, or the path of a file) — or has the service fetch ``source_url``
    (with ``source_headers`` such as ``Authorization``, as :meth:`Client.upload_from_url`) —
    and answers the model-ready URL. When that fails for any reason — the service is stopped,
    unreachable, throttled past the budget, not configured, refuses the image, or cannot fetch
    the source — it logs why (a warning on the ``s3_image_proxy`` logger, with the error code
    and request id) and answers ``fallback_url`` (``None`` if not given).

    ``timeout`` bounds the whole call, retries and the wait for a large upload's check
    included: the upload runs in a daemon thread and the answer is the fallback once
    ``timeout`` has passed, even if a socket is stuck (a DNS look-up, say) — that thread then
    ends on its own budget in the background.

    Args:
        image: the image's bytes, or a path to it; or ``None`` with ``source_url``.
        fallback_url: what to answer when no CDN URL can be had, e.g. the chat platform's own
            URL of the attachment.
        source_url: the image's http(s) URL, fetched by the service instead of uploading ``image``.
        source_headers: headers the source needs (only with ``source_url``).
        fit: the rendition profile; the deployment's default when ``None``.
        timeout: seconds the call may take, everything included.
        client: the client to use; by default one configured by ``S3IP_API_URL`` and ``S3IP_API_KEY``.

    Raises:
        TypeError: for arguments that can never work (neither or both of ``image`` and
            ``source_url``, an image that is neither bytes nor a path); nothing else.
    """
    upload = _upload_call(image, source_url, source_headers, fit)
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    outcome: List[Optional[str]] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_upload_or_none(upload, timeout, client)),
        name="s3-image-proxy-url-for",
        daemon=True,
    )
    worker.start()
    worker.join(timeout)
    if not outcome:
        _log.warning("s3-image-proxy gave no URL within %g s; using the fallback URL", timeout)
        return fallback_url
    return outcome[0] if outcome[0] is not None else fallback_url


#: :func:`url_for` for ``asyncio`` code: the same answer and budget, without blocking the loop.
url_for_async = in_worker_thread(url_for)


_Upload = Callable[[Client, float], UploadAnswer]


def _upload_call(
    image: Optional[ImageSource],
    source_url: Optional[str],
    source_headers: Optional[Mapping[str, str]],
    fit: Optional[str],
) -> _Upload:
    """What :func:`url_for` will ask the client to do, checked before any thread starts."""
    if (image is None) == (source_url is None):
        raise TypeError("pass an image (bytes or a path) or source_url=, exactly one")
    if source_url is not None:
        if not isinstance(cast(object, source_url), str):
            raise TypeError(f"source_url must be a URL string, got {type(source_url).__name__}")
        url = source_url
        return lambda service, budget: service.upload_from_url(
            url, source_headers=source_headers, fit=fit, timeout=budget
        )
    if source_headers is not None:
        raise TypeError("source_headers go with source_url")
    # Checked at run time for callers without a type checker: bytes(12345) is 12345 zero bytes.
    if not isinstance(cast(object, image), _IMAGE_SOURCE_TYPES):
        raise TypeError(f"image must be bytes or a path, got {type(image).__name__}")
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = image
        return lambda service, budget: service.upload(data, fit=fit, timeout=budget)
    path = cast(PathLike, image)
    return lambda service, budget: service.upload_file(path, fit=fit, timeout=budget)


def _upload_or_none(upload: _Upload, timeout: float, client: Optional[Client]) -> Optional[str]:
    """The upload's URL, or ``None`` after logging why there is none."""
    try:
        service = client or Client.from_env()
    except ValueError as err:
        _log.warning("s3-image-proxy is not configured (%s); using the fallback URL", err)
        return None
    try:
        # A little less than the caller's budget, so the client's own error, which says why,
        # normally comes first; the caller's wait is the safety net.
        return upload(service, timeout * 0.9)["url"]
    except S3ImageProxyError as err:
        level = logging.WARNING if err.retryable or err.status is None else logging.ERROR
        _log.log(level, "s3-image-proxy gave no URL (%s); using the fallback URL", err)
    except OSError as err:
        _log.warning("cannot read the image (%s); using the fallback URL", err)
    except Exception:  # noqa: BLE001 - a bot's helper answers the fallback rather than crash the bot
        _log.exception("s3-image-proxy client failed unexpectedly; using the fallback URL")
    return None
