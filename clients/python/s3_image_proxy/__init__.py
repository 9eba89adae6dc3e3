"""Python client of s3-image-proxy: private images in, URLs every vision model can fetch out.

Standard library only, Python 3.9+::

    from s3_image_proxy import Client, rendition_url, url_for

    client = Client("http://127.0.0.1:3000", "local-…")
    answer = client.upload_file("photo.jpg")          # base64, or a presigned PUT when large
    print(answer["url"], answer["tokens"])

    client.upload_file("a.jpg", folder="users/alice@example.com", tags=["avatar"])  # the catalogue
    client.stats(folder="users/alice@example.com"); client.erase_folder("users/alice@example.com")

    url = url_for("photo.jpg", fallback_url=original_url)   # never raises; logs why it fell back

    thumb = rendition_url(answer["url"], w=256, h=256, fit="cover", format="webp")  # made at the CDN

:class:`AsyncClient` offers the same calls as coroutines.
"""

import logging

from .aio import AsyncClient
from .answers import (
    ImageStats,
    ObjectInfo,
    ObjectPage,
    ObjectSummary,
    OriginalSummary,
    PresignedGet,
    PresignedPut,
    UploadAnswer,
    UploadStatus,
)
from ._version import __version__
from .client import API_KEY_ENV, API_URL_ENV, Client
from . import errors
from .errors import *  # noqa: F403 - the error classes are part of the package's surface
from .helper import url_for, url_for_async
from .rendition import rendition_url
from .retry import RetryPolicy

# A library logs, the application decides where to: silent unless logging is configured.
logging.getLogger("s3_image_proxy").addHandler(logging.NullHandler())

__all__ = [
    "Client",
    "AsyncClient",
    "RetryPolicy",
    "url_for",
    "url_for_async",
    "rendition_url",
    "API_URL_ENV",
    "API_KEY_ENV",
    "UploadAnswer",
    "OriginalSummary",
    "PresignedPut",
    "PresignedGet",
    "UploadStatus",
    "ObjectSummary",
    "ObjectInfo",
    "ObjectPage",
    "ImageStats",
    "__version__",
]
__all__ += errors.__all__
