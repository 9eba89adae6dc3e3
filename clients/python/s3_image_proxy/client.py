"""The synchronous client: every route of the API, with retries, time budgets and typed errors."""

from __future__ import annotations

import os
from typing import Any, Iterator, Mapping, Optional

from . import objects, uploads
from ._version import __version__
from .answers import ObjectSummary
from .catalogue import CatalogueCalls
from .session import DEFAULT_DIRECT_UPLOAD_THRESHOLD_BYTES, Session  # noqa: F401 - importable here as before
from .steps import blocking
from .uploads import BytesLike, PathLike

__all__ = ["Client", "BytesLike", "PathLike", "API_URL_ENV", "API_KEY_ENV", "__version__"]

#: Environment variables :meth:`Client.from_env` (and so :func:`url_for`) reads.
API_URL_ENV = "S3IP_API_URL"
API_KEY_ENV = "S3IP_API_KEY"

class Client(Session, CatalogueCalls):
    """A client of one s3-image-proxy deployment (or local mode), for one API key.

    Safe to share between threads: it holds no connection or mutable state (each request
    opens its own connection through :mod:`urllib.request`). Each call is a plan of requests
    and waits written once (:mod:`~s3_image_proxy.steps`), run here on the caller's thread.

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

    upload = blocking(uploads.upload)
    upload_file = blocking(uploads.upload_file)
    upload_from_url = blocking(uploads.upload_from_url)
    rendition = blocking(uploads.rendition)
    upload_status = blocking(uploads.upload_status)
    wait_for_upload = blocking(uploads.wait_for_upload)

    presign_put = blocking(objects.presign_put)
    presign_get = blocking(objects.presign_get)
    presign_batch = blocking(objects.presign_batch)

    list_page = blocking(objects.list_page)
    info = blocking(objects.info)
    delete = blocking(objects.delete)
    delete_url = blocking(objects.delete_url)
    health = blocking(objects.health)

    def list_objects(
        self,
        *,
        prefix: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        timeout: Optional[float] = None,
        **filters: Any,
    ) -> Iterator[ObjectSummary]:
        """Every object under ``prefix`` (default: all of yours), fetching pages of ``page_size`` as needed.

        ``filters`` are :meth:`list_page`'s (``folder``, ``recursive``, ``tags``, ``type``,
        ``source``, ``created_after``, ``created_before``, ``q``); ``cursor`` starts at a page an
        earlier listing answered. ``timeout`` applies to each page's request.
        """
        while True:
            page = self.list_page(prefix=prefix, limit=page_size, cursor=cursor, timeout=timeout, **filters)
            yield from page["items"]
            cursor = page.get("cursor")
            if not cursor:
                return
