"""The asyncio client runs the same plans as the blocking one, its waits in the event loop."""

from __future__ import annotations

import asyncio
import unittest

import live_service  # noqa: F401 - puts the package on sys.path
from s3_image_proxy import AsyncClient, RetryPolicy
from stub_server import StubServer

UPLOADED = {"url": "http://cdn.test/py/ab.png", "key": "py/ab.png"}
BUSY = {"error": "STORAGE_UNAVAILABLE", "message": "try later", "requestId": "req-busy"}
# random() is 0.5: the first back-off is half of 0.4 s.
QUICK_RETRY = RetryPolicy(max_attempts=4, base_delay_seconds=0.4, max_delay_seconds=8)


class AsyncWaitTests(unittest.IsolatedAsyncioTestCase):
    async def test_retries_after_a_503_and_answers_the_upload(self) -> None:
        # Act
        with StubServer([(503, {}, BUSY), (201, {}, UPLOADED)]) as server:
            client = AsyncClient(server.url, "key-stub", retry=QUICK_RETRY, random=lambda: 0.5)
            answer = await client.upload(b"\x89PNG\r\n\x1a\n")

        # Assess
        self.assertEqual(answer["url"], UPLOADED["url"])
        self.assertEqual([r[:2] for r in server.requests], [("POST", "/uploads")] * 2)

    async def test_a_call_cancelled_during_its_back_off_sends_no_further_attempt(self) -> None:
        # Prepare: a 503 then an upload's answer, and the back-off between them
        with StubServer([(503, {}, BUSY), (201, {}, UPLOADED)]) as server:
            client = AsyncClient(server.url, "key-stub", retry=QUICK_RETRY, random=lambda: 0.5)
            call = asyncio.ensure_future(client.upload(b"\x89PNG\r\n\x1a\n"))
            for _ in range(500):
                if server.requests:
                    break
                await asyncio.sleep(0.01)

            # Act
            call.cancel()
            # Longer than the back-off: a retry left running would have been sent by now.
            await asyncio.sleep(0.6)

        # Assess
        self.assertTrue(call.cancelled())
        self.assertEqual(len(server.requests), 1)


if __name__ == "__main__":
    unittest.main()
