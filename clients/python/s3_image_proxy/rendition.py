"""URLs of renditions made at the CDN, checked by the rules the CDN applies.

``rendition_url(answer["url"], w=800, format="webp")`` answers ``<url>?w=800&format=webp``; a bad
option raises here instead of a 400 from the CDN. Sizes are passed as given: the CDN snaps them
to its list of sizes (see the README, "Renditions at the CDN: resize and convert by URL").
"""

from __future__ import annotations

from typing import Optional, Tuple

__all__ = ["rendition_url", "RENDITION_FITS", "RENDITION_FORMATS", "PROFILES"]

#: The model profiles (``Profile`` in openapi/openapi.json): each is a ``fit`` that takes no other option.
PROFILES: Tuple[str, ...] = ("universal", "anthropic", "anthropic-hires", "openai", "gemini", "original")
#: Every ``fit``: how the image fills the ``w`` x ``h`` box (``inside`` is the default), or a profile.
RENDITION_FITS: Tuple[str, ...] = ("inside", "cover", "contain") + PROFILES
RENDITION_FORMATS: Tuple[str, ...] = ("jpeg", "png", "webp", "avif", "auto")


def rendition_url(
    url: str,
    *,
    w: Optional[int] = None,
    h: Optional[int] = None,
    fit: Optional[str] = None,
    format: Optional[str] = None,  # noqa: A002 - the CDN's own parameter name
    q: Optional[int] = None,
) -> str:
    """The URL of a rendition of the image at ``url`` (a public URL the service answered).

    Options are written in the CDN's canonical order ``w, h, fit, format, q``; with none, ``url``
    itself. ``w``, ``h``: whole pixels >= 1; ``fit``: ``inside``, ``cover``, ``contain`` (both
    need ``w`` and ``h``) or a profile name, alone; ``format``: ``jpeg``, ``png``, ``webp``,
    ``avif`` or ``auto``; ``q``: 1-100, not with ``png``.

    Raises :class:`TypeError` for a value of the wrong type (``True`` and ``800.0`` are not
    sizes) and :class:`ValueError` for a value out of range, an unknown ``fit`` or ``format``,
    a combination the CDN refuses, or a ``url`` that already has a query string or fragment.
    """
    if not isinstance(url, str) or not url:
        raise TypeError(f"url must be a non-empty string, got {url!r}")
    if "?" in url or "#" in url:
        raise ValueError(f"url must have no query string or fragment, got {url!r}: pass the bare public URL")
    _check_whole("w", w, 1)
    _check_whole("h", h, 1)
    _check_whole("q", q, 1, 100)
    _check_one_of("fit", fit, RENDITION_FITS)
    _check_one_of("format", format, RENDITION_FORMATS)

    options = (("w", w), ("h", h), ("fit", fit), ("format", format), ("q", q))
    if fit in PROFILES:
        others = [f"{name}={value}" for name, value in options if name != "fit" and value is not None]
        if others:
            raise ValueError(f"fit={fit} is a model profile and takes no other option, got {', '.join(others)}")
    if fit in ("cover", "contain") and (w is None or h is None):
        raise ValueError(f"fit={fit} needs both w and h, got w={_or_none(w)}, h={_or_none(h)}")
    if q is not None and format == "png":
        raise ValueError(f"q={q} cannot be combined with format=png (lossless)")

    # Every value is a whole number or one of the names above: nothing to percent-encode.
    query = "&".join(f"{name}={value}" for name, value in options if value is not None)
    return f"{url}?{query}" if query else url


def _check_whole(name: str, value: object, low: int, high: Optional[int] = None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f">= {low}" if high is None else f"{low}-{high}"
        raise ValueError(f"{name} must be a whole number {bounds}, got {value!r}")


def _check_one_of(name: str, value: object, allowed: Tuple[str, ...]) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")


def _or_none(value: Optional[int]) -> str:
    return "none" if value is None else str(value)
