"""Every operation against the real local mode (started by `npm test`)."""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
import unittest
import urllib.request

from live_service import API_KEY, API_URL, CDN_URL, fetch, needs_service
from png_images import noisy_png, solid_png
from s3_image_proxy import (
    Client,
    ForbiddenError,
    NotFoundError,
    S3ImageProxyError,
    UnknownProfileError,
    UnsupportedMediaTypeError,
    rendition_url,
    url_for,
)

SVG = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><rect width='9' height='9'/></svg>"


@needs_service
class UploadTests(unittest.TestCase):
    def setUp(self) -> None:
        self.client = Client(API_URL, API_KEY)

    def test_uploads_a_small_png_and_its_cdn_url_serves_it(self) -> None:
        # Prepare
        png = solid_png(16, 12, (10, 120, 200))

        # Act
        answer = self.client.upload(png, image_type="png")
        status, headers, served = fetch(answer["url"])

        # Assess
        self.assertTrue(answer["url"].startswith(CDN_URL + "/"), answer["url"])
        self.assertEqual(
            (answer.get("width"), answer.get("height"), answer["contentType"]), (16, 12, "image/png")
        )
        self.assertEqual(answer["method"], "as-uploaded")
        self.assertEqual((status, headers["content-type"]), (200, "image/png"))
        self.assertEqual(hashlib.sha256(served).hexdigest(), answer["sha256"])

    def test_the_cdn_serves_a_rendition_of_an_upload_at_the_url_rendition_url_writes(self) -> None:
        # Prepare
        answer = self.client.upload(noisy_png(200, 150), image_type="png")
        url = rendition_url(answer["url"], w=64, h=64, fit="cover", format="webp")

        # Act
        status, headers, served = fetch(url)

        # Assess
        self.assertEqual(url, answer["url"] + "?w=64&h=64&fit=cover&format=webp")
        self.assertEqual((status, headers["content-type"]), (200, "image/webp"), served[:200])
        self.assertEqual((served[:4], served[8:12]), (b"RIFF", b"WEBP"))

    def test_uploads_a_file_with_a_profile_and_answers_it_inline(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "shot.png")
            with open(path, "wb") as file:
                file.write(solid_png(40, 30, (1, 2, 3)))

            answer = self.client.upload_file(path, fit="openai", inline=True, filename="shot.png")

        inline = base64.b64decode(answer.get("base64", ""))
        self.assertEqual(answer.get("profile"), "openai")
        self.assertEqual(hashlib.sha256(inline).hexdigest(), answer["sha256"])
        self.assertIn("anthropic", answer.get("promptInline", {}))
        self.assertEqual(self.client.info(answer["key"]).get("filename"), "shot.png")

    def test_renders_a_stored_key_or_url_in_another_profile(self) -> None:
        stored = self.client.upload(solid_png(20, 20, (90, 90, 0)))

        by_key = self.client.rendition(stored["key"], fit="original")
        by_url = self.client.rendition(url=stored["url"], fit="gemini")

        self.assertEqual((by_key.get("profile"), by_url.get("profile")), ("original", "gemini"))
        self.assertEqual(by_key.get("width"), 20)

    def test_uploads_a_20_mb_png_through_a_presigned_put_streamed_from_its_file(self) -> None:
        # Prepare: 2600 x 2600 random pixels, stored uncompressed, over the base64 route's limit.
        png = noisy_png(2600, 2600)
        self.assertGreater(len(png), 20_000_000)

        # Act
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "big.png")
            with open(path, "wb") as file:
                file.write(png)
            answer = self.client.upload_file(path, fit="original", timeout=120)
        status, _, served = fetch(answer["url"])

        # Assess
        self.assertEqual((answer.get("profile"), answer["method"]), ("original", "as-uploaded"))
        self.assertEqual((answer.get("width"), answer.get("height"), answer["size"]), (2600, 2600, len(png)))
        self.assertEqual(status, 200)
        self.assertEqual(hashlib.sha256(served).hexdigest(), hashlib.sha256(png).hexdigest())

    def test_sends_images_over_the_threshold_through_a_presigned_put_and_answers_the_same(self) -> None:
        png = solid_png(24, 24, (7, 7, 7))
        direct = Client(API_URL, API_KEY, direct_upload_threshold=0, poll_interval=0.1)

        through_presign = direct.upload(png, inline=True)
        through_base64 = self.client.upload(png)

        self.assertEqual(through_presign["key"], through_base64["key"])
        self.assertEqual(through_presign["url"], through_base64["url"])
        self.assertEqual(base64.b64decode(through_presign.get("base64", "")), png)

    def test_presigns_a_put_and_tells_when_the_upload_is_published(self) -> None:
        png = solid_png(8, 8, (250, 0, 250))

        presigned = self.client.presign_put("image/png", len(png), fit="anthropic", filename="p.png")
        request = urllib.request.Request(
            presigned["url"], data=png, headers=presigned["headers"], method="PUT"
        )
        with urllib.request.urlopen(request, timeout=30) as put:
            self.assertEqual(put.status, 200)
        answer = self.client.wait_for_upload(presigned["uploadId"], timeout=60)

        self.assertEqual(presigned["statusPath"], f"/uploads/{presigned['uploadId']}")
        self.assertEqual(answer.get("profile"), "anthropic")
        self.assertEqual(self.client.upload_status(presigned["uploadId"])["status"], "published")

    def test_presigns_a_private_read_of_a_stored_object(self) -> None:
        stored = self.client.upload(solid_png(9, 9, (3, 3, 3)))

        presigned = self.client.presign_get(stored["key"], expires_in=60)
        status, _, body = fetch(presigned["url"])

        self.assertEqual((presigned["key"], presigned["publicUrl"]), (stored["key"], stored["url"]))
        self.assertEqual((status, hashlib.sha256(body).hexdigest()), (200, stored["sha256"]))

    def test_answers_a_url_for_an_image_through_the_helper(self) -> None:
        url = url_for(solid_png(6, 6, (60, 60, 60)), "https://fallback.example/x.png", client=self.client)

        self.assertTrue(url and url.startswith(CDN_URL + "/"), url)


@needs_service
class ObjectTests(unittest.TestCase):
    def setUp(self) -> None:
        self.client = Client(API_URL, API_KEY)

    def test_lists_every_object_page_by_page_in_key_order(self) -> None:
        # Prepare
        keys = {self.client.upload(solid_png(5, 5, (i, 200, 100)))["key"] for i in range(5)}

        # Act
        first = self.client.list_page(limit=2)
        second = self.client.list_page(limit=2, cursor=first.get("cursor"))
        listed = [item["key"] for item in self.client.list_objects(page_size=2)]

        # Assess
        self.assertEqual(len(first["items"]), 2)
        self.assertLess(first["items"][-1]["key"], second["items"][0]["key"])
        self.assertTrue(keys <= set(listed), keys - set(listed))
        self.assertEqual(listed, sorted(set(listed)))
        prefix = next(iter(keys)).split("/")[0] + "/"
        self.assertTrue(keys <= {item["key"] for item in self.client.list_objects(prefix=prefix)})

    def test_tells_an_objects_details_and_deletes_it_by_key(self) -> None:
        stored = self.client.upload(solid_png(7, 3, (0, 0, 99)))

        info = self.client.info(stored["key"])
        self.client.delete(stored["key"])
        self.client.delete(stored["key"])  # deleting again is safe

        self.assertEqual(
            (info["size"], info.get("sha256"), info["url"]), (stored["size"], stored["sha256"], stored["url"])
        )
        with self.assertRaises(NotFoundError) as raised:
            self.client.info(stored["key"])
        self.assertEqual(raised.exception.status, 404)

    def test_deletes_an_object_by_its_public_url(self) -> None:
        stored = self.client.upload(solid_png(3, 7, (99, 0, 0)))

        self.client.delete_url(stored["url"])

        with self.assertRaises(NotFoundError):
            self.client.info(stored["key"])
        self.assertEqual(fetch(stored["url"])[0], 404)


@needs_service
class TypedErrorTests(unittest.TestCase):
    def test_a_wrong_api_key_raises_forbidden(self) -> None:
        with self.assertRaises(ForbiddenError) as raised:
            Client(API_URL, "not-a-key").upload(solid_png())

        error = raised.exception
        self.assertIsInstance(error, S3ImageProxyError)
        self.assertEqual((error.code, error.status), ("FORBIDDEN", 403))
        self.assertTrue(error.request_id)

    def test_an_unknown_fit_raises_unknown_profile_naming_the_profiles(self) -> None:
        with self.assertRaises(UnknownProfileError) as raised:
            Client(API_URL, API_KEY).upload(solid_png(), fit="poster")

        self.assertEqual((raised.exception.code, raised.exception.status), ("UNKNOWN_PROFILE", 400))
        self.assertIn("universal", raised.exception.message)

    def test_an_svg_raises_unsupported_media_type_on_either_route(self) -> None:
        direct = Client(API_URL, API_KEY, direct_upload_threshold=0, poll_interval=0.1)

        with self.assertRaises(UnsupportedMediaTypeError) as via_base64:
            Client(API_URL, API_KEY).upload(SVG, image_type="png")
        # Declared PNG, so presigned and uploaded; the check refuses it, and the client raises the same class.
        with self.assertRaises(UnsupportedMediaTypeError) as via_presign:
            direct.upload(SVG, image_type="png", timeout=60)

        self.assertEqual((via_base64.exception.status, via_presign.exception.status), (415, 415))
        self.assertIn("SVG", via_presign.exception.message)


if __name__ == "__main__":
    unittest.main()
