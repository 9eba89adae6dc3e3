"""Back-off with full jitter, Retry-After parsing, time budgets."""

from __future__ import annotations

import email.utils
import math
import unittest

import live_service  # noqa: F401 - puts the package on sys.path
from s3_image_proxy import RetryPolicy
from s3_image_proxy.media import content_type_of_image_type, sniff_content_type
from s3_image_proxy.retry import Deadline, parse_retry_after
from png_images import solid_png


class BackoffTests(unittest.TestCase):
    def test_full_jitter_draws_below_a_cap_that_doubles_per_retry_up_to_the_maximum(self) -> None:
        policy = RetryPolicy(base_delay_seconds=0.5, max_delay_seconds=4.0)
        caps = [policy.backoff_seconds(retry, lambda: 1.0) for retry in range(6)]

        self.assertEqual(caps, [0.5, 1.0, 2.0, 4.0, 4.0, 4.0])
        self.assertEqual(policy.backoff_seconds(3, lambda: 0.25), 1.0)
        self.assertEqual(policy.backoff_seconds(3, lambda: 0.0), 0.0)

    def test_never_waits_less_than_retry_after(self) -> None:
        policy = RetryPolicy(base_delay_seconds=0.5, max_delay_seconds=4.0)

        self.assertEqual(policy.delay_seconds(0, 2.0, lambda: 0.9), 2.0)
        self.assertEqual(policy.delay_seconds(3, 1.0, lambda: 0.5), 2.0)
        self.assertEqual(policy.delay_seconds(0, None, lambda: 0.5), 0.25)

    def test_refuses_settings_that_cannot_work(self) -> None:
        with self.assertRaisesRegex(ValueError, "max_attempts"):
            RetryPolicy(max_attempts=0)
        with self.assertRaisesRegex(ValueError, "base_delay_seconds"):
            RetryPolicy(base_delay_seconds=5, max_delay_seconds=1)


class RetryAfterTests(unittest.TestCase):
    def test_reads_seconds_and_http_dates(self) -> None:
        now = 1_800_000_000.0
        in_three_seconds = email.utils.formatdate(now + 3, usegmt=True)

        self.assertEqual(parse_retry_after("2"), 2.0)
        self.assertEqual(parse_retry_after(" 10 "), 10.0)
        self.assertAlmostEqual(parse_retry_after(in_three_seconds, now=lambda: now) or 0, 3.0)
        a_minute_ago = email.utils.formatdate(now - 60, usegmt=True)
        self.assertEqual(parse_retry_after(a_minute_ago, now=lambda: now), 0.0)

    def test_ignores_a_missing_or_unreadable_header(self) -> None:
        for value in (None, "", "soon", "-1", "1.5e9"):
            with self.subTest(value=value):
                self.assertIsNone(parse_retry_after(value))


class DeadlineTests(unittest.TestCase):
    def test_counts_down_on_the_given_clock_and_caps_to_the_earlier_end(self) -> None:
        now = [100.0]
        deadline = Deadline(10, lambda: now[0])
        now[0] = 104.0

        self.assertEqual(deadline.remaining(), 6.0)
        self.assertEqual(deadline.capped(2).remaining(), 2.0)
        self.assertEqual(deadline.capped(60).remaining(), 6.0)
        self.assertEqual(Deadline(None, lambda: 0.0).remaining(), math.inf)

    def test_a_deadline_capped_after_its_end_has_no_time_left(self) -> None:
        now = [100.0]
        deadline = Deadline(1, lambda: now[0])
        now[0] = 105.0

        capped = deadline.capped(30)

        self.assertEqual((capped.remaining(), capped.seconds), (0.0, 0.0))


class ContentTypeTests(unittest.TestCase):
    def test_reads_the_type_from_magic_numbers_as_the_service_does(self) -> None:
        cases = {
            "image/png": solid_png(),
            "image/jpeg": b"\xff\xd8\xff\xe0" + b"\x00" * 20,
            "image/gif": b"GIF89a" + b"\x00" * 20,
            "image/webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
            "image/heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
            "image/avif": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
            "image/heif": b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1miaf",
            "video/mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2",
        }
        for expected, head in cases.items():
            with self.subTest(expected=expected):
                self.assertEqual(sniff_content_type(head), expected)

    def test_answers_none_for_what_the_service_refuses(self) -> None:
        refused = (b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"RIFF\x00\x00\x00\x00WAVEfmt ", b"BM", b"")
        for head in refused:
            with self.subTest(head=head[:12]):
                self.assertIsNone(sniff_content_type(head))

    def test_maps_image_types_and_mime_types(self) -> None:
        self.assertEqual(content_type_of_image_type("jpg"), "image/jpeg")
        self.assertEqual(content_type_of_image_type("Image/PNG"), "image/png")
        self.assertEqual(content_type_of_image_type("mp4"), "video/mp4")
        self.assertIsNone(content_type_of_image_type("svg"))


if __name__ == "__main__":
    unittest.main()
