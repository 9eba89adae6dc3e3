"""The catalogue's calls against the real local mode (started by `npm test`)."""

from __future__ import annotations

import asyncio
import unittest
import uuid

from live_service import API_KEY, API_URL, needs_service
from png_images import noisy_png
from s3_image_proxy import (
    AsyncClient,
    Client,
    InvalidFolderError,
    InvalidMetadataError,
    InvalidTagsError,
    NotFoundError,
)


@needs_service
class CatalogueTests(unittest.TestCase):
    def setUp(self) -> None:
        self.client = Client(API_URL, API_KEY)
        # A folder of its own per test: the suite shares one local mode.
        self.folder = f"py/{uuid.uuid4().hex[:12]}"

    def test_files_base64_and_presigned_uploads_with_their_labels(self) -> None:
        # Act
        direct = self.client.upload(noisy_png(24, 20), folder=self.folder, tags=["a"], metadata={"k": "v"})
        presigned = Client(API_URL, API_KEY, direct_upload_threshold=0).upload(
            noisy_png(26, 20), folder=self.folder, tags=["b"], metadata={"via": "presign"}
        )

        # Assess
        direct_info = self.client.info(direct["key"])
        presigned_info = self.client.info(presigned["key"])
        self.assertEqual(
            (direct_info.get("folder"), direct_info.get("tags"), direct_info.get("metadata")),
            (self.folder, ["a"], {"k": "v"}),
        )
        self.assertEqual(
            (presigned_info.get("folder"), presigned_info.get("tags"), presigned_info.get("metadata")),
            (self.folder, ["b"], {"via": "presign"}),
        )
        self.assertEqual(presigned_info.get("source"), "presign")

    def test_lists_a_tree_and_filters_by_tags(self) -> None:
        # Prepare
        top = self.client.upload(noisy_png(28, 20), folder=self.folder, tags=["x", "y"])
        deep = self.client.upload(noisy_png(30, 20), folder=f"{self.folder}/deep", tags=["x"])

        # Act
        flat = [item["key"] for item in self.client.list_objects(folder=self.folder)]
        tree = [item["key"] for item in self.client.list_objects(folder=self.folder, recursive=True)]
        both = [
            item["key"]
            for item in self.client.list_objects(folder=self.folder, recursive=True, tags=["x", "y"])
        ]

        # Assess
        self.assertEqual(flat, [top["key"]])
        self.assertEqual(sorted(tree), sorted([top["key"], deep["key"]]))
        self.assertEqual(both, [top["key"]])

    def test_update_image_sets_tags_metadata_and_filename(self) -> None:
        # Prepare
        image = self.client.upload(noisy_png(32, 20), folder=self.folder, tags=["old"], filename="a.png")

        # Act
        record = self.client.update_image(image["key"], tags=["new"], metadata={"k": "v"}, filename="b.png")

        # Assess
        self.assertEqual(
            (record.get("tags"), record.get("metadata"), record.get("filename")),
            (["new"], {"k": "v"}, "b.png"),
        )
        self.assertEqual(self.client.info(image["key"]).get("tags"), ["new"])

    def test_stats_count_a_folder_and_erase_folder_empties_it_in_the_background(self) -> None:
        # Prepare
        images = [
            self.client.upload(noisy_png(34, 20), folder=self.folder),
            self.client.upload(noisy_png(36, 20), folder=f"{self.folder}/deep"),
        ]
        before = self.client.stats(folder=self.folder)

        # Act
        erased = asyncio.run(AsyncClient.wrap(self.client).erase_folder(self.folder, poll_interval=0.05))

        # Assess
        self.assertEqual(before.get("images"), 2)
        self.assertEqual(erased, {"deleted": 2})
        self.assertEqual(self.client.stats(folder=self.folder).get("images"), 0)
        for image in images:
            with self.assertRaises(NotFoundError):
                self.client.info(image["key"])

    def test_hostile_labels_raise_their_own_errors_and_store_nothing(self) -> None:
        # Prepare
        png = noisy_png(38, 20)
        cases = [
            ({"folder": "../etc"}, InvalidFolderError),
            ({"folder": self.folder, "tags": ["<script>"]}, InvalidTagsError),
            ({"folder": self.folder, "metadata": {"k": "x" * 3000}}, InvalidMetadataError),
        ]

        # Act, Assess
        for labels, error in cases:
            with self.subTest(labels=list(labels)):
                with self.assertRaises(error) as raised:
                    self.client.upload(png, **labels)  # type: ignore[arg-type]
                self.assertEqual(raised.exception.status, 400)
        self.assertEqual(self.client.stats(folder=self.folder).get("images"), 0)


if __name__ == "__main__":
    unittest.main()
