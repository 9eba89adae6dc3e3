"""The asyncio client against the real local mode."""

from __future__ import annotations

import asyncio
import unittest

from live_service import API_KEY, API_URL, CDN_URL, fetch, needs_service
from png_images import solid_png
from s3_image_proxy import AsyncClient, Client, ForbiddenError, NotFoundError, url_for_async


@needs_service
class AsyncClientTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.client = AsyncClient(API_URL, API_KEY)

    async def test_uploads_concurrently_and_lists_the_uploads_through_an_async_generator(self) -> None:
        # Act
        answers = await asyncio.gather(*(self.client.upload(solid_png(6, 6, (i, 0, 77))) for i in range(4)))
        listed = [item["key"] async for item in self.client.list_objects(page_size=3)]

        # Assess
        self.assertTrue({answer["key"] for answer in answers} <= set(listed))
        self.assertTrue(all(answer["url"].startswith(CDN_URL + "/") for answer in answers))

    async def test_renders_presigns_tells_and_deletes_by_url(self) -> None:
        stored = await self.client.upload(solid_png(10, 10, (1, 99, 1)), fit="anthropic")

        rendition = await self.client.rendition(stored["key"], fit="original")
        presigned = await self.client.presign_get(stored["key"])
        read_status = fetch(presigned["url"])[0]
        info = await self.client.info(stored["key"])
        await self.client.delete_url(stored["url"])

        self.assertEqual(rendition.get("profile"), "original")
        self.assertEqual(read_status, 200)
        self.assertEqual(info.get("sha256"), stored["sha256"])
        with self.assertRaises(NotFoundError):
            await self.client.info(stored["key"])

    async def test_uploads_through_a_presigned_put_and_waits_without_blocking_the_loop(self) -> None:
        direct = AsyncClient.wrap(Client(API_URL, API_KEY, direct_upload_threshold=0, poll_interval=0.1))
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.ensure_future(tick())
        try:
            answer = await direct.upload(solid_png(12, 12, (5, 5, 200)), timeout=60)
        finally:
            ticker.cancel()

        self.assertEqual(answer.get("width"), 12)
        self.assertGreater(ticks, 0)

    async def test_raises_the_same_typed_errors(self) -> None:
        with self.assertRaises(ForbiddenError):
            await AsyncClient(API_URL, "not-a-key").list_page()

    async def test_the_helper_answers_a_cdn_url(self) -> None:
        url = await url_for_async(solid_png(5, 6, (9, 9, 9)), client=self.client.sync)

        self.assertTrue(url and url.startswith(CDN_URL + "/"), url)


if __name__ == "__main__":
    unittest.main()
