"""The content type a presigned upload must declare, read from the bytes as the service reads it."""

from __future__ import annotations

from typing import Optional

__all__ = ["sniff_content_type", "content_type_of_image_type", "OCTET_STREAM"]

#: Declared when the bytes are of no accepted type: the service then answers 415 with its reason.
OCTET_STREAM = "application/octet-stream"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# ISO-BMFF brands (the `ftyp` box), as lambdas/core/sniff-format.ts decides them.
_AVIF_BRANDS = {"avif", "avis"}
_HEIC_BRANDS = {"heic", "heix", "heim", "heis", "hevc", "hevx"}
_HEIF_BRANDS = {"mif1", "msf1"}
_MP4_BRANDS = {
    "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "mmp4", "M4V ",
}  # fmt: skip

_IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "heic": "image/heic",
    "heif": "image/heif",
    "mp4": "video/mp4",
}


def sniff_content_type(head: bytes) -> Optional[str]:
    """The MIME type of the first bytes of a file (256 are enough), or ``None`` when not accepted."""
    if head[:8] == _PNG_SIGNATURE:
        return "image/png"
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _iso_bmff_content_type(head)
    return None


def _iso_bmff_content_type(head: bytes) -> Optional[str]:
    box_size = int.from_bytes(head[0:4], "big")
    end = min(box_size, len(head), 256)
    brands = [head[8:12].decode("latin-1")]
    brands += [head[offset : offset + 4].decode("latin-1") for offset in range(16, end - 3, 4)]
    # The major brand decides first; compatible brands only when it is generic.
    for candidates in (brands[:1], brands):
        names = set(candidates)
        if names & _AVIF_BRANDS:
            return "image/avif"
        if names & _HEIC_BRANDS:
            return "image/heic"
        if names & _HEIF_BRANDS:
            return "image/heif"
        if names & _MP4_BRANDS:
            return "video/mp4"
    return None


def content_type_of_image_type(image_type: str) -> Optional[str]:
    """Maps an ``imageType`` (``png``, ``jpg``, ``image/png`` …) to its MIME type, or ``None``."""
    name = image_type.strip().lower()
    if name.startswith(("image/", "video/")):
        name = name[6:]
    return _IMAGE_TYPES.get(name)
