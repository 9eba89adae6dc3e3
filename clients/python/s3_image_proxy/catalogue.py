"""The catalogue's calls (issue 19): labels on uploads, filtered listings, PATCH, stats, erasing a folder.

The request builders are plain functions (tested without a server); the calls are plans
(:mod:`~s3_image_proxy.steps`) that :class:`CatalogueCalls` runs for the blocking client and
``AsyncCatalogueCalls`` for the asyncio one.
"""

from __future__ import annotations

import datetime as _dt
import urllib.parse
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union, cast

from .answers import ImageStats, ObjectInfo
from .errors import ErasurePendingError, UnexpectedResponseError
from .steps import Pause, Steps, blocking

if TYPE_CHECKING:
    from .session import Session

__all__ = ["CatalogueCalls", "labels_fields", "labels_query", "list_query", "patch_body"]

#: An instant: an aware ``datetime`` or ISO 8601 text.
Instant = Union[_dt.datetime, str]


def labels_fields(
    folder: Optional[str], tags: Optional[Sequence[str]], metadata: Optional[Mapping[str, str]]
) -> Dict[str, Any]:
    """The labels as JSON body fields, only those given."""
    fields: Dict[str, Any] = {}
    if folder is not None:
        fields["folder"] = folder
    if tags is not None:
        fields["tags"] = _tag_list(tags)
    if metadata is not None:
        fields["metadata"] = dict(metadata)
    return fields


def labels_query(folder: Optional[str], tags: Optional[Sequence[str]]) -> Dict[str, Any]:
    """``?folder=`` and a ``?tag=`` per tag, for a raw-byte upload (metadata cannot ride a query)."""
    query: Dict[str, Any] = {}
    if folder is not None:
        query["folder"] = folder
    if tags is not None:
        query["tag"] = _tag_list(tags)
    return query


def list_query(
    *,
    prefix: Optional[str] = None,
    limit: Optional[int] = None,
    cursor: Optional[str] = None,
    folder: Optional[str] = None,
    recursive: bool = False,
    tags: Optional[Sequence[str]] = None,
    type: Optional[str] = None,  # noqa: A002 - the API's name
    source: Optional[str] = None,
    created_after: Optional[Instant] = None,
    created_before: Optional[Instant] = None,
    q: Optional[str] = None,
) -> Dict[str, Any]:
    """The query of one page of ``GET /objects``: the filters given, in the API's names."""
    values: Dict[str, Any] = {
        "prefix": prefix,
        "folder": folder,
        "recursive": "true" if recursive else None,
        "tag": _tag_list(tags) if tags is not None else None,
        "type": type,
        "source": source,
        "createdAfter": _iso(created_after),
        "createdBefore": _iso(created_before),
        "q": q,
        "limit": limit,
        "cursor": cursor,
    }
    return {name: value for name, value in values.items() if value is not None}


def patch_body(
    tags: Optional[Sequence[str]], metadata: Optional[Mapping[str, str]], filename: Optional[str]
) -> Dict[str, Any]:
    """The body of ``PATCH /objects/{key}``; an empty patch is a mistake, refused here."""
    body = labels_fields(None, tags, metadata)
    if filename is not None:
        body["filename"] = filename
    if not body:
        raise ValueError("update_image needs at least one of tags, metadata or filename")
    return body


def _tag_list(tags: Sequence[str]) -> List[str]:
    # A lone string would otherwise become one tag per character.
    if isinstance(tags, str):
        raise TypeError(f"tags must be a list of strings, got the string {tags!r}")
    return list(tags)


def _iso(instant: Optional[Instant]) -> Optional[str]:
    if instant is None or isinstance(instant, str):
        return instant
    if instant.tzinfo is None:
        raise ValueError(
            "created_after/created_before must be aware datetimes (with a tzinfo) or ISO 8601 text"
        )
    return instant.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


def update_image(
    session: Session,
    key: str,
    *,
    tags: Optional[Sequence[str]] = None,
    metadata: Optional[Mapping[str, str]] = None,
    filename: Optional[str] = None,
    timeout: Optional[float] = None,
) -> Steps[ObjectInfo]:
    """Sets an image's ``tags``, ``metadata`` or ``filename`` (``PATCH /objects/{key}``); each one
    given replaces its value, the others stay. Answers the image's record."""
    body = patch_body(tags, metadata, filename)
    path = "/objects/" + urllib.parse.quote(_non_empty(key, "key"), safe="/")
    return cast(ObjectInfo, (yield from session._api("PATCH", path, session._deadline(timeout), payload=body)))


def stats(session: Session, *, folder: Optional[str] = None, timeout: Optional[float] = None) -> Steps[ImageStats]:
    """Counts and bytes of your images (``GET /stats``), all of them or those under ``folder``."""
    query = {"folder": folder} if folder is not None else None
    return cast(ImageStats, (yield from session._api("GET", "/stats", session._deadline(timeout), query=query)))


def erase_folder(
    session: Session, folder: str, *, poll_interval: float = 1.0, timeout: Optional[float] = None
) -> Steps[Dict[str, int]]:
    """Erases every image under ``folder``, recursively (``DELETE /objects?folder=``), and answers
    ``{"deleted": n}``.

    A large folder is erased in the background (``202``): this polls its status path until
    done, and raises :class:`ErasurePendingError` (with ``status_path``) when ``timeout``
    (default 600 s) runs out first; the erasure goes on by itself.
    """
    deadline = session._deadline(timeout if timeout is not None else 600.0)
    query = {"folder": _non_empty(folder, "folder")}
    answer = cast(Dict[str, Any], (yield from session._api("DELETE", "/objects", deadline, query=query)) or {})
    if "status" not in answer:
        return {"deleted": int(answer.get("deleted", 0))}
    path = _status_path_of(str(answer["status"]), session.api_url)
    while True:
        status = cast(Dict[str, Any], (yield from session._api("GET", path, deadline)) or {})
        if status.get("state") == "done":
            return {"deleted": int(status.get("deleted", 0))}
        if status.get("state") != "running":
            raise UnexpectedResponseError(f"GET {path} answered an unknown state {status.get('state')!r}")
        if poll_interval >= deadline.remaining():
            deleted = int(status.get("deleted", 0))
            raise ErasurePendingError(
                f"the erasure at {path} is still running ({deleted} images erased so far); "
                "it goes on in the background",
                status_path=path,
                deleted_so_far=deleted,
            )
        yield Pause(poll_interval)


class CatalogueCalls:
    """The catalogue's operations of :class:`~s3_image_proxy.Client` (mixed into it)."""

    update_image = blocking(update_image)
    stats = blocking(stats)
    erase_folder = blocking(erase_folder)


def _non_empty(value: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def _status_path_of(status: str, api_url: str) -> str:
    """The path of a background erasure's status (``/erasures/{id}``), answered as a path or a URL."""
    if status.startswith(api_url):
        return status[len(api_url) :]
    if "://" in status:
        return urllib.parse.urlsplit(status).path
    return status if status.startswith("/") else "/" + status
