"""The plans of the calls on stored objects and presigned URLs, shared by both clients."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, cast

from .answers import ObjectInfo, ObjectPage, PresignedGet, PresignedPut
from .catalogue import Instant, labels_fields, list_query
from .session import Session, object_path, put_optional
from .steps import Steps

__all__ = ["presign_put", "presign_get", "presign_batch", "list_page", "info", "delete", "delete_url", "health"]


def presign_put(
    session: Session,
    content_type: str,
    content_length: int,
    *,
    fit: Optional[str] = None,
    filename: Optional[str] = None,
    expires_in: Optional[int] = None,
    folder: Optional[str] = None,
    tags: Optional[Sequence[str]] = None,
    timeout: Optional[float] = None,
) -> Steps[PresignedPut]:
    """A URL to PUT exactly ``content_length`` bytes of ``content_type`` to; send ``headers`` as given.

    The image is filed under ``folder`` with ``tags`` once checked (metadata cannot ride a
    presign: set it with :meth:`update_image` afterwards).
    """
    payload: Dict[str, Any] = {
        "method": "PUT",
        "contentType": content_type,
        "contentLength": content_length,
    }
    put_optional(payload, fit=fit, filename=filename, expiresIn=expires_in)
    payload.update(labels_fields(folder, tags, None))
    answer = yield from session._api("POST", "/presign", session._deadline(timeout), payload=payload)
    return cast(PresignedPut, answer)


def presign_get(
    session: Session, key: str, *, expires_in: Optional[int] = None, timeout: Optional[float] = None
) -> Steps[PresignedGet]:
    """A short-lived private read of one of your objects; ``expires_in`` in seconds."""
    payload: Dict[str, Any] = {"method": "GET", "key": key}
    put_optional(payload, expiresIn=expires_in)
    answer = yield from session._api("POST", "/presign", session._deadline(timeout), payload=payload)
    return cast(PresignedGet, answer)


def presign_batch(
    session: Session, items: Sequence[Mapping[str, Any]], *, timeout: Optional[float] = None
) -> Steps[List[Dict[str, Any]]]:
    """1 to 100 presign requests in one call, in the API's shape (``{"method": "GET", "key": …}``)."""
    payload = {"items": list(items)}
    answer = yield from session._api("POST", "/presign", session._deadline(timeout), payload=payload)
    return cast(List[Dict[str, Any]], answer["items"])


def list_page(
    session: Session,
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
    timeout: Optional[float] = None,
) -> Steps[ObjectPage]:
    """One page of your objects; pass its ``cursor`` back for the next one.

    Without filters, in key order. The catalogue's filters: ``folder`` (with ``recursive``,
    everything under it), ``tags`` (every one must match), ``type`` (``image/jpeg``…),
    ``source`` (``upload``, ``presign``, ``url``, ``rendition``), ``created_after`` /
    ``created_before`` (aware datetimes or ISO 8601), ``q`` (text in the filename); newest
    first within a folder.
    """
    query = list_query(
        prefix=prefix,
        limit=limit,
        cursor=cursor,
        folder=folder,
        recursive=recursive,
        tags=tags,
        type=type,
        source=source,
        created_after=created_after,
        created_before=created_before,
        q=q,
    )
    answer = yield from session._api("GET", "/objects", session._deadline(timeout), query=query)
    return cast(ObjectPage, answer)


def info(session: Session, key: str, *, timeout: Optional[float] = None) -> Steps[ObjectInfo]:
    """One object's size, type, sha256, dimensions, profile and URL; :class:`NotFoundError` if none."""
    return cast(ObjectInfo, (yield from session._api("GET", object_path(key), session._deadline(timeout))))


def delete(session: Session, key: str, *, timeout: Optional[float] = None) -> Steps[None]:
    """Deletes the whole image ``key`` belongs to (every profile, CDN rendition and kept
    original, and its record); succeeds whether or not it existed."""
    yield from session._api("DELETE", object_path(key), session._deadline(timeout))


def delete_url(session: Session, url: str, *, timeout: Optional[float] = None) -> Steps[None]:
    """Deletes the object a public URL serves; succeeds whether or not it existed."""
    yield from session._api("DELETE", "/objects", session._deadline(timeout), query={"url": url})


def health(session: Session, *, timeout: Optional[float] = None) -> Steps[Dict[str, Any]]:
    """``GET /health`` (no key needed): ``{"status": "ok"}`` when the API answers."""
    return cast(Dict[str, Any], (yield from session._api("GET", "/health", session._deadline(timeout))))
