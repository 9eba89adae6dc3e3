"""The catalogue's calls of :class:`~s3_image_proxy.AsyncClient`: the synchronous ones in a worker thread."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Dict, Mapping, Optional, Sequence

from .answers import ImageStats, ObjectInfo

if TYPE_CHECKING:
    from .client import Client

__all__ = ["AsyncCatalogueCalls"]


class AsyncCatalogueCalls:
    """:class:`~s3_image_proxy.catalogue.CatalogueCalls` as coroutines (mixed into ``AsyncClient``)."""

    sync: "Client"

    async def update_image(
        self,
        key: str,
        *,
        tags: Optional[Sequence[str]] = None,
        metadata: Optional[Mapping[str, str]] = None,
        filename: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> ObjectInfo:
        """:meth:`Client.update_image`."""
        return await asyncio.to_thread(
            self.sync.update_image, key, tags=tags, metadata=metadata, filename=filename, timeout=timeout
        )

    async def stats(self, *, folder: Optional[str] = None, timeout: Optional[float] = None) -> ImageStats:
        """:meth:`Client.stats`."""
        return await asyncio.to_thread(self.sync.stats, folder=folder, timeout=timeout)

    async def erase_folder(
        self, folder: str, *, poll_interval: float = 1.0, timeout: Optional[float] = None
    ) -> Dict[str, int]:
        """:meth:`Client.erase_folder` (its polling waits in the worker thread, not the loop)."""
        return await asyncio.to_thread(
            self.sync.erase_folder, folder, poll_interval=poll_interval, timeout=timeout
        )
