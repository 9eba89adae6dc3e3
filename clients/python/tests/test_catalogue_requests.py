"""What the catalogue's calls send (query strings, JSON bodies), against a scripted server.

The service's own behaviour is tested end to end in the live tests; here, the requests.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import unittest
import urllib.parse
from typing import Any, Dict, List

import live_service  # noqa: F401 - puts the package on sys.path
from s3_image_proxy import AsyncClient, Client, ErasurePendingError
from s3_image_proxy.catalogue import labels_fields, labels_query, list_query, patch_body
from stub_server import StubServer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x07" * 200
UPLOADED = {"url": "http://cdn.test/py/ab.png", "key": "py/ab.png"}


def client_for(url: str, **options: Any) -> Client:
    return Client(url, "key-stub", sleep=lambda _: None, **options)


def body_of(request: Any) -> Dict[str, Any]:
    return json.loads(request[3])


def query_of(request: Any) -> List[Any]:
    return urllib.parse.parse_qsl(urllib.parse.urlsplit(request[1]).query)


class RequestBuildingTests(unittest.TestCase):
    def test_list_query_names_each_filter_as_the_api_does(self) -> None:
        cases = [
            ({}, {}),
            ({"folder": "users/a@b.c", "recursive": True}, {"folder": "users/a@b.c", "recursive": "true"}),
            ({"recursive": False}, {}),
            ({"tags": ("a", "b c")}, {"tag": ["a", "b c"]}),
            (
                {"created_after": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)},
                {"createdAfter": "2026-01-02T03:04:05Z"},
            ),
            ({"created_before": "2026-12-01T00:00:00Z"}, {"createdBefore": "2026-12-01T00:00:00Z"}),
            (
                {"type": "image/jpeg", "source": "url", "q": "cat", "limit": 5, "cursor": "c"},
                {"type": "image/jpeg", "source": "url", "q": "cat", "limit": 5, "cursor": "c"},
            ),
        ]
        for filters, expected in cases:
            with self.subTest(filters=filters):
                self.assertEqual(list_query(**filters), expected)

    def test_refuses_a_naive_datetime_and_a_string_of_tags(self) -> None:
        with self.assertRaises(ValueError):
            list_query(created_after=dt.datetime(2026, 1, 1))
        with self.assertRaises(TypeError):
            labels_fields(None, "abc", None)

    def test_labels_go_in_a_body_and_in_a_query_without_metadata(self) -> None:
        self.assertEqual(
            labels_fields("a/b", ["x"], {"k": "v"}), {"folder": "a/b", "tags": ["x"], "metadata": {"k": "v"}}
        )
        self.assertEqual(labels_fields(None, None, None), {})
        self.assertEqual(labels_query("a/b", ["x", "y"]), {"folder": "a/b", "tag": ["x", "y"]})

    def test_a_patch_sends_only_its_fields_and_an_empty_one_is_refused(self) -> None:
        self.assertEqual(patch_body([], None, "a.png"), {"tags": [], "filename": "a.png"})
        with self.assertRaises(ValueError):
            patch_body(None, None, None)


class CatalogueCallTests(unittest.TestCase):
    def test_upload_sends_folder_tags_and_metadata_in_its_json_body(self) -> None:
        with StubServer([(201, {}, UPLOADED)]) as server:
            client_for(server.url).upload(
                PNG, folder="users/alice@example.com", tags=["a", "b"], metadata={"order": "42"}
            )

        method, path, _, _ = server.requests[0]
        self.assertEqual((method, path), ("POST", "/uploads"))
        self.assertEqual(
            body_of(server.requests[0]),
            {
                "image": base64.b64encode(PNG).decode(),
                "folder": "users/alice@example.com",
                "tags": ["a", "b"],
                "metadata": {"order": "42"},
            },
        )

    def test_upload_from_url_sends_its_labels(self) -> None:
        with StubServer([(201, {}, UPLOADED)]) as server:
            client_for(server.url).upload_from_url("https://media.invalid/a.png", folder="u/1", tags=["chat"])

        self.assertEqual(
            body_of(server.requests[0]),
            {"sourceUrl": "https://media.invalid/a.png", "folder": "u/1", "tags": ["chat"]},
        )

    def test_a_presigned_upload_sends_folder_and_tags_then_patches_the_metadata(self) -> None:
        with StubServer([]) as server:
            server.answers = [
                (
                    200,
                    {},
                    {
                        "method": "PUT",
                        "url": f"{server.url}/bucket/put",
                        "headers": {},
                        "uploadId": "u-1",
                        "statusPath": "/uploads/u-1",
                        "expiresAt": "x",
                    },
                ),
                (200, {}, None),
                (200, {}, {"status": "published", **UPLOADED}),
                (200, {}, {**UPLOADED, "metadata": {"a": "b"}}),
            ]
            client_for(server.url, direct_upload_threshold=0).upload(
                PNG, folder="f", tags=["t"], metadata={"a": "b"}
            )

        self.assertEqual(
            [(r[0], r[1]) for r in server.requests],
            [
                ("POST", "/presign"),
                ("PUT", "/bucket/put"),
                ("GET", "/uploads/u-1"),
                ("PATCH", "/objects/py/ab.png"),
            ],
        )
        presign = body_of(server.requests[0])
        self.assertEqual((presign["folder"], presign["tags"]), ("f", ["t"]))
        self.assertNotIn("metadata", presign)
        self.assertEqual(body_of(server.requests[3]), {"metadata": {"a": "b"}})

    def test_list_objects_filters_and_follows_the_cursor(self) -> None:
        pages = [
            (200, {}, {"items": [{"key": "py/1.png", "size": 1, "url": "u"}], "cursor": "next"}),
            (200, {}, {"items": [{"key": "py/2.png", "size": 1, "url": "u"}]}),
        ]
        with StubServer(pages) as server:
            keys = [
                item["key"]
                for item in client_for(server.url).list_objects(folder="f", recursive=True, tags=["a", "b"])
            ]

        self.assertEqual(keys, ["py/1.png", "py/2.png"])
        self.assertEqual(
            query_of(server.requests[0]), [("folder", "f"), ("recursive", "true"), ("tag", "a"), ("tag", "b")]
        )
        self.assertEqual(query_of(server.requests[1])[-1], ("cursor", "next"))

    def test_update_image_patches_and_stats_asks_one_folder(self) -> None:
        stats = {"images": 2, "bytes": {"served": 1, "originals": 2}, "byContentType": {}, "bySource": {}}
        with StubServer([(200, {}, {**UPLOADED, "tags": ["x"]}), (200, {}, stats)]) as server:
            client = client_for(server.url)
            record = client.update_image("py/ab.png", tags=["x"], filename="cat.png")
            answer = client.stats(folder="users/bob")

        self.assertEqual(record["tags"], ["x"])
        self.assertEqual(answer["images"], 2)
        self.assertEqual(server.requests[0][:2], ("PATCH", "/objects/py/ab.png"))
        self.assertEqual(body_of(server.requests[0]), {"tags": ["x"], "filename": "cat.png"})
        self.assertEqual(server.requests[1][:2], ("GET", "/stats?folder=users%2Fbob"))

    def test_erase_folder_answers_a_small_erase_at_once(self) -> None:
        with StubServer([(200, {}, {"deleted": 4})]) as server:
            answer = client_for(server.url).erase_folder("users/alice@example.com")

        self.assertEqual(answer, {"deleted": 4})
        self.assertEqual(server.requests[0][:2], ("DELETE", "/objects?folder=users%2Falice%40example.com"))

    def test_erase_folder_polls_a_background_erase_until_done(self) -> None:
        answers = [
            (202, {}, {"status": "/erasures/e-1"}),
            (200, {}, {"state": "running", "deleted": 10}),
            (200, {}, {"state": "done", "deleted": 900}),
        ]
        with StubServer(answers) as server:
            answer = client_for(server.url).erase_folder("big", poll_interval=0.01)

        self.assertEqual(answer, {"deleted": 900})
        self.assertEqual([r[1] for r in server.requests[1:]], ["/erasures/e-1", "/erasures/e-1"])

    def test_erase_folder_raises_erasure_pending_when_the_wait_runs_out(self) -> None:
        answers = [(202, {}, {"status": "/erasures/e-2"}), (200, {}, {"state": "running", "deleted": 10})]
        with StubServer(answers) as server:
            with self.assertRaises(ErasurePendingError) as raised:
                client_for(server.url).erase_folder("big", poll_interval=60, timeout=5)

        pending = raised.exception
        self.assertEqual((pending.status_path, pending.deleted_so_far), ("/erasures/e-2", 10))

    def test_erase_folder_refuses_an_empty_folder_before_sending(self) -> None:
        with StubServer([(200, {}, {"deleted": 0})]) as server:
            with self.assertRaises(ValueError):
                client_for(server.url).erase_folder(" ")

        self.assertEqual(server.requests, [])

    def test_the_async_client_sends_the_same(self) -> None:
        async def run(url: str) -> Any:
            client = AsyncClient.wrap(client_for(url))
            await client.upload(PNG, folder="f", tags=["t"])
            await client.update_image("py/ab.png", metadata={"a": "b"})
            await client.stats()
            return await client.erase_folder("f")

        answers = [
            (201, {}, UPLOADED),
            (200, {}, UPLOADED),
            (200, {}, {"images": 0}),
            (200, {}, {"deleted": 1}),
        ]
        with StubServer(answers) as server:
            erased = asyncio.run(run(server.url))

        self.assertEqual(erased, {"deleted": 1})
        self.assertEqual(
            [r[:2] for r in server.requests],
            [
                ("POST", "/uploads"),
                ("PATCH", "/objects/py/ab.png"),
                ("GET", "/stats"),
                ("DELETE", "/objects?folder=f"),
            ],
        )
        self.assertEqual(body_of(server.requests[0])["folder"], "f")


if __name__ == "__main__":
    unittest.main()
