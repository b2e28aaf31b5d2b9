"""RE2 on any str: lone surrogates are replaced one-for-one, so spans stay spans of the caller's text."""

import re2

from aimds_middleware.detection.re2util import re2_safe, re2_search


def test_search_spans_point_into_the_original_text() -> None:
    rx = re2.compile("ignore")
    for text in ("please ignore this", "\ud800 please \udfff ignore this"):
        m = re2_search(rx, text)
        assert m is not None and text[m.start():m.end()] == "ignore"
    assert re2_search(rx, "\ud800 nothing here") is None


def test_safe_keeps_length_and_leaves_valid_text_alone() -> None:
    text = "a\ud800b\udfffc"
    safe = re2_safe(text)
    assert len(safe) == len(text) and safe == "a\ufffdb\ufffdc"
    valid = "déjà vu ✓"
    assert re2_safe(valid) is valid
