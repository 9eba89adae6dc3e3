"""Retries against a throttled local mode: 1 request per second, burst 2 (`npm test` starts it)."""

from __future__ import annotations

import threading
import time
import unittest
from concurrent.futures import ThreadPoolExecutor
from typing import List

from live_service import API_KEY, THROTTLED_API_URL, needs_throttled_service
from png_images import solid_png
from s3_image_proxy import Client, RetryPolicy, ThrottledError

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
    def test_without_retries_the_request_past_the_burst_raises_throttled_with_retry_after(self) -> None:
        # Prepare
        client = Client(THROTTLED_API_URL, API_KEY, retry=RetryPolicy(max_attempts=1))

        # Act: ask until the bucket is empty.
        with self.assertRaises(ThrottledError) as raised:
            for _ in range(10):
                client.list_page(limit=1)

        # Assess
        self.assertEqual((raised.exception.status, raised.exception.code), (429, "THROTTLED"))
        self.assertGreaterEqual(raised.exception.retry_after or 0, 1.0)

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
