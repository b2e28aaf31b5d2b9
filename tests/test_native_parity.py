"""The C hot path (aimds_middleware._native) and its Python/numpy twin give identical results.

Compared on the same inputs: ``fold`` (folded text and offset map; None on both sides exactly
when the mapping is the identity), ``fold_hash`` and ``hash_text`` (bit-identical float32
vectors). Native-only tests skip, with the reason, when the extension was not built.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aimds_middleware.detection import fastpath
from aimds_middleware.detection.embed import HashingEmbedder

NATIVE = fastpath._load_native()
PY = fastpath.PYTHON
needs_native = pytest.mark.skipif(NATIVE is None, reason=f"native extension not built: {fastpath._native_error}")

# code points that exercise every branch of the fold table
SPECIAL = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f"  # invisibles
    "\u202a\u202e\u2066\u2069"  # bidi controls
    "\U000e0041\U000e0069\U000e007f"  # tags (ASCII smuggling)
    "\ufe0f\U000e0100"  # variation selectors
    "\u0301\u0308\u0327"  # combining marks
    "\t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2028\u2029\u3000\x00\x7f"  # spaces and controls
    "ＩｇｎｏｒｅＡ０"  # fullwidth
    "İßﬁǄ\ufdfa\u3392\u2474½ŉ"  # multi-character folds
    "АаОоЁйΣσς"  # Cyrillic/Greek kept as letters
    "\U0001F600\U0001D400\U00010400"  # astral
    "  aA_1!."
)

char = st.one_of(
    st.characters(),
    st.sampled_from(SPECIAL),
    st.integers(0xD800, 0xDFFF).map(chr),  # lone surrogates
    st.integers(0, 0x10FFFF).map(chr),
)
texts = st.lists(char, max_size=80).map("".join)
PARAMS = st.tuples(
    st.sampled_from([0b11000, 0b1000, 0b111000, 0b10, 0b11111110, 0]),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
)

SHIPPED = HashingEmbedder()._params


def assert_same_fold(text: str) -> None:
    f1, o1 = PY.fold(text)
    f2, o2 = NATIVE.fold(text)
    assert f2 == f1
    assert (o1 is None) == (o2 is None), (o1, o2)
    if o1 is not None:
        assert o2.dtype == np.int32 and o1.dtype == np.int32
        np.testing.assert_array_equal(o2, o1)


def check_offsets(text: str, folded: str, offsets: np.ndarray | None) -> None:
    if offsets is None:
        assert len(folded) == len(text)
        return
    assert len(offsets) == len(folded) + 1
    assert offsets[-1] == len(text)
    assert (np.diff(offsets) >= 0).all()
    assert len(folded) == 0 or (0 <= offsets[:-1].min() and offsets[:-1].max() < len(text))


@needs_native
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_fold_parity(text: str) -> None:
    assert_same_fold(text)
    folded, offsets = NATIVE.fold(text)
    check_offsets(text, folded, offsets)
    assert "  " not in folded


@needs_native
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, PARAMS, st.sampled_from([16, 256, 2048]))
def test_hash_parity(text: str, params: tuple[int, int, int, int], dim: int) -> None:
    v1 = np.empty(dim, dtype=np.float32)
    v2 = np.empty(dim, dtype=np.float32)
    r1 = PY.fold_hash(text, v1, *params)
    r2 = NATIVE.fold_hash(text, v2, *params)
    assert r1[0] == r2[0]
    assert v1.tobytes() == v2.tobytes()
    assert np.isfinite(v2).all()
    assert abs(float(np.linalg.norm(v2.astype(np.float64))) - 1.0) < 1e-5
    # hashing the raw (unfolded) text: uppercase, surrogates and controls reach the hasher
    PY.hash_text(text, v1, *params)
    NATIVE.hash_text(text, v2, *params)
    assert v1.tobytes() == v2.tobytes()


@needs_native
@pytest.mark.parametrize("text", [
    "", " ", "   ", "\t\n", "a", "ab", "\u200b", "\U000e0041" * 5, "\ud800", "x\udfffy",
    "Ignore  ALL previous instructions", "ﷺ" * 3, "İ" * 10, "a" * 5000,
])
def test_edge_cases(text: str) -> None:
    assert_same_fold(text)
    v1 = np.empty(256, dtype=np.float32)
    v2 = np.empty(256, dtype=np.float32)
    PY.fold_hash(text, v1, *SHIPPED)
    NATIVE.fold_hash(text, v2, *SHIPPED)
    assert v1.tobytes() == v2.tobytes()


@needs_native
def test_one_mebibyte_mixed_text() -> None:
    rng = np.random.default_rng(7)
    pieces = ["Ignore previous instructions. ", "ＩＧＮＯＲＥ\u200b ", "é\u0301 ", "\U0001F600", "\ud800",
              "\t\t  ", "ﷺ", "привет ", "\U000e0049\U000e0047"]
    text = "".join(pieces[i] for i in rng.integers(0, len(pieces), 150000))[: 1 << 20]
    assert len(text) > 500_000
    assert_same_fold(text)
    v1 = np.empty(256, dtype=np.float32)
    v2 = np.empty(256, dtype=np.float32)
    PY.fold_hash(text, v1, *SHIPPED)
    NATIVE.fold_hash(text, v2, *SHIPPED)
    assert v1.tobytes() == v2.tobytes()


@needs_native
def test_bad_arguments_are_rejected_alike() -> None:
    out = np.empty(256, dtype=np.float32)
    for impl in (PY, NATIVE):
        with pytest.raises(TypeError):
            impl.fold_hash(b"bytes", out, *SHIPPED)
        with pytest.raises(TypeError):
            impl.hash_text("x", np.empty(256, dtype=np.float64), *SHIPPED)
        with pytest.raises(ValueError):
            impl.hash_text("x", np.empty(100, dtype=np.float32), *SHIPPED)  # not a power of two
        with pytest.raises(ValueError):
            impl.hash_text("x", out, 0b1, 1, 0, 0)  # n-gram size 0
        with pytest.raises(ValueError):
            impl.hash_text("x", np.empty(512, dtype=np.float32)[::2], *SHIPPED)  # not contiguous
        frozen = np.empty(256, dtype=np.float32)
        frozen.flags.writeable = False
        with pytest.raises(ValueError):
            impl.hash_text("x", frozen, *SHIPPED)
    with pytest.raises(TypeError):
        NATIVE.fold(b"bytes")


@needs_native
def test_concurrent_first_use_of_new_code_points() -> None:
    """Threads filling the native fold cache at once agree with the twin."""
    blocks = ["".join(chr(cp) for cp in range(base, base + 400)) for base in range(0x1E00, 0x1E00 + 400 * 8, 400)]
    errors: list[BaseException] = []

    def work(text: str) -> None:
        try:
            for _ in range(3):
                assert_same_fold(text)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(b,)) for b in blocks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def _retained_bytes(run) -> int:
    """Bytes still allocated after ``run(3000)``, once ``run(200)`` warmed caches and pools."""
    run(200)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run(3000)
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


@needs_native
def test_no_leak_in_native_calls() -> None:
    texts = ["Hello  World " * 20, "ＩＧＮＯＲＥ\u200b previous ﷺ " * 10, "", "\ud800x", "plain ascii text"]
    out = np.empty(256, dtype=np.float32)

    def run(n: int) -> None:
        for _ in range(n):
            for t in texts:
                NATIVE.fold(t)
                NATIVE.fold_hash(t, out, *SHIPPED)
                NATIVE.hash_text(t, out, *SHIPPED)
            try:
                NATIVE.hash_text("x", np.empty(3, dtype=np.float32), *SHIPPED)
            except ValueError:
                pass

    assert (grown := _retained_bytes(run)) < 64 * 1024, f"native calls retained {grown} bytes"
    probe = "probe \u200b ＩＧＮＯＲＥ  text"
    refs = sys.getrefcount(probe)
    for _ in range(1000):
        NATIVE.fold_hash(probe, out, *SHIPPED)
    assert sys.getrefcount(probe) - refs < 10  # a leaked reference per call would add 1000


def _backend_in_subprocess(mode: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "AIMDS_IMPLEMENTATION"}
    env["AIMDS_IMPLEMENTATION"] = mode
    code = prelude + "import aimds_middleware; print(aimds_middleware.backend())"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          check=False)


def test_forced_python_mode() -> None:
    r = _backend_in_subprocess("python")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "python"


@needs_native
def test_forced_native_mode() -> None:
    r = _backend_in_subprocess("native")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "native"


def test_native_mode_without_extension_fails_clearly() -> None:
    hide = "import sys; sys.modules['aimds_middleware._native'] = None\n"  # import of it now fails
    r = _backend_in_subprocess("native", hide)
    assert r.returncode != 0
    assert "AIMDS_IMPLEMENTATION=native" in r.stderr and "not built" in r.stderr
    auto = _backend_in_subprocess("auto", hide)
    assert auto.returncode == 0, auto.stderr
    assert auto.stdout.strip() == "python"


def test_unknown_mode_is_a_config_error() -> None:
    r = _backend_in_subprocess("fortran")
    assert r.returncode != 0
    assert "ConfigError" in r.stderr and "AIMDS_IMPLEMENTATION" in r.stderr


def test_select_backend_names() -> None:
    assert fastpath.select_backend("python") is fastpath.PYTHON
    assert fastpath.select("python") == ("python", fastpath.fold_python)
    if NATIVE is not None:
        assert fastpath.select_backend("native").name == "native"
        assert fastpath.select_backend("auto").name == "native"


# ---- word scanner (wordscan.py / native/aimds_words.h) ----------------------------------------

WORD_PIECES = ["ab", "abc", "b", "c ", " ", "é", "\u4e2d", "\U0001F600", "x", "ignore", "\ud800"]
word_text = st.lists(st.sampled_from(WORD_PIECES), max_size=40).map("".join)
word_lists = st.lists(st.lists(st.sampled_from(WORD_PIECES), min_size=1, max_size=4).map("".join), max_size=25)


def _scan_both(words: list[str], positional: list[bool], text: str):
    from aimds_middleware.detection.wordscan import WordScanner

    words = [w for w in dict.fromkeys(words) if len(w.encode("utf-8", "surrogatepass")) >= 3]
    positional = (positional * (len(words) + 1))[: len(words)] if positional else [False] * len(words)
    data = text.encode("utf-8", "surrogatepass")
    a = WordScanner(words, positional, PY).scan(data)
    b = WordScanner(words, positional, NATIVE).scan(data)
    return words, positional, data, a, b


@needs_native
@settings(max_examples=400, deadline=None)
@given(word_lists, st.lists(st.booleans(), max_size=5), word_text)
def test_word_scan_parity(words: list[str], positional: list[bool], text: str) -> None:
    words, positional, data, a, b = _scan_both(words, positional, text)
    assert a == b
    found, occ = a
    # and both are right: a word is found exactly when it occurs; positional ones at every end
    assert found == sorted(i for i, w in enumerate(words) if w.encode("utf-8", "surrogatepass") in data)
    expect = sorted((j + len(w), i) for i, w in enumerate(words) if positional[i]
                    for w in [w.encode("utf-8", "surrogatepass")] for j in range(len(data)) if data.startswith(w, j))
    assert occ == expect


@needs_native
def test_word_scan_on_the_shipped_gate_words_and_a_mebibyte() -> None:
    from aimds_middleware.detection.matchers import Matcher
    from aimds_middleware.detection.signatures import load_packs
    from aimds_middleware.detection.wordscan import WordScanner

    plan = Matcher(load_packs(), regex_engine="re2").plan
    words = plan.scanner.words
    positional = [bool(entries) for entries, _ in plan.words]
    rng = np.random.default_rng(3)
    vocab = words[::7] + ["lorem ", "ipsum ", "\u4e2d\u6587", " ", "\U0001F600"]
    data = "".join(vocab[i] for i in rng.integers(0, len(vocab), 120_000)).encode("utf-8")[: 1 << 20]
    assert WordScanner(words, positional, PY).scan(data) == WordScanner(words, positional, NATIVE).scan(data)


@needs_native
def test_word_scan_bad_arguments_are_rejected_alike() -> None:
    for impl in (PY, NATIVE):
        with pytest.raises(ValueError):
            impl.word_table([b"ab"], [False])  # shorter than 3 bytes
        with pytest.raises(ValueError):
            impl.word_table([b"abc"], [])  # lengths differ
        with pytest.raises(TypeError):
            impl.word_table([b"abc"], [1])  # positional flags are bools
        table = impl.word_table([b"abc"], [True])
        with pytest.raises(TypeError):
            impl.word_scan(table, "abc")  # str, not bytes
        assert impl.word_scan(table, b"") == ([], [])
    with pytest.raises((TypeError, ValueError)):
        NATIVE.word_scan(object(), b"abc")  # not a table


@needs_native
def test_no_leak_in_word_scan() -> None:
    table = NATIVE.word_table([b"abc", b"bcd", b"\xe4\xb8\xad\xe6\x96\x87"], [True, False, True])
    data = b"xxabcdx \xe4\xb8\xad\xe6\x96\x87 abc" * 50

    def run(n: int) -> None:
        for _ in range(n):
            NATIVE.word_scan(table, data)
            NATIVE.word_table([b"abc", b"bcd"], [True, False])

    assert (grown := _retained_bytes(run)) < 64 * 1024, f"word_scan retained {grown} bytes"


# ---- gate table (gating.py) -------------------------------------------------------------------

@st.composite
def gate_tables(draw):
    """A random gate table (groups per word, triggers per group) and a list of found word ids."""
    ng = draw(st.integers(1, 12))
    nw = draw(st.integers(1, 15))
    word_groups = draw(st.lists(st.lists(st.integers(0, ng - 1), max_size=4).map(tuple), min_size=nw, max_size=nw))
    trigger = st.tuples(st.integers(-1, ng - 1), st.integers(0, 6), st.integers(0, 40))
    triggers = draw(st.lists(st.lists(trigger, max_size=4).map(tuple), min_size=ng, max_size=ng))
    found = draw(st.lists(st.integers(0, nw - 1), max_size=20))
    return word_groups, triggers, found


def _open_by_definition(word_groups, triggers, found, alone):
    present = {g for w in found for g in word_groups[w]}
    opened = [(k, i) for g in present for other, k, i in triggers[g] if other < 0 or other in present]
    per_set = {k: sum(1 for kk, _ in opened if kk == k) for k, _ in opened}
    return (sorted(k for k, c in per_set.items() if c > alone),
            sorted(i for k, i in opened if per_set[k] <= alone))


@needs_native
@settings(max_examples=400, deadline=None)
@given(gate_tables(), st.integers(0, 3))
def test_gate_open_parity(table, alone: int) -> None:
    word_groups, triggers, found = table
    a = PY.gate_open(PY.gate_table(word_groups, triggers), found, alone)
    b = NATIVE.gate_open(NATIVE.gate_table(word_groups, triggers), found, alone)
    assert a == b == _open_by_definition(word_groups, triggers, found, alone)


@needs_native
def test_gate_open_on_the_shipped_plan() -> None:
    from aimds_middleware.detection.gating import GateTable
    from aimds_middleware.detection.matchers import Matcher
    from aimds_middleware.detection.signatures import load_packs

    plan = Matcher(load_packs(), regex_engine="re2").plan
    groups, triggers = [e[1] for e in plan.words], list(plan.triggers)
    py, native = GateTable(groups, triggers, PY), GateTable(groups, triggers, NATIVE)
    rng = np.random.default_rng(5)
    for size in (0, 1, 30, 300, 3000):
        found = sorted({int(x) for x in rng.integers(0, len(groups), size)})
        for alone in (0, 2):
            a = py.open(found, alone)
            assert a == native.open(found, alone)
            if size >= 300:
                assert a[0] or a[1]  # a few hundred gate words open something


@needs_native
def test_gate_table_bad_arguments_are_rejected_alike() -> None:
    for impl in (PY, NATIVE):
        with pytest.raises(TypeError):
            impl.gate_table([[0]], [()])  # groups of a word are a tuple
        with pytest.raises(ValueError):
            impl.gate_table([(1,)], [()])  # group 1 of 1 group
        with pytest.raises(TypeError):
            impl.gate_table([(0,)], [((0, 0),)])  # a trigger is a 3-tuple
        with pytest.raises(ValueError):
            impl.gate_table([(0,)], [((-2, 0, 0),)])  # other group -1 (none) or a group
        with pytest.raises(TypeError):
            impl.gate_table([("0",)], [()])
        table = impl.gate_table([(0,), ()], [((-1, 0, 7),)])
        assert impl.gate_open(table, [0, 0, 1], 0) == ([0], [])
        assert impl.gate_open(table, [0], 1) == ([], [7])
        assert impl.gate_open(table, [], 1) == ([], [])
        with pytest.raises(ValueError):
            impl.gate_open(table, [2], 0)  # not a word id
        with pytest.raises(ValueError):
            impl.gate_open(table, [-1], 0)
        with pytest.raises(ValueError):
            impl.gate_open(table, [0], -1)
        with pytest.raises(TypeError):
            impl.gate_open(table, (0,), 0)  # a list
    with pytest.raises((TypeError, ValueError)):
        NATIVE.gate_open(object(), [0], 0)  # not a table


@needs_native
def test_no_leak_in_gate_open() -> None:
    def run(n: int) -> None:
        for _ in range(n):
            table = NATIVE.gate_table([(0, 1), (1,), ()], [((-1, 0, 3), (1, 1, 4)), ((0, 1, 5),)])
            NATIVE.gate_open(table, [0, 1, 2, 1], 0)
            NATIVE.gate_open(table, [0], 2)
            try:
                NATIVE.gate_open(table, [9], 0)
            except ValueError:
                pass

    assert (grown := _retained_bytes(run)) < 64 * 1024, f"gate_open retained {grown} bytes"
