"""Retries against a throttled local mode: 1 request per second, burst 2 (`npm test` starts it)."""

from __future__ import annotations

import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from typing import List, Optional

from live_service import API_KEY, THROTTLED_API_URL, needs_throttled_service
from png_images import solid_png
from s3_image_proxy import Client, RetryPolicy, S3ImageProxyError, ThrottledError

# A back-off far below the server's Retry-After (at least 1 s): any wait of 1 s or more was Retry-After's.
QUICK_BACKOFF = RetryPolicy(max_attempts=10, base_delay_seconds=0.01, max_delay_seconds=5)


class RecordingSleep:
    """Sleeps for real (the server's bucket refills in real time) and records each wait."""

    def __init__(self) -> None:
        self.waits: List[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)
        time.sleep(seconds)


@needs_throttled_service
class ThrottledServerTests(unittest.TestCase):
    def test_without_retries_a_request_past_the_burst_raises_throttled_with_retry_after(self) -> None:
        # Prepare
        client = Client(THROTTLED_API_URL, API_KEY, retry=RetryPolicy(max_attempts=1))

        # Act: six requests at once against a burst of 2.
        def outcome(_: int) -> Optional[S3ImageProxyError]:
            try:
                client.list_page(limit=1)
                return None
            except S3ImageProxyError as err:
                return err

        with ThreadPoolExecutor(6) as pool:
            errors = [err for err in pool.map(outcome, range(6)) if err is not None]

        # Assess
        self.assertTrue(errors)
        for error in errors:
            self.assertIsInstance(error, ThrottledError)
            self.assertEqual((error.status, error.code), (429, "THROTTLED"))
            self.assertGreaterEqual(error.retry_after or 0, 1.0)

    def test_uploads_past_the_burst_all_succeed_after_waiting_as_retry_after_says(self) -> None:
        # Prepare: five distinct uploads at once against a burst of 2 and 1 request per second.
        sleep = RecordingSleep()
        client = Client(THROTTLED_API_URL, API_KEY, retry=QUICK_BACKOFF, sleep=sleep)
        images = [solid_png(4, 4, (i, i, 250)) for i in range(5)]

        # Act
        with self.assertLogs("s3_image_proxy", "INFO") as logs, ThreadPoolExecutor(len(images)) as pool:
            answers = list(pool.map(client.upload, images))

        # Assess
        self.assertEqual(len({answer["key"] for answer in answers}), 5)
        self.assertGreaterEqual(len(sleep.waits), 3)
        self.assertGreaterEqual(min(sleep.waits), 1.0)
        self.assertIn("THROTTLED", "\n".join(logs.output))


if __name__ == "__main__":
    unittest.main()
