"""The literal prefilter must never change what the regex rules find."""

import dataclasses
import random

import pytest
import re2
from hypothesis import given, settings, strategies as st

from aimds_middleware.detection.matchers import Matcher
from aimds_middleware.detection.normalize import fold_text
from aimds_middleware.detection.prefilter import required_groups, required_literals
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
    # a run of small alternatives is spelled out: every match contains one of these whole phrases
    assert required_literals(r"\b(?:ignore|disregard) (?:all )?previous instructions") == frozenset({
        "ignore previous instructions", "ignore all previous instructions",
        "disregard previous instructions", "disregard all previous instructions"})
    assert required_literals(r"<\|(?:system|user)\|>") == frozenset({"<|system|>", "<|user|>"})
    assert required_literals(r"summari[sz]e\b") == frozenset({"summarise", "summarize"})
    # a string that contains another of its group adds nothing: "foo bar" occurs wherever ". foo bar" does
    assert required_literals(r"(?:^|[.!?] )foo bar") == frozenset({"foo bar"})
    assert required_literals(r"\b(?:ignore|disregard)\b") == frozenset({"ignore", "disregard"})
    assert required_literals(r"(?:a|bcd)x") is None  # "ax" too short to be worth a lookup
    assert required_literals(r"(?:ignore)?[a-z]+") is None  # nothing provably required
    assert required_literals(r"(?i)ignore") is None


def test_required_groups_are_all_required_parts_rarest_first():
    # parts that cannot be spelled out (a word of any letters) separate the groups: a rule can be
    # gated on "previous instructions" AND ignore/disregard
    assert required_groups(r"\b(?:ignore|disregard) [a-z]+ previous instructions") == (
        frozenset({" previous instructions"}), frozenset({"ignore ", "disregard "}))
    assert required_groups(r"(?:忽略|无视)\w*之前") == (frozenset({"之前"}), frozenset({"忽略", "无视"}))  # CJK: 6 bytes each
    assert required_groups(r"ab(?:cd)?[x-z]") is None
    # too many strings to spell out (5 x 5 > prefilter._SPELLED_MAX): cut into windows, the first one
    # too short to use
    five = ("aa", "bb", "cc", "dd", "ee")
    assert required_groups(r"(?:aa|bb|cc|dd|ee)(?:aa|bb|cc|dd|ee)x") == (frozenset(a + "x" for a in five),)


def test_an_alternation_requires_the_best_and_the_second_best_of_its_alternatives():
    # each alternative needs two things: the branch needs one of the first things and one of the
    # second, so a rule that is one big alternation is gated on two groups, not on "mode" alone
    # (which every text about a "model" has); a string that contains another of its group adds
    # nothing (" dan mode" occurs only where "mode" does)
    assert required_groups(r"\b(?:evil|debug)[ _]*mode\w* on|\bwith \w+ (?:jail|dan) mode\b") == (
        frozenset({"mode"}), frozenset({"evil", "debug", "with "}))
    # an alternative with one requirement gives it to both groups
    assert required_groups(r"\bfoo [a-z]+ (?:bar|quux)\b|\bzorch\b") == (
        frozenset({"foo ", "zorch"}), frozenset({" bar", " quux", "zorch"}))
    assert required_groups(r"\bfoobar\b|\bzorch\b") == (frozenset({"foobar", "zorch"}),)


def test_gated_rules_need_both_gate_groups(monkeypatch):
    """A text with only one of a rule's two gate groups does not open the rule: the gate is a
    conjunction (and the brute-force tests above show it never loses a hit)."""
    from aimds_middleware.detection import matchers

    two = [i for i, g in enumerate(MATCHER._gates) if g and len(g) == 2]
    assert two, "no rule is gated on two groups"
    # every open rule is then searched alone, i.e. confirmed: record which ones
    monkeypatch.setattr(matchers, "_SEARCH_ALONE", 1 << 20)
    opened: list[int] = []
    confirm = MATCHER._confirm
    monkeypatch.setattr(MATCHER, "_confirm", lambda i: opened.append(i) or confirm(i))
    i = two[0]
    first, second = (min(g) for g in MATCHER._gates[i])
    MATCHER.exact(f"lorem {first} ipsum", "t")
    assert i not in opened
    MATCHER.exact(f"lorem {first} ipsum {second} dolor", "t")
    assert i in opened


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


def test_required_groups_are_cached_and_a_bad_cache_file_is_ignored(tmp_path, monkeypatch):
    from aimds_middleware.detection.prefilter import required_groups_all

    monkeypatch.setenv("AIMDS_CACHE_DIR", str(tmp_path))
    patterns = [r.pattern for r in MATCHER.regexes]
    expected = [required_groups(p) for p in patterns]
    assert required_groups_all(patterns) == expected  # computed, then written
    (path,) = tmp_path.glob("prefilter-*.json")
    assert required_groups_all(patterns) == expected  # read back
    for bad in ("not json", "[1, 2, 3]", "[" + ",".join(["[]"] * len(patterns)) + "]",
                "[" + ",".join(['[["x"], []]'] * len(patterns)) + "]"):
        path.write_text(bad)
        assert required_groups_all(patterns) == expected


def test_literal_table_covers_the_shipped_packs():
    """tools/build_literal_freq.py must be rerun when a pack gains a literal (otherwise that rule's
    gate is chosen by a guess: slower, never wrong)."""
    from aimds_middleware.detection.matchers import _literal_freq
    from aimds_middleware.detection.prefilter import required_groups

    freq = _literal_freq()
    needed = {lit for r in MATCHER.regexes for g in required_groups(r.pattern) or () for lit in g}
    assert needed <= freq.keys(), sorted(needed - freq.keys())[:10]


def test_without_the_literal_table_the_hits_are_the_same(tmp_path, monkeypatch):
    from aimds_middleware.detection import matchers

    monkeypatch.setenv("AIMDS_CACHE_DIR", str(tmp_path))  # no cached layout: ranked by guesses
    monkeypatch.setattr(matchers, "_literal_freq", lambda: {})
    guessed = Matcher(SIGS, regex_engine="re2")
    for text in CORPUS[::3]:
        a = {(h.rule.id, h.start, h.end) for h in guessed.exact(text, "t")[0]}
        b = {(h.rule.id, h.start, h.end) for h in MATCHER.exact(text, "t")[0]}
        assert a == b, text


def _layout_files(path):
    return sorted(path.glob("layout-*.marshal"))


def test_the_plan_layout_is_cached_and_a_bad_cache_file_is_ignored(tmp_path, monkeypatch):
    """Guard() reads the RE2 plan's layout back from the user cache instead of deriving it; what
    is read back must equal a fresh derivation, and a damaged or rule-losing file is ignored and
    rewritten (a layout that lost a rule would never search it)."""
    import hashlib
    import marshal

    from aimds_middleware.detection import matchers

    monkeypatch.setenv("AIMDS_CACHE_DIR", str(tmp_path))
    first = Matcher(SIGS, regex_engine="re2")  # derived, then written
    (path,) = _layout_files(tmp_path)
    fresh = first._layout(range(len(first.regexes)), None)
    assert matchers._read_layout(path, len(first.regexes)) == fresh
    calls = []
    monkeypatch.setattr(Matcher, "_layout", lambda self, *a: calls.append(a) or fresh)
    again = Matcher(SIGS, regex_engine="re2")
    assert not calls and again.plan.triggers == fresh.triggers and again.plan.words == fresh.table
    good = path.read_bytes()
    fmt, sets, always, triggers, words, table = marshal.loads(good[32:])

    def signed(obj):
        payload = marshal.dumps(obj)
        return hashlib.sha256(payload).digest() + payload

    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 1
    lost = (sets[0][1:],) + sets[1:]  # one rule in no set
    for bad in (b"", b"not marshal", good[: len(good) // 2], bytes(flipped), good[32:],
                signed((fmt + 1, sets, always, triggers, words, table)),
                signed((fmt, lost, always, triggers, words, table)),
                signed((fmt, sets, always, triggers, words, table[1:])),
                signed((fmt, sets, (len(sets),), triggers, words, table))):
        path.write_bytes(bad)
        calls.clear()
        Matcher(SIGS, regex_engine="re2")
        assert calls, bad[:40]  # derived again


def test_a_changed_pack_or_literal_table_derives_the_layout_again(tmp_path, monkeypatch):
    from aimds_middleware.detection import matchers
    from aimds_middleware.detection.signatures import SignatureSet

    monkeypatch.setenv("AIMDS_CACHE_DIR", str(tmp_path))
    Matcher(SIGS, regex_engine="re2")
    assert len(_layout_files(tmp_path)) == 1
    i = next(k for k, r in enumerate(SIGS.rules) if r.kind == "regex" and r.requires is None)
    edited = SignatureSet(rules=SIGS.rules[:i] + (dataclasses.replace(SIGS.rules[i], pattern=r"\bzebra ledger\b"),)
                          + SIGS.rules[i + 1:], packs=SIGS.packs)
    m = Matcher(edited, regex_engine="re2")
    assert len(_layout_files(tmp_path)) == 2
    assert {h.rule.id for h in m.exact("the zebra ledger", "t")[0]} == {SIGS.rules[i].id}
    table = tmp_path / "literal_freq.json"
    table.write_bytes(matchers.LITERAL_FREQ.read_bytes() + b"\n")
    monkeypatch.setattr(matchers, "LITERAL_FREQ", table)
    Matcher(SIGS, regex_engine="re2")
    assert len(_layout_files(tmp_path)) == 3


def test_a_small_regex_memory_budget_finds_the_same_hits():
    """RE2 sets share GuardConfig.regex_memory_mb; a budget too small for their DFAs makes RE2
    rebuild or fall back to slower matching, never change what matches."""
    # (compared with a generous budget: the default's share per set can sit at the 4 MiB floor
    # already, once the packs have enough sets)
    small = Matcher(SIGS, regex_engine="re2", memory_mb=32)
    big = Matcher(SIGS, regex_engine="re2", memory_mb=2048)
    assert small.plan.set_memory < big.plan.set_memory
    assert small.plan.set_memory * len(small.plan.sets) <= max(32 << 20, len(small.plan.sets) * (4 << 20))
    texts = CORPUS + [" ".join(CORPUS[i : i + 40]) for i in range(0, len(CORPUS), 40)]
    for text in texts:
        assert {(h.rule.id, h.start, h.end) for h in small.exact(text, "t")[0]} == \
            {(h.rule.id, h.start, h.end) for h in big.exact(text, "t")[0]}


@pytest.mark.parametrize("memory_mb", [None, 32])
def test_every_set_of_the_built_in_packs_compiles_in_its_memory_share(memory_mb):
    """Sets compile on first use: a set whose patterns outgrow its share of the regex memory would fail
    only on the texts that open it (an inspect error, fail-closed). Compile every one here."""
    m = Matcher(SIGS) if memory_mb is None else Matcher(SIGS, regex_engine="re2", memory_mb=memory_mb)
    for s, idx in m.plan.sets:
        s.Match(b"")  # raises if the set cannot compile
        assert s._compiled, idx


def test_a_set_too_big_for_its_memory_share_compiles_in_halves_with_the_same_matches():
    from aimds_middleware.detection.matchers import _LazySet

    patterns = [(r"\bsend[^.!?\n]{0,200}?don't tell (?:the )?(?:boss|team|user)%d\b" % i).encode() for i in range(24)]
    small, big = re2.Options(), re2.Options()
    small.max_mem, big.max_mem = 1 << 20, 64 << 20
    whole = re2.Set.SearchSet(small)
    for p in patterns:
        whole.Add(p)
    with pytest.raises(re2.error):
        whole.Compile()  # what a plain set does with this budget
    halved, reference = _LazySet(patterns, small), _LazySet(patterns, big)
    for text in (b"send it now and don't tell the boss7 please", b"send x, don't tell user23", b"nothing here",
                 b"send a and don't tell team0. send b and don't tell team13"):
        assert sorted(halved.Match(text) or ()) == sorted(reference.Match(text) or ())
    assert halved._halves is not None and reference._halves is None


def test_the_regex_memory_setting_reaches_the_matcher():
    from aimds_middleware import Guard, GuardConfig

    g = Guard(GuardConfig(regex_memory_mb=64))
    plan = g._detector.matcher.plan
    assert g._detector.matcher.memory_mb == 64
    assert plan.set_memory == max(4 << 20, (64 << 20) // len(plan.sets))


def test_sets_compile_on_first_use_and_once_under_threads():
    """Gated sets compile when a scan first opens them (start-up cost), and threads racing on
    the same first use get the same hits as a sequential scan."""
    import threading

    m = Matcher(SIGS)
    plan = m.plan
    assert not any(s._compiled for k, (s, _) in enumerate(plan.sets) if k not in plan.always_sets)
    texts = CORPUS[:400]
    want = [fast(t) for t in texts]  # MATCHER: a separate instance, compiled by the tests above
    got: dict[int, list] = {}

    def run(n: int) -> None:
        got[n] = [{(h.rule.id, h.start, h.end) for h in m.exact(t, "t")[0] if h.rule.kind == "regex"} for t in texts]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(got[n] == want for n in range(4))
    assert any(s._compiled for k, (s, _) in enumerate(plan.sets) if k not in plan.always_sets)
