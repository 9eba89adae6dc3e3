"""The bots' helper answers the fallback URL within its timeout when the service cannot help.

These tests measure elapsed time because the acceptance criterion is a time bound: the helper
must hand control back within ``timeout`` (plus a margin for a loaded 2-core machine).
"""

from __future__ import annotations

import asyncio
import os
import time
import unittest
from unittest import mock

import live_service  # noqa: F401 - puts the package on sys.path
from png_images import solid_png
from s3_image_proxy import url_for, url_for_async
from stub_server import SilentListener, free_port

FALLBACK = "https://chat.example/attachments/123.png"
MARGIN_SECONDS = 1.5


class UrlForFallbackTests(unittest.TestCase):
    def test_returns_the_fallback_within_its_timeout_when_the_server_is_stopped(self) -> None:
        # Prepare: the configured port has nothing listening on it.
        stopped = {"S3IP_API_URL": f"http://127.0.0.1:{free_port()}", "S3IP_API_KEY": "key-py"}
        timeout = 3.0

        # Act
        with mock.patch.dict(os.environ, stopped), self.assertLogs("s3_image_proxy", "WARNING") as logs:
            started = time.monotonic()
            url = url_for(solid_png(), FALLBACK, timeout=timeout)
            elapsed = time.monotonic() - started

        # Assess
        self.assertEqual(url, FALLBACK)
        self.assertLess(elapsed, timeout + MARGIN_SECONDS)
        self.assertIn("CONNECTION_FAILED", "\n".join(logs.output))

    def test_returns_the_fallback_within_its_timeout_when_the_server_never_answers(self) -> None:
        with SilentListener() as hung:
            hung_env = {"S3IP_API_URL": hung.url, "S3IP_API_KEY": "key-py"}
            with mock.patch.dict(os.environ, hung_env), self.assertLogs("s3_image_proxy", "WARNING") as logs:
                started = time.monotonic()
                url = url_for(solid_png(), FALLBACK, timeout=1.5)
                elapsed = time.monotonic() - started

        self.assertEqual(url, FALLBACK)
        self.assertLess(elapsed, 1.5 + MARGIN_SECONDS)
        self.assertRegex("\n".join(logs.output), "TIMEOUT|no URL within")

    def test_returns_none_without_a_fallback_and_logs_that_it_is_not_configured(self) -> None:
        unset = {name: "" for name in ("S3IP_API_URL", "S3IP_API_KEY")}

        with mock.patch.dict(os.environ, unset), self.assertLogs("s3_image_proxy", "WARNING") as logs:
            url = url_for(solid_png())

        self.assertIsNone(url)
        self.assertIn("S3IP_API_URL", "\n".join(logs.output))

    def test_returns_the_fallback_when_the_file_cannot_be_read(self) -> None:
        configured = {"S3IP_API_URL": f"http://127.0.0.1:{free_port()}", "S3IP_API_KEY": "key-py"}

        with mock.patch.dict(os.environ, configured), self.assertLogs("s3_image_proxy", "WARNING") as logs:
            url = url_for("/nonexistent/photo.jpg", FALLBACK, timeout=2)

        self.assertEqual(url, FALLBACK)
        self.assertIn("cannot read the image", "\n".join(logs.output))

    def test_refuses_what_is_neither_bytes_nor_a_path(self) -> None:
        with self.assertRaises(TypeError):
            url_for(12345, FALLBACK)  # type: ignore[arg-type]

    def test_refuses_neither_or_both_of_an_image_and_a_source_url_and_headers_without_a_source(self) -> None:
        calls = {
            "neither": lambda: url_for(fallback_url=FALLBACK),
            "both": lambda: url_for(solid_png(), source_url="https://chat.example/a.png"),
            "headers without a source": lambda: url_for(solid_png(), source_headers={"Authorization": "x"}),
        }
        for name, call in calls.items():
            with self.subTest(name), self.assertRaises(TypeError):
                call()


class UrlForAsyncFallbackTests(unittest.IsolatedAsyncioTestCase):
    async def test_returns_the_fallback_within_its_timeout_when_the_server_is_stopped(self) -> None:
        stopped = {"S3IP_API_URL": f"http://127.0.0.1:{free_port()}", "S3IP_API_KEY": "key-py"}

        with mock.patch.dict(os.environ, stopped), self.assertLogs("s3_image_proxy", "WARNING"):
            started = time.monotonic()
            url, _ = await asyncio.gather(
                url_for_async(solid_png(), FALLBACK, timeout=2.0),
                asyncio.sleep(0.01),  # the loop keeps running while the helper waits
            )
            elapsed = time.monotonic() - started

        self.assertEqual(url, FALLBACK)
        self.assertLess(elapsed, 2.0 + MARGIN_SECONDS)


if __name__ == "__main__":
    unittest.main()
