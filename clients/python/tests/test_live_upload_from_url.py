"""Uploads from a URL against the real local mode: the service fetches the source (started by `npm test`)."""

from __future__ import annotations

import hashlib
import unittest
from typing import List

from live_service import API_KEY, API_URL, CDN_URL, SOURCE_AUTHORIZATION, SOURCE_URL, fetch, needs_source
from s3_image_proxy import (
    AsyncClient,
    Client,
    SourceForbiddenError,
    SourceUnavailableError,
    url_for,
    url_for_async,
)

FALLBACK = "https://chat.example/attachments/9.png"


@needs_source
class UploadFromUrlTests(unittest.TestCase):
    def setUp(self) -> None:
        self.sleeps: List[float] = []
        self.client = Client(API_URL, API_KEY, sleep=self.sleeps.append)

    def test_the_service_fetches_a_source_and_its_cdn_url_serves_it(self) -> None:
        # Act
        answer = self.client.upload_from_url(
            f"{SOURCE_URL}/public/40x30.png", filename="cat.png", fit="original"
        )
        status, headers, served = fetch(answer["url"])

        # Assess
        self.assertTrue(answer["url"].startswith(CDN_URL + "/"), answer["url"])
        self.assertEqual(
            (answer.get("width"), answer.get("height"), answer.get("profile")), (40, 30, "original")
        )
        self.assertEqual((status, headers["content-type"]), (200, "image/png"))
        self.assertEqual(hashlib.sha256(served).hexdigest(), answer["sha256"])
        self.assertEqual(self.client.info(answer["key"]).get("filename"), "cat.png")

    def test_sends_source_headers_to_a_source_that_needs_a_token(self) -> None:
        # Act
        answer = self.client.upload_from_url(
            f"{SOURCE_URL}/private/64x48.png",
            source_headers={"Authorization": SOURCE_AUTHORIZATION},
            fit="openai",
            inline=True,
        )

        # Assess
        self.assertEqual(
            (answer.get("width"), answer.get("height"), answer.get("profile")), (64, 48, "openai")
        )
        self.assertIn("base64", answer)

    def test_raises_source_unavailable_with_what_the_source_answered_and_does_not_retry_a_4xx(self) -> None:
        for path, source_status in (("/private/8x8.png", 401), ("/nothing-here.png", 404)):
            with self.subTest(path=path):
                # Act
                with self.assertRaises(SourceUnavailableError) as raised:
                    self.client.upload_from_url(SOURCE_URL + path)

                # Assess
                error = raised.exception
                self.assertEqual((error.status, error.source_status), (502, source_status))
                self.assertFalse(error.retryable)
        self.assertEqual(self.sleeps, [])

    def test_raises_source_forbidden_for_an_address_the_guard_will_not_fetch(self) -> None:
        with self.assertRaises(SourceForbiddenError) as raised:
            self.client.upload_from_url("http://169.254.169.254/latest/meta-data/")

        self.assertEqual((raised.exception.status, raised.exception.code), (400, "SOURCE_FORBIDDEN"))


@needs_source
class UrlForSourceTests(unittest.TestCase):
    def test_answers_the_cdn_url_of_a_source_fetched_with_its_headers(self) -> None:
        # Act
        url = url_for(
            source_url=f"{SOURCE_URL}/private/20x10.png",
            source_headers={"Authorization": SOURCE_AUTHORIZATION},
            fallback_url=FALLBACK,
            client=Client(API_URL, API_KEY),
        )

        # Assess
        self.assertIsNotNone(url)
        status, headers, _ = fetch(str(url))
        self.assertTrue(str(url).startswith(CDN_URL + "/"), url)
        self.assertEqual((status, headers["content-type"]), (200, "image/png"))

    def test_answers_the_fallback_and_logs_why_when_the_source_refuses(self) -> None:
        with self.assertLogs("s3_image_proxy", "ERROR") as logs:
            url = url_for(
                source_url=f"{SOURCE_URL}/private/20x10.png",
                fallback_url=FALLBACK,
                client=Client(API_URL, API_KEY),
            )

        self.assertEqual(url, FALLBACK)
        self.assertIn("SOURCE_UNAVAILABLE", "\n".join(logs.output))


@needs_source
class AsyncUploadFromUrlTests(unittest.IsolatedAsyncioTestCase):
    async def test_the_async_client_and_helper_fetch_a_source(self) -> None:
        # Prepare
        client = AsyncClient(API_URL, API_KEY)

        # Act
        answer = await client.upload_from_url(f"{SOURCE_URL}/public/12x12.png")
        url = await url_for_async(source_url=f"{SOURCE_URL}/public/12x12.png", client=client.sync)

        # Assess
        self.assertEqual((answer.get("width"), answer.get("height")), (12, 12))
        self.assertEqual(url, answer["url"])


if __name__ == "__main__":
    unittest.main()
