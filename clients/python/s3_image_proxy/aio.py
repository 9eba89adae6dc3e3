"""The ``asyncio`` client: the synchronous client's calls, each run in a worker thread.

Why threads and not an async HTTP stack: the standard library has no async HTTP client
(``asyncio`` streams would mean writing HTTP/1.1, chunked bodies and TLS handling by hand),
and this package depends on nothing. ``asyncio.to_thread`` (Python 3.9+) runs each call in the
event loop's default thread pool, so the loop is never blocked, and every behaviour — retries,
``Retry-After``, time budgets, typed errors, presigned uploads — is the synchronous one,
tested once. What follows from it:

- Concurrency is bounded by the loop's default executor (``min(32, os.cpu_count() + 4)``
  threads); set a larger one with ``loop.set_default_executor`` to run more calls at once.
- Cancelling a task (or ``asyncio.wait_for`` running out) returns control at once, but the
  thread finishes its request in the background: give calls a ``timeout`` to bound that too.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Dict, List, Mapping, Optional, Sequence

from .answers import (
    ObjectInfo,
    ObjectPage,
    ObjectSummary,
    PresignedGet,
    PresignedPut,
    UploadAnswer,
    UploadStatus,
)
from .client import BytesLike, Client, PathLike

__all__ = ["AsyncClient"]


class AsyncClient:
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

    async def upload(
        self,
        image: BytesLike,
        *,
        image_type: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        filename: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """:meth:`Client.upload`."""
        return await asyncio.to_thread(
            self.sync.upload,
            image,
            image_type=image_type,
            fit=fit,
            inline=inline,
            filename=filename,
            timeout=timeout,
        )

    async def upload_file(
        self,
        path: PathLike,
        *,
        image_type: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        filename: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """:meth:`Client.upload_file`."""
        return await asyncio.to_thread(
            self.sync.upload_file,
            path,
            image_type=image_type,
            fit=fit,
            inline=inline,
            filename=filename,
            timeout=timeout,
        )

    async def upload_from_url(
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
        """:meth:`Client.upload_from_url`."""
        return await asyncio.to_thread(
            self.sync.upload_from_url,
            source_url,
            source_headers=source_headers,
            image_type=image_type,
            fit=fit,
            inline=inline,
            filename=filename,
            timeout=timeout,
        )

    async def rendition(
        self,
        key: Optional[str] = None,
        *,
        url: Optional[str] = None,
        fit: Optional[str] = None,
        inline: bool = False,
        timeout: Optional[float] = None,
    ) -> UploadAnswer:
        """:meth:`Client.rendition`."""
        return await asyncio.to_thread(
            self.sync.rendition, key, url=url, fit=fit, inline=inline, timeout=timeout
        )

    async def upload_status(self, upload_id: str, *, timeout: Optional[float] = None) -> UploadStatus:
        """:meth:`Client.upload_status`."""
        return await asyncio.to_thread(self.sync.upload_status, upload_id, timeout=timeout)

    async def wait_for_upload(self, upload_id: str, *, timeout: Optional[float] = None) -> UploadAnswer:
        """:meth:`Client.wait_for_upload`."""
        return await asyncio.to_thread(self.sync.wait_for_upload, upload_id, timeout=timeout)

    async def presign_put(
        self,
        content_type: str,
        content_length: int,
        *,
        fit: Optional[str] = None,
        filename: Optional[str] = None,
        expires_in: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> PresignedPut:
        """:meth:`Client.presign_put`."""
        return await asyncio.to_thread(
            self.sync.presign_put,
            content_type,
            content_length,
            fit=fit,
            filename=filename,
            expires_in=expires_in,
            timeout=timeout,
        )

    async def presign_get(
        self, key: str, *, expires_in: Optional[int] = None, timeout: Optional[float] = None
    ) -> PresignedGet:
        """:meth:`Client.presign_get`."""
        return await asyncio.to_thread(self.sync.presign_get, key, expires_in=expires_in, timeout=timeout)

    async def presign_batch(
        self, items: Sequence[Mapping[str, Any]], *, timeout: Optional[float] = None
    ) -> List[Dict[str, Any]]:
        """:meth:`Client.presign_batch`."""
        return await asyncio.to_thread(self.sync.presign_batch, items, timeout=timeout)

    async def list_page(
        self,
        *,
        prefix: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> ObjectPage:
        """:meth:`Client.list_page`."""
        return await asyncio.to_thread(
            self.sync.list_page, prefix=prefix, limit=limit, cursor=cursor, timeout=timeout
        )

    async def list_objects(
        self,
        *,
        prefix: Optional[str] = None,
        page_size: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> AsyncIterator[ObjectSummary]:
        """:meth:`Client.list_objects` as an async generator: ``async for item in client.list_objects()``."""
        cursor: Optional[str] = None
        while True:
            page = await self.list_page(prefix=prefix, limit=page_size, cursor=cursor, timeout=timeout)
            for item in page["items"]:
                yield item
            cursor = page.get("cursor")
            if not cursor:
                return

    async def info(self, key: str, *, timeout: Optional[float] = None) -> ObjectInfo:
        """:meth:`Client.info`."""
        return await asyncio.to_thread(self.sync.info, key, timeout=timeout)

    async def delete(self, key: str, *, timeout: Optional[float] = None) -> None:
        """:meth:`Client.delete`."""
        await asyncio.to_thread(self.sync.delete, key, timeout=timeout)

    async def delete_url(self, url: str, *, timeout: Optional[float] = None) -> None:
        """:meth:`Client.delete_url`."""
        await asyncio.to_thread(self.sync.delete_url, url, timeout=timeout)

    async def health(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        """:meth:`Client.health`."""
        return await asyncio.to_thread(self.sync.health, timeout=timeout)
