"""The shapes of the service's JSON answers, as ``TypedDict`` s: plain dicts, typed for checkers.

Fields the service adds later pass through untouched. Names are the service's own (camelCase),
so an answer reads the same here, in the README and in the HTTP reference.
"""

from __future__ import annotations

from typing import Any, Dict, List, TypedDict

__all__ = [
    "OriginalSummary",
    "UploadAnswer",
    "PresignedPut",
    "PresignedGet",
    "UploadStatus",
    "ObjectSummary",
    "ObjectInfo",
    "ObjectPage",
    "ImageStats",
]


class _OriginalRequired(TypedDict):
    contentType: str
    size: int


class OriginalSummary(_OriginalRequired, total=False):
    """What was uploaded: type, size and (for images) upright pixel size."""

    width: int
    height: int
    frames: int


class _UploadAnswerRequired(TypedDict):
    url: str
    key: str
    contentType: str
    size: int
    sha256: str
    method: str
    providers: Dict[str, bool]
    prompt: Dict[str, Any]
    original: OriginalSummary


class UploadAnswer(_UploadAnswerRequired, total=False):
    """The answer of an upload or rendition: ``url`` is what a model fetches.

    ``width``/``height``/``tokens`` are absent for MP4 clips; ``base64`` and ``promptInline``
    come with ``inline=True`` (or ``inlineError`` when the rendition is too large to inline).
    ``providers[p]`` is true when provider ``p`` takes ``url`` as it is; ``providerNotes[p]``
    says why for each one that does not. ``tokens`` holds numbers per provider and, in
    ``openaiModels`` and ``gemini3``, numbers per model family.
    """

    width: int
    height: int
    profile: str
    providerNotes: Dict[str, str]
    tokens: Dict[str, Any]
    base64: str
    promptInline: Dict[str, Any]
    inlineError: Dict[str, str]


class _PresignedPutRequired(TypedDict):
    method: str
    url: str
    headers: Dict[str, str]
    uploadId: str
    statusPath: str
    expiresAt: str


class PresignedPut(_PresignedPutRequired, total=False):
    """A presigned PUT: send ``headers`` unchanged with the bytes, then poll ``statusPath``."""

    fit: str


class PresignedGet(TypedDict):
    """A presigned GET: a short-lived private read of ``key``."""

    method: str
    url: str
    headers: Dict[str, str]
    key: str
    publicUrl: str
    expiresAt: str


class _UploadStatusRequired(TypedDict):
    status: str


class UploadStatus(_UploadStatusRequired, total=False):
    """``pending``; ``published`` with the fields of :class:`UploadAnswer`; or ``refused``.

    A refused upload carries ``error`` and ``message``, as ``POST /uploads`` would have answered.
    """

    error: str
    message: str
    url: str
    key: str


class _ObjectSummaryRequired(TypedDict):
    key: str
    size: int
    url: str


class ObjectSummary(_ObjectSummaryRequired, total=False):
    """One item of a listing; an image recorded in the catalogue says what it is, where it is
    filed and what it is made of (``profiles``: ``{profile: {key, url, width, height, size,
    contentType}}``); ``createdAt``/``updatedAt`` are ISO 8601; ``source`` is ``upload``,
    ``presign``, ``url`` or ``rendition``."""

    contentType: str
    sha256: str
    lastModified: str
    width: int
    height: int
    profile: str
    filename: str
    folder: str
    tags: List[str]
    metadata: Dict[str, str]
    source: str
    createdAt: str
    updatedAt: str
    originalSize: int
    profiles: Dict[str, Dict[str, Any]]


class ObjectInfo(ObjectSummary, total=False):
    """One object's details (``GET /objects/{key}``, and the answer of ``PATCH``)."""

    etag: str
    original: OriginalSummary


class _ObjectPageRequired(TypedDict):
    items: List[ObjectSummary]


class ObjectPage(_ObjectPageRequired, total=False):
    """One page of a listing; ``cursor`` is absent on the last page."""

    cursor: str


class ImageStats(TypedDict, total=False):
    """``GET /stats``: ``images``; ``bytes`` ``{"served", "originals"}``; counts ``byContentType``
    and ``bySource``; ``newestCreatedAt`` (ISO 8601)."""

    folder: str
    images: int
    bytes: Dict[str, int]
    byContentType: Dict[str, int]
    bySource: Dict[str, int]
    newestCreatedAt: str
