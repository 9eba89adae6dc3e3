"""rendition_url writes the CDN's rendition URLs and refuses what the CDN would refuse (no server)."""

from __future__ import annotations

import unittest

import live_service  # noqa: F401 - puts the package on sys.path
from s3_image_proxy import rendition_url

URL = "https://cdn.example/alice/9f86d081.jpg"


class RenditionUrlTests(unittest.TestCase):
    def test_writes_the_options_in_the_cdns_canonical_order(self) -> None:
        # Act
        url = rendition_url(URL, q=70, format="webp", fit="cover", h=600, w=800)

        # Assess
        self.assertEqual(url, f"{URL}?w=800&h=600&fit=cover&format=webp&q=70")

    def test_writes_each_accepted_combination(self) -> None:
        cases = [
            (dict(w=800), "?w=800"),
            (dict(h=1), "?h=1"),
            (dict(w=256, h=256, fit="contain"), "?w=256&h=256&fit=contain"),
            (dict(format="auto"), "?format=auto"),
            (dict(w=1200, format="avif", q=100), "?w=1200&format=avif&q=100"),
            (dict(fit="anthropic-hires"), "?fit=anthropic-hires"),
            (dict(fit="inside", w=99_999), "?w=99999&fit=inside"),
            (dict(format="png"), "?format=png"),
            (dict(w=None, format="jpeg", q=1), "?format=jpeg&q=1"),
        ]
        for options, query in cases:
            with self.subTest(options=options):
                self.assertEqual(rendition_url(URL, **options), URL + query)

    def test_answers_the_url_itself_without_options(self) -> None:
        self.assertEqual(rendition_url(URL), URL)

    def test_keeps_the_url_as_it_was_given(self) -> None:
        local = "http://127.0.0.1:3000/cdn/local/a%20b.png"

        self.assertEqual(rendition_url(local, w=64), f"{local}?w=64")

    def test_refuses_bad_values_and_combinations_naming_the_option_and_value(self) -> None:
        cases = [
            (dict(w=0), ValueError, r"^w must be a whole number >= 1, got 0$"),
            (dict(h=-64), ValueError, r"^h must be a whole number >= 1, got -64$"),
            (dict(w=800.0), TypeError, r"^w must be an int, got 800\.0$"),
            (dict(w="800"), TypeError, r"^w must be an int, got '800'$"),
            (dict(h=True), TypeError, r"^h must be an int, got True$"),
            (dict(format="webp", q=0), ValueError, r"^q must be a whole number 1-100, got 0$"),
            (dict(q=101), ValueError, r"^q must be a whole number 1-100, got 101$"),
            (dict(format="png", q=80), ValueError, r"^q=80 cannot be combined with format=png"),
            (dict(fit="fill"), ValueError, r"^fit must be one of inside, cover, contain, universal, .* got 'fill'$"),
            (dict(fit="COVER"), ValueError, r"fit .* got 'COVER'"),
            (dict(fit=3), TypeError, r"^fit must be a str, got 3$"),
            (dict(format="svg"), ValueError, r"^format must be one of jpeg, png, webp, avif, auto, got 'svg'$"),
            (dict(fit="anthropic", w=800), ValueError, r"^fit=anthropic is a model profile .* got w=800$"),
            (dict(fit="openai", format="webp", q=50), ValueError, r"got format=webp, q=50$"),
            (dict(fit="cover", w=256), ValueError, r"^fit=cover needs both w and h, got w=256, h=none$"),
            (dict(fit="contain", h=256), ValueError, r"^fit=contain needs both w and h, got w=none, h=256$"),
        ]
        for options, kind, message in cases:
            with self.subTest(options=options), self.assertRaisesRegex(kind, message):
                rendition_url(URL, **options)

    def test_refuses_an_unknown_option_and_positional_options(self) -> None:
        with self.assertRaises(TypeError):
            rendition_url(URL, width=800)  # type: ignore[call-arg]
        with self.assertRaises(TypeError):
            rendition_url(URL, 800)  # type: ignore[misc]

    def test_refuses_a_url_that_already_has_a_query_string_or_fragment(self) -> None:
        for url in (f"{URL}?w=800", f"{URL}?", f"{URL}#top", f"{URL}?X-Amz-Signature=abc"):
            with self.subTest(url=url), self.assertRaisesRegex(ValueError, "no query string or fragment"):
                rendition_url(url, w=64)

    def test_refuses_an_empty_url(self) -> None:
        with self.assertRaisesRegex(TypeError, "url must be a non-empty string"):
            rendition_url("", w=64)


if __name__ == "__main__":
    unittest.main()
