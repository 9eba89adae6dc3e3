"""The ``asyncio`` client: the synchronous client's calls, the same plans run without blocking the loop.

Each call is written once as a plan of requests and waits (:mod:`~s3_image_proxy.steps`):
the blocking :class:`Client` runs it on the caller's thread, this one in the event loop. Why
each HTTP exchange still goes to a worker thread: the standard library has no async HTTP
client (``asyncio`` streams would mean writing HTTP/1.1, chunked bodies and TLS handling by
hand), and this package depends on nothing. Back-off and polling waits are ``asyncio.sleep``,
so they hold no thread, and every behaviour — retries, ``Retry-After``, time budgets, typed
errors, presigned uploads — is the synchronous one. What follows from it:

- Concurrency is bounded by the loop's default executor (``min(32, os.cpu_count() + 4)``
  threads) for requests in flight; set a larger one with ``loop.set_default_executor``.
- Cancelling a task (or ``asyncio.wait_for`` running out) stops the call at once; a request
  already in flight finishes in its thread in the background (its ``request_timeout`` bounds it).
- The ``sleep`` a :class:`Client` was given is its own: the async client waits with
  ``asyncio.sleep``. Reading a file to upload and encoding it happen in the loop (up to
  ``direct_upload_threshold`` bytes; a larger file is streamed from the worker thread).
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Mapping, Optional

from . import objects, uploads
from .aio_catalogue import AsyncCatalogueCalls
from .answers import ObjectSummary
from .client import Client
from .steps import awaitable

__all__ = ["AsyncClient"]


class AsyncClient(AsyncCatalogueCalls):
    """The :class:`Client`'s operations as coroutines; the same arguments, answers and errors.

    Build it like a :class:`Client` (``AsyncClient(api_url, api_key, **options)``), or wrap one
    with :meth:`wrap`.
    """

    def __init__(self, api_url: str, api_key: str, **options: Any) -> None:
        self.sync = Client(api_url, api_key, **options)

    @classmethod
    def wrap(cls, client: Client) -> "AsyncClient":
        """An async view of an existing client (they share its settings)."""
        instance = cls.__new__(cls)
        instance.sync = client
        return instance

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **options: Any) -> "AsyncClient":
        """Configured by ``S3IP_API_URL`` and ``S3IP_API_KEY``, as :meth:`Client.from_env`."""
        return cls.wrap(Client.from_env(environ, **options))

    def __repr__(self) -> str:
        return f"AsyncClient(api_url={self.sync.api_url!r})"

    upload = awaitable(uploads.upload)
    upload_file = awaitable(uploads.upload_file)
    upload_from_url = awaitable(uploads.upload_from_url)
    rendition = awaitable(uploads.rendition)
    upload_status = awaitable(uploads.upload_status)
    wait_for_upload = awaitable(uploads.wait_for_upload)

    presign_put = awaitable(objects.presign_put)
    presign_get = awaitable(objects.presign_get)
    presign_batch = awaitable(objects.presign_batch)

    list_page = awaitable(objects.list_page)
    info = awaitable(objects.info)
    delete = awaitable(objects.delete)
    delete_url = awaitable(objects.delete_url)
    health = awaitable(objects.health)

    async def list_objects(
        self,
        *,
        prefix: Optional[str] = None,
        page_size: Optional[int] = None,
        cursor: Optional[str] = None,
        timeout: Optional[float] = None,
        **filters: Any,
    ) -> AsyncIterator[ObjectSummary]:
        """:meth:`Client.list_objects` as an async generator: ``async for item in client.list_objects()``."""
        while True:
            page = await self.list_page(prefix=prefix, limit=page_size, cursor=cursor, timeout=timeout, **filters)
            for item in page["items"]:
                yield item
            cursor = page.get("cursor")
            if not cursor:
                return
