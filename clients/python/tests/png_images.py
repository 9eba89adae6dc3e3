"""Valid PNG files made with the standard library (zlib + struct), for tests."""

from __future__ import annotations

import os
import struct
import zlib
from typing import Tuple

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_from_rows(width: int, height: int, rows: bytes, level: int = 9) -> bytes:
    """An 8-bit RGB PNG of ``rows``: ``height`` rows of a filter byte and ``width * 3`` samples."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, RGB, no interlace
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, level))
        + _chunk(b"IEND", b"")
    )


def solid_png(width: int = 16, height: int = 12, rgb: Tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A small PNG of one colour: distinct colours give distinct bytes, hence distinct keys."""
    row = b"\x00" + bytes(rgb) * width
    return png_from_rows(width, height, row * height)


def noisy_png(width: int, height: int) -> bytes:
    """An uncompressed PNG of random pixels: about ``width * height * 3`` bytes, which no encoder shrinks."""
    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    return png_from_rows(width, height, rows, level=0)
