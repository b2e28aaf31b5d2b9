"""Heuristic detectors (detection/heuristics.py) and their wiring through packs and the engine."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aimds_middleware import Guard
from aimds_middleware.detection.heuristics import WINDOW, noise_tail
from aimds_middleware.detection.signatures import fold, load_packs, rule_matches

# written for these tests in the style of optimisation-found suffixes, not taken from any corpus
PROSE = "Explain how the old mill turned grain into flour for the village"
NOISE = "]( yes giving**two {[/ describing.\\ + similarly `{ opposite]] ({ tab"


def test_noise_after_prose_is_found_and_spans_the_noise() -> None:
    text = f"{PROSE} {NOISE}"
    span = noise_tail(text)
    assert span is not None
    assert text[span[0]:span[1]] == NOISE
    # on the last line of a longer text, offsets still point into the whole text
    longer = "Some context first.\nAnother line.\n" + text
    a, b = noise_tail(longer)
    assert longer[a:b] == NOISE


def test_plain_prose_and_short_requests_are_not_noise() -> None:
    assert noise_tail(PROSE) is None
    assert noise_tail("") is None
    assert noise_tail(NOISE) is None  # no prose before it: nothing was appended to a request
    assert noise_tail(f"Summarise this {NOISE}") is None  # fewer than five words of prose


def test_benign_bracket_dense_lines_are_not_noise() -> None:
    benign = [
        f"{PROSE} see [the docs](https://example.com/a) and [b](https://example.com/b) and [c](https://x.io/c) {{now}}",
        f"{PROSE} {{'message': 'hello', 'items': [1, 2], 'ok': true, 'next': {{'a': [3]}}}}",
        f"{PROSE}\n```\nx = {{k: v[0] for k, v in d.items()}} | {{[1]}} <> $a ^ b\n```",
        f"{PROSE} | col a | col b | col c | col d | col e |",
        f"{PROSE} ``int_kinds[-1]`` and ``{{x}}`` are [literal] <values> here",
    ]
    for text in benign:
        assert noise_tail(text) is None, text


def test_only_the_window_at_the_end_is_read() -> None:
    text = f"{PROSE} {NOISE}" + "\n" + "plain words " * (WINDOW // 6)
    assert noise_tail(text) is None  # the noise sits before the last WINDOW characters
    assert noise_tail("x" * (10 * WINDOW) + "\n" + f"{PROSE} {NOISE}") is not None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_spans_are_inside_the_text(text: str) -> None:
    span = noise_tail(text)
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(text)


def test_pack_rule_is_a_heuristic_and_matches_its_examples() -> None:
    rule = load_packs().by_id["suffix.any.noise-tail"]
    assert rule.kind == "heuristic" and rule.pattern == "noise_tail"
    assert rule_matches(rule, fold(f"{PROSE} {NOISE}"))
    assert not rule_matches(rule, fold(PROSE))


def test_guard_reports_the_heuristic_with_a_span_on_the_original_text() -> None:
    text = f"{PROSE} {NOISE}"
    verdict = Guard().inspect(text)
    hit = next(t for t in verdict.threats if t.rule_id == "suffix.any.noise-tail")
    assert hit.detector == "heuristic"
    assert text[hit.span[0]:hit.span[1]] == NOISE
    assert not any(t.rule_id == "suffix.any.noise-tail" for t in Guard().inspect(PROSE).threats)


def test_extra_pack_can_name_a_shipped_heuristic(tmp_path: Path) -> None:
    rule = {"id": "custom.any.noise", "category": "adversarial_suffix", "severity": "low", "lang": "any",
            "kind": "heuristic", "pattern": "noise_tail", "examples": [f"{PROSE} {NOISE}"],
            "counter_examples": [PROSE]}
    doc = {"pack": "custom", "version": "2026.11.0", "licence": "Apache-2.0", "provenance": "tests", "rules": [rule]}
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    s = load_packs(extra_paths=[path])
    assert [r.id for r in s.heuristics] == ["suffix.any.noise-tail", "custom.any.noise"]
