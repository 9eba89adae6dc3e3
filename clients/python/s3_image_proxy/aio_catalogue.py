"""The catalogue's calls of :class:`~s3_image_proxy.AsyncClient`: the same plans, run in ``asyncio``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import catalogue
from .steps import awaitable

if TYPE_CHECKING:
    from .client import Client

__all__ = ["AsyncCatalogueCalls"]


class AsyncCatalogueCalls:
    """:class:`~s3_image_proxy.catalogue.CatalogueCalls` as coroutines (mixed into ``AsyncClient``)."""

    sync: "Client"

    update_image = awaitable(catalogue.update_image)
    stats = awaitable(catalogue.stats)
    erase_folder = awaitable(catalogue.erase_folder)
