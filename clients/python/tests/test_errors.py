"""Service error codes become typed exceptions."""

from __future__ import annotations

import json
import unittest
from pathlib import Path

import live_service  # noqa: F401 - puts the package on sys.path
from s3_image_proxy import (
    ClipNotCleanableError,
    ForbiddenError,
    InvalidImageError,
    QuotaExceededError,
    S3ImageProxyError,
    ServerBusyError,
    StorageUnavailableError,
    ThrottledError,
    UnknownProfileError,
    UnsupportedMediaTypeError,
)
from s3_image_proxy.errors import ConnectionFailedError, SourceUnavailableError, error_class_for, error_for

OPENAPI = Path(__file__).resolve().parents[3] / "openapi" / "openapi.json"


class ErrorForCodeTests(unittest.TestCase):
    def test_maps_each_documented_code_to_its_own_class(self) -> None:
        cases = {
            "FORBIDDEN": ForbiddenError,
            "UNKNOWN_PROFILE": UnknownProfileError,
            "UNSUPPORTED_MEDIA_TYPE": UnsupportedMediaTypeError,
            "INVALID_IMAGE": InvalidImageError,
            "CLIP_NOT_CLEANABLE": ClipNotCleanableError,
            "THROTTLED": ThrottledError,
            "STORAGE_UNAVAILABLE": StorageUnavailableError,
            "SERVER_BUSY": ServerBusyError,
        }
        for code, expected in cases.items():
            with self.subTest(code=code):
                self.assertIs(error_class_for(code), expected)
                self.assertEqual(expected.code, code)

    def test_every_class_is_a_s3_image_proxy_error_carrying_code_message_status_and_request_id(self) -> None:
        # Act
        error = error_for("FORBIDDEN", "a valid x-api-key header is required", status=403, request_id="r-1")

        # Assess
        self.assertIsInstance(error, ForbiddenError)
        self.assertIsInstance(error, S3ImageProxyError)
        self.assertEqual(
            (error.code, error.message, error.status, error.request_id),
            ("FORBIDDEN", "a valid x-api-key header is required", 403, "r-1"),
        )
        self.assertEqual(
            str(error), "FORBIDDEN: a valid x-api-key header is required (status 403, request r-1)"
        )

    def test_an_unknown_code_becomes_the_base_class_with_that_code(self) -> None:
        error = error_for("SOMETHING_NEW", "from a newer service", status=409)

        self.assertIs(type(error), S3ImageProxyError)
        self.assertEqual((error.code, error.status), ("SOMETHING_NEW", 409))

    def test_a_refusal_without_a_status_takes_the_status_its_code_always_has(self) -> None:
        self.assertEqual(error_for("UNSUPPORTED_MEDIA_TYPE", "bytes are an SVG image").status, 415)

    def test_throttling_storage_and_busy_errors_are_retryable_and_others_are_not(self) -> None:
        cases = [
            (error_for("THROTTLED", "", status=429), True),
            (error_for("STORAGE_UNAVAILABLE", "", status=502), True),
            (error_for("STORAGE_UNAVAILABLE", "", status=503), True),
            (error_for("SERVER_BUSY", "", status=503), True),
            (ConnectionFailedError("refused"), True),
            (QuotaExceededError("used up", status=429), False),
            (error_for("INVALID_IMAGE", "", status=422), False),
            (error_for("INTERNAL_ERROR", "", status=500), False),
            # A source that answered 4xx answers the same again; one that did not answer may later.
            (error_for("SOURCE_UNAVAILABLE", "", status=502, source_status=404), False),
            (error_for("SOURCE_UNAVAILABLE", "", status=502, source_status=401), False),
            (error_for("SOURCE_UNAVAILABLE", "", status=502, source_status=503), True),
            (error_for("SOURCE_UNAVAILABLE", "", status=502, source_status=429), True),
            (error_for("SOURCE_UNAVAILABLE", "", status=502), True),
        ]
        for error, retryable in cases:
            with self.subTest(code=error.code, status=error.status):
                self.assertIs(error.retryable, retryable)

    def test_a_source_unavailable_error_carries_what_the_source_answered(self) -> None:
        error = error_for("SOURCE_UNAVAILABLE", "the source answered 404", status=502, source_status=404)

        self.assertIsInstance(error, SourceUnavailableError)
        self.assertEqual((error.status, error.source_status), (502, 404))

    @unittest.skipUnless(OPENAPI.is_file(), "openapi/openapi.json is in the repository, not in the package")
    def test_every_error_code_the_api_documents_has_its_own_class(self) -> None:
        codes = json.loads(OPENAPI.read_text("utf-8"))["components"]["schemas"]["ErrorCode"]["enum"]

        missing = [code for code in codes if error_class_for(code) is S3ImageProxyError]

        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main()
