"""Where the service under test is, from the environment the test runner sets.

``npm test`` (test/clients/python-client.test.ts) starts local mode and sets ``S3IP_API_URL``,
``S3IP_CDN_URL``, ``S3IP_API_KEY`` and ``S3IP_THROTTLED_API_URL`` (a second server with a
throttle of 1 request per second, burst 2, same key). For uploads from a URL it also starts a
source server on 127.0.0.1, which local mode is allowed to fetch from, and sets
``S3IP_SOURCE_URL`` (its origin: ``/public/<w>x<h>.png`` answers a PNG of that size,
``/private/<w>x<h>.png`` the same only to ``Authorization: <S3IP_SOURCE_AUTHORIZATION>``, 401
otherwise, and anything else 404). Without them the tests that need a server
are skipped, so ``python3 -m unittest`` alone still runs the rest.
"""

from __future__ import annotations

import os
import sys
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Optional, Tuple

# Run from the repository root (`-s clients/python/tests`) as well as from clients/python.
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
if _PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, _PACKAGE_ROOT)

API_URL = os.environ.get("S3IP_API_URL", "")
CDN_URL = os.environ.get("S3IP_CDN_URL", "")
API_KEY = os.environ.get("S3IP_API_KEY", "")
THROTTLED_API_URL = os.environ.get("S3IP_THROTTLED_API_URL", "")
SOURCE_URL = os.environ.get("S3IP_SOURCE_URL", "")
SOURCE_AUTHORIZATION = os.environ.get("S3IP_SOURCE_AUTHORIZATION", "")

needs_service = unittest.skipUnless(
    API_URL and API_KEY, "set S3IP_API_URL and S3IP_API_KEY to a running local mode (npm test does)"
)
needs_throttled_service = unittest.skipUnless(
    THROTTLED_API_URL and API_KEY, "set S3IP_THROTTLED_API_URL and S3IP_API_KEY (npm test does)"
)

needs_source = unittest.skipUnless(
    API_URL and API_KEY and SOURCE_URL and SOURCE_AUTHORIZATION,
    "set S3IP_SOURCE_URL and S3IP_SOURCE_AUTHORIZATION to a source local mode may fetch (npm test does)",
)


def fetch(url: str, headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str], bytes]:
    """GETs a URL as a model would: status, headers (lower-case names), body; errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
