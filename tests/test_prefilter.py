"""The literal prefilter must never change what the regex rules find."""

import random

import re2
from hypothesis import given, settings, strategies as st

from aimds_middleware.detection.matchers import Matcher
from aimds_middleware.detection.normalize import fold_text
from aimds_middleware.detection.prefilter import required_literals
from aimds_middleware.detection.signatures import load_packs

SIGS = load_packs()
MATCHER = Matcher(SIGS)
BRUTE = [re2.compile(r.pattern) for r in MATCHER.regexes]
CORPUS = [fold_text(e) for r in SIGS.rules for e in (*r.examples, *r.counter_examples)]


def brute(text):
    out = set()
    for r, c in zip(MATCHER.regexes, BRUTE):
        m = c.search(text)
        if m:
            out.add((r.id, m.start(), m.end()))
    return out


def fast(text):
    return {(h.rule.id, h.start, h.end) for h in MATCHER.exact(text, "t")[0] if h.rule.kind == "regex"}


def test_required_literals_examples():
    assert required_literals(r"\b(?:ignore|disregard) (?:all )?previous instructions") == frozenset({"previous instructions"})
    assert required_literals(r"\b(?:ignore|disregard)\b") == frozenset({"ignore", "disregard"})
    assert required_literals(r"(?:a|bcd)x") is None  # "a"/"x" too short to be worth a lookup
    assert required_literals(r"(?:ignore)?[a-z]+") is None  # nothing provably required
    assert required_literals(r"(?i)ignore") is None


def test_prefilter_matches_brute_force_on_every_example():
    for text in CORPUS:
        assert fast(text) == brute(text), text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(CORPUS), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_prefilter_matches_brute_force_on_mixtures(parts, rnd: random.Random):
    words = " ".join(parts).split(" ")
    rnd.shuffle(words) if rnd.random() < 0.5 else None
    text = " ".join(words)
    assert fast(text) == brute(text)


def test_required_literals_are_cached_and_a_bad_cache_file_is_ignored(tmp_path, monkeypatch):
    from aimds_middleware.detection.prefilter import required_literals_all

    monkeypatch.setenv("AIMDS_CACHE_DIR", str(tmp_path))
    patterns = [r.pattern for r in MATCHER.regexes]
    expected = [required_literals(p) for p in patterns]
    assert required_literals_all(patterns) == expected  # computed, then written
    (path,) = tmp_path.glob("prefilter-*.json")
    assert required_literals_all(patterns) == expected  # read back
    for bad in ("not json", "[1, 2, 3]", "[" + ",".join(["[]"] * len(patterns)) + "]"):
        path.write_text(bad)
        assert required_literals_all(patterns) == expected
