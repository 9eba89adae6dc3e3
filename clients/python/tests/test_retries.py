"""Retries against a scripted server: which answers are retried, how long the client waits."""

from __future__ import annotations

import unittest
from typing import List

import live_service  # noqa: F401 - puts the package on sys.path
from s3_image_proxy import (
    Client,
    InvalidImageError,
    QuotaExceededError,
    RetryPolicy,
    StorageUnavailableError,
    ThrottledError,
)
from s3_image_proxy.errors import ConnectionFailedError, RequestTimeoutError, UnexpectedResponseError
from stub_server import SilentListener, StubServer, free_port

UPLOADED = {"url": "http://cdn.test/py/ab.png", "key": "py/ab.png"}


def error(code: str, message: str = "try later") -> dict:
    return {"error": code, "message": message, "requestId": f"req-{code.lower()}"}


class RecordingSleep:
    """Stands in for ``time.sleep``: records each wait instead of spending it."""

    def __init__(self) -> None:
        self.waits: List[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client_for(url: str, sleep: RecordingSleep, **options: object) -> Client:
    options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay_seconds=0.1, max_delay_seconds=8))
    return Client(url, "key-stub", sleep=sleep, random=lambda: 0.5, **options)  # type: ignore[arg-type]


class RetryTests(unittest.TestCase):
    def test_retries_503_and_502_after_their_retry_after_and_answers_the_upload(self) -> None:
        # Prepare
        sleep = RecordingSleep()
        answers = [
            (503, {"retry-after": "2"}, error("STORAGE_UNAVAILABLE")),
            (502, {"retry-after": "1"}, error("STORAGE_UNAVAILABLE")),
            (201, {}, UPLOADED),
        ]

        # Act
        with StubServer(answers) as server:
            answer = client_for(server.url, sleep).upload(b"\x89PNG\r\n\x1a\n")

        # Assess
        self.assertEqual(answer["url"], UPLOADED["url"])
        self.assertEqual(len(server.requests), 3)
        self.assertEqual(sleep.waits, [2.0, 1.0])

    def test_retries_429_with_the_jittered_back_off_when_it_outgrows_retry_after(self) -> None:
        sleep = RecordingSleep()
        answers = [(429, {"retry-after": "1"}, error("THROTTLED"))] * 4 + [(201, {}, UPLOADED)]
        policy = RetryPolicy(max_attempts=5, base_delay_seconds=1.0, max_delay_seconds=8)

        with StubServer(answers) as server:
            client_for(server.url, sleep, retry=policy).upload(b"png")

        # random() is 0.5: half of 1, 2, 4, 8 seconds, never less than Retry-After's 1.
        self.assertEqual(sleep.waits, [1.0, 1.0, 2.0, 4.0])

    def test_raises_the_last_error_once_the_attempts_are_spent(self) -> None:
        sleep = RecordingSleep()

        with StubServer([(429, {"retry-after": "1"}, error("THROTTLED"))]) as server:
            with self.assertRaises(ThrottledError) as raised:
                client_for(server.url, sleep).list_page()

        self.assertEqual(len(server.requests), 4)
        self.assertEqual(len(sleep.waits), 3)
        self.assertEqual(
            (raised.exception.status, raised.exception.retry_after, raised.exception.request_id),
            (429, 1.0, "req-throttled"),
        )

    def test_does_not_retry_errors_that_would_answer_the_same(self) -> None:
        cases = [
            (422, {}, error("INVALID_IMAGE", "the decoder cannot read it"), InvalidImageError),
            (429, {}, error("QUOTA_EXCEEDED", "used up"), QuotaExceededError),
            (500, {}, error("INTERNAL_ERROR", "internal error"), Exception),
        ]
        for status, headers, body, expected in cases:
            with self.subTest(code=body["error"]):
                sleep = RecordingSleep()
                with StubServer([(status, headers, body)]) as server:
                    with self.assertRaises(expected):
                        client_for(server.url, sleep).upload(b"png")
                self.assertEqual((len(server.requests), sleep.waits), (1, []))

    def test_raises_at_once_when_retry_after_is_longer_than_the_longest_back_off(self) -> None:
        sleep = RecordingSleep()

        with StubServer([(503, {"retry-after": "120"}, error("STORAGE_UNAVAILABLE"))]) as server:
            with self.assertRaises(StorageUnavailableError) as raised:
                client_for(server.url, sleep).info("py/ab.png")

        self.assertEqual((len(server.requests), sleep.waits, raised.exception.retry_after), (1, [], 120.0))

    def test_gives_up_before_a_wait_that_would_outlast_the_call_timeout(self) -> None:
        sleep = RecordingSleep()

        with StubServer([(503, {"retry-after": "5"}, error("STORAGE_UNAVAILABLE"))]) as server:
            with self.assertRaises(StorageUnavailableError):
                client_for(server.url, sleep).info("py/ab.png", timeout=3)

        self.assertEqual((len(server.requests), sleep.waits), (1, []))

    def test_an_answer_that_is_not_the_services_json_is_an_unexpected_response(self) -> None:
        sleep = RecordingSleep()

        with StubServer([(502, {"content-type": "text/html"}, None)]) as server:
            with self.assertRaises(UnexpectedResponseError) as raised:
                client_for(server.url, sleep).info("py/ab.png")

        self.assertEqual(raised.exception.status, 502)
        self.assertEqual(len(server.requests), 4)

    def test_sends_the_api_key_and_a_json_body(self) -> None:
        with StubServer([(201, {}, UPLOADED)]) as server:
            client_for(server.url, RecordingSleep()).upload(b"png", fit="openai", image_type="png")

        method, path, headers, body = server.requests[0]
        self.assertEqual((method, path), ("POST", "/uploads"))
        self.assertEqual(headers["x-api-key"], "key-stub")
        self.assertEqual(body, b'{"image":"cG5n","imageType":"png","fit":"openai"}')


class NoAnswerTests(unittest.TestCase):
    def test_a_refused_connection_is_retried_then_raised_as_connection_failed(self) -> None:
        sleep = RecordingSleep()
        client = client_for(f"http://127.0.0.1:{free_port()}", sleep)

        with self.assertRaises(ConnectionFailedError) as raised:
            client.list_page()

        self.assertIsNone(raised.exception.status)
        self.assertEqual(len(sleep.waits), 3)

    def test_a_server_that_never_answers_times_out_per_attempt(self) -> None:
        sleep = RecordingSleep()

        with SilentListener() as hung:
            client = client_for(hung.url, sleep, request_timeout=0.2, retry=RetryPolicy(max_attempts=2))
            with self.assertRaises(RequestTimeoutError):
                client.list_page()

        self.assertEqual(len(sleep.waits), 1)


if __name__ == "__main__":
    unittest.main()
