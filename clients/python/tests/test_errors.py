"""Service error codes become typed exceptions."""

from __future__ import annotations

import unittest

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
from s3_image_proxy.errors import ConnectionFailedError, error_class_for, error_for


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
        ]
        for error, retryable in cases:
            with self.subTest(code=error.code, status=error.status):
                self.assertIs(error.retryable, retryable)


if __name__ == "__main__":
    unittest.main()
