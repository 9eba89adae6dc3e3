"""The upload calls' plans (base64, presigned PUT, from a URL, renditions), shared by both clients."""

from __future__ import annotations

import base64
import logging
import os
from typing import Any, BinaryIO, Callable, Dict, Mapping, Optional, Sequence, Union, cast

from .answers import PresignedPut, UploadAnswer, UploadStatus
from .catalogue import labels_fields
from .errors import PayloadTooLargeError, UnexpectedResponseError, UploadPendingError, error_for
from .media import OCTET_STREAM, content_type_of_image_type, sniff_content_type
from .retry import Deadline
from .session import Session, object_path, put_optional, status_path, storage_error
from .steps import Pause, Steps

__all__ = ["BytesLike", "PathLike", "upload", "upload_file", "upload_from_url", "rendition"]

BytesLike = Union[bytes, bytearray, memoryview]
PathLike = Union[str, "os.PathLike[str]"]

_log = logging.getLogger("s3_image_proxy")
_SNIFF_BYTES = 256
_BYTES_TYPES = (bytes, bytearray, memoryview)


def upload(
    session: Session,
    image: BytesLike,
    *,
    image_type: Optional[str] = None,
    fit: Optional[str] = None,
    inline: bool = False,
    filename: Optional[str] = None,
    folder: Optional[str] = None,
    tags: Optional[Sequence[str]] = None,
    metadata: Optional[Mapping[str, str]] = None,
    timeout: Optional[float] = None,
) -> Steps[UploadAnswer]:
    """Uploads an image (or MP4 clip) held in memory and answers its model-ready URL.

    Up to ``direct_upload_threshold`` bytes it is sent as base64 JSON to ``POST /uploads``;
    larger, through ``POST /presign``, a PUT to storage, and ``GET /uploads/{id}`` until
    the check has published or refused it. Either way the answer is the same
    :class:`UploadAnswer`, and a refusal raises the same error class.

    Args:
        image: the file's bytes.
        image_type: ``png``, ``jpg``, … — optional; when given it must agree with the bytes.
        fit: the rendition profile (``universal``, ``anthropic``, ``anthropic-hires``,
            ``openai``, ``gemini``, ``original``); the deployment's default when ``None``.
        inline: also answer the rendition as base64 with inline prompt blocks.
        filename: kept as metadata only.
        folder: where to file the image in your namespace (``users/alice@example.com``);
            the root when ``None``. The same bytes in two folders are two images.
        tags: up to 20 tags (``INVALID_TAGS`` otherwise).
        metadata: up to 20 string pairs, 2 KB in all (``INVALID_METADATA`` otherwise). A
            presigned upload cannot carry it: it is set with :meth:`update_image` once the
            check has published the image.
        timeout: seconds the whole call may take (see the class).
    """
    # Checked at run time for callers without a type checker: bytes(12345) is 12345 zero bytes.
    if not isinstance(cast(object, image), _BYTES_TYPES):
        raise TypeError(f"image must be bytes (use upload_file for a path), got {type(image).__name__}")
    data = bytes(image)
    deadline = session._deadline(timeout)
    labels = labels_fields(folder, tags, metadata)
    if len(data) <= session.direct_upload_threshold:
        payload: Dict[str, Any] = {"image": base64.b64encode(data).decode("ascii")}
        put_optional(payload, imageType=image_type, fit=fit, filename=filename, inline=inline or None)
        payload.update(labels)
        try:
            return cast(UploadAnswer, (yield from session._api("POST", "/uploads", deadline, payload=payload)))
        except PayloadTooLargeError as err:
            _log.info("%s; uploading %d bytes through a presigned PUT instead", err.message, len(data))
    content_type = _content_type(data[:_SNIFF_BYTES], image_type)
    direct = _upload_direct(session, data, len(data), content_type, fit, inline, filename, labels, deadline)
    return (yield from direct)


def upload_file(
    session: Session,
    path: PathLike,
    *,
    image_type: Optional[str] = None,
    fit: Optional[str] = None,
    inline: bool = False,
    filename: Optional[str] = None,
    folder: Optional[str] = None,
    tags: Optional[Sequence[str]] = None,
    metadata: Optional[Mapping[str, str]] = None,
    timeout: Optional[float] = None,
) -> Steps[UploadAnswer]:
    """Uploads a file, as :meth:`upload` does; a large file is streamed, never held whole in memory.

    ``filename`` is not taken from ``path``: pass it to keep it as metadata.
    Raises ``OSError`` when the file cannot be read.
    """
    file_path = os.fspath(path)
    size = os.stat(file_path).st_size
    if size <= session.direct_upload_threshold:
        with open(file_path, "rb") as file:
            data = file.read()
        options: Dict[str, Any] = dict(image_type=image_type, fit=fit, inline=inline, filename=filename)
        return (yield from upload(session, data, folder=folder, tags=tags, metadata=metadata, timeout=timeout, **options))
    with open(file_path, "rb") as file:
        head = file.read(_SNIFF_BYTES)
    opener: Callable[[], BinaryIO] = lambda: open(file_path, "rb")  # noqa: E731 - reopened per attempt
    direct = _upload_direct(
        session,
        opener,
        size,
        _content_type(head, image_type),
        fit,
        inline,
        filename,
        labels_fields(folder, tags, metadata),
        session._deadline(timeout),
    )
    return (yield from direct)


def upload_from_url(
    session: Session,
    source_url: str,
    *,
    source_headers: Optional[Mapping[str, str]] = None,
    image_type: Optional[str] = None,
    fit: Optional[str] = None,
    inline: bool = False,
    filename: Optional[str] = None,
    folder: Optional[str] = None,
    tags: Optional[Sequence[str]] = None,
    metadata: Optional[Mapping[str, str]] = None,
    timeout: Optional[float] = None,
) -> Steps[UploadAnswer]:
    """Has the service fetch an image from a URL and store it like an upload (``POST /uploads``).

    For images the service can reach and a model cannot: chat media behind a login (a
    Matrix ``mxc://`` download URL with its access token), an internal signed link. The
    service fetches through its guard (public addresses only, every redirect checked again,
    at most ``SOURCE_MAX_BYTES``); the bytes decide the type, as for any upload.

    Args:
        source_url: the image's absolute http(s) URL.
        source_headers: headers the source needs, such as ``{"Authorization": "Bearer …"}``
            (names on the deployment's allow list; sent to the source's origin only).
        image_type, fit, inline, filename, folder, tags, metadata, timeout: as for
            :meth:`upload`.

    Raises:
        SourceForbiddenError: the guard will not fetch that URL (400).
        SourceUnavailableError: the source could not be fetched (502); ``source_status`` is
            what it answered, e.g. 401 when its token is missing or expired. Not retried
            when the source answered 4xx.
    """
    if not isinstance(cast(object, source_url), str) or not source_url:
        raise TypeError(f"source_url must be a URL string, got {source_url!r}")
    payload: Dict[str, Any] = {"sourceUrl": source_url}
    put_optional(
        payload,
        sourceHeaders=dict(source_headers) if source_headers else None,
        imageType=image_type,
        fit=fit,
        filename=filename,
        inline=inline or None,
    )
    payload.update(labels_fields(folder, tags, metadata))
    answer = yield from session._api("POST", "/uploads", session._deadline(timeout), payload=payload)
    return cast(UploadAnswer, answer)


def rendition(
    session: Session,
    key: Optional[str] = None,
    *,
    url: Optional[str] = None,
    fit: Optional[str] = None,
    inline: bool = False,
    timeout: Optional[float] = None,
) -> Steps[UploadAnswer]:
    """Another profile of a stored image, without uploading it again (``POST /renditions``).

    Name the image by ``key`` or by its public ``url``. It is rendered from the upload kept
    behind it, so a ``universal`` rendition can still become a full-size ``original``.
    """
    if (key is None) == (url is None):
        raise ValueError("name the image by key or by url (exactly one)")
    payload: Dict[str, Any] = {"key": key} if key is not None else {"url": url}
    return (yield from _rendition(session, payload, fit, inline, session._deadline(timeout)))


def upload_status(session: Session, upload_id: str, *, timeout: Optional[float] = None) -> Steps[UploadStatus]:
    """A presigned upload's state: ``pending``, ``published`` (with the upload answer) or ``refused``."""
    answer = yield from session._api("GET", status_path(upload_id), session._deadline(timeout))
    return cast(UploadStatus, answer)


def wait_for_upload(session: Session, upload_id: str, *, timeout: Optional[float] = None) -> Steps[UploadAnswer]:
    """Polls a presigned upload until it is published (answered) or refused (raised as its error).

    Raises :class:`UploadPendingError` when it is still pending after ``timeout``
    (default ``upload_wait_seconds``).
    """
    deadline = session._deadline(timeout if timeout is not None else session.upload_wait_seconds)
    return (yield from _wait_for_upload(session, upload_id, status_path(upload_id), deadline))


def _upload_direct(
    session: Session,
    body: Union[bytes, Callable[[], BinaryIO]],
    size: int,
    content_type: str,
    fit: Optional[str],
    inline: bool,
    filename: Optional[str],
    labels: Mapping[str, Any],
    deadline: Deadline,
) -> Steps[UploadAnswer]:
    payload: Dict[str, Any] = {"method": "PUT", "contentType": content_type, "contentLength": size}
    put_optional(payload, fit=fit, filename=filename)
    # A presign carries folder and tags; metadata (S3 keeps 2 KB per object) is set once published.
    payload.update({name: value for name, value in labels.items() if name != "metadata"})
    presigned = cast(PresignedPut, (yield from session._api("POST", "/presign", deadline, payload=payload)))
    headers = dict(presigned["headers"])
    headers.setdefault("content-length", str(size))
    yield from session._send("PUT", presigned["url"], headers, body, deadline, storage_error)
    answer = yield from _wait_for_upload(
        session, presigned["uploadId"], presigned["statusPath"], deadline.capped(session.upload_wait_seconds)
    )
    if "metadata" in labels:
        patch = {"metadata": labels["metadata"]}
        yield from session._api("PATCH", object_path(answer["key"]), deadline, payload=patch)
    # A presigned upload cannot answer inline; the same rendition, asked again, can.
    if inline and "profile" in answer:
        return (yield from _rendition(session, {"key": answer["key"]}, answer["profile"], True, deadline))
    return answer


def _rendition(
    session: Session, payload: Dict[str, Any], fit: Optional[str], inline: bool, deadline: Deadline
) -> Steps[UploadAnswer]:
    put_optional(payload, fit=fit, inline=inline or None)
    return cast(UploadAnswer, (yield from session._api("POST", "/renditions", deadline, payload=payload)))


def _wait_for_upload(session: Session, upload_id: str, status_path: str, deadline: Deadline) -> Steps[UploadAnswer]:
    while True:
        answer = yield from session._api("GET", status_path, deadline)
        status = cast(Dict[str, Any], answer) if isinstance(answer, dict) else {}
        state = status.get("status")
        if state == "published":
            return cast(UploadAnswer, {k: v for k, v in status.items() if k != "status"})
        if state == "refused":
            # The same code and message POST /uploads gives for these bytes, so the same class.
            raise error_for(str(status.get("error")), str(status.get("message", "")))
        if state != "pending":
            raise UnexpectedResponseError(f"GET {status_path} answered an unknown status {state!r}")
        if session.poll_interval >= deadline.remaining():
            raise UploadPendingError(
                f"upload {upload_id} is still being checked; poll GET {status_path} later",
                upload_id=upload_id,
            )
        yield Pause(session.poll_interval)


def _content_type(head: bytes, image_type: Optional[str]) -> str:
    declared = content_type_of_image_type(image_type) if image_type else None
    # Unknown bytes are still presigned: the service then answers 415 naming the accepted types.
    return declared or sniff_content_type(head) or OCTET_STREAM
