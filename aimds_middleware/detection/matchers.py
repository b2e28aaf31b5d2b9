"""The three matchers over a view: literals, patterns (RE2-confirmed), fuzzy phrases.

Two interchangeable *plans* find the candidates (tests/test_hyperscan.py compares them):

* RE2 plan (the default): one native word scanner (wordscan.py) finds the literal rules, the
  anchor words and the literals of two required groups of each regex rule (prefilter.py); only
  the small RE2 sets holding a rule whose two groups both occur are searched (linear time, no
  backtracking); rules without a provable literal run as small RE2 sets.
* Hyperscan plan (opt-in, see hyperscan_db.py for why): one Hyperscan pass reports every literal
  rule, fuzzy anchor word and candidate regex rule; RE2 confirms each candidate and gives its
  span. The few rules Hyperscan compiles slowly stay on the RE2 route.

Letters-only *skeletons* of long literals live in a separate automaton used only on the skeleton
view (spaced-out words). Fuzzy: rapidfuzz ``partial_ratio`` on short windows around anchor words,
and only when the exact matchers found nothing in that rule's category — typos and small
paraphrases of the override/extraction phrases, at a bounded number of comparisons.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import re2
from rapidfuzz import fuzz

from .budget import warming_up
from .fastpath import BACKEND
from .disk_cache import cache_dir, read_json, read_signed, touch, write_signed
from .gating import GateTable
from .hyperscan_db import HyperscanPrefilter, available as hs_available, engine_setting
from .normalize import fold_text
from .prefilter import SOURCE_HASH as _PREFILTER_SOURCE, Groups, literal_strength, required_groups_all
from .re2util import re2_search
from .wordscan import WordScanner

__all__ = ["Hit", "Matcher"]

_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset("your with that this from have what when into about them they there their".split())
_FUZZY_WINDOWS = 6
_FUZZY_WINDOW = 160
_SKELETON_MIN = 12
#: rules per RE2 set. A set's DFA grows with the product of its rules' windows, not their sum: on 2 KiB
#: slices of real jailbreaks the sets cost 1,190 µs per text at 16 rules (a set of covert-action rules
#: alone ~340 µs), 336 µs at 12 and 229 µs at 8 while sets with three open rules ran whole; 32 or 48
#: were 4-8x slower on real documents. Now that a set runs only when more than _SEARCH_ALONE of its
#: rules opened, 16 beats 12 (Matcher.exact after 1,000 dev texts, on texts it had
#: not seen, 16/6 against 12/2: the long benign documents' 2 KiB slices 280 -> 230 µs, 600 other dev
#: texts 690 -> 510 µs, the synthetic 2 KiB benign text unchanged)
_SET_SIZE = 16
#: RE2 builds each set's DFA lazily and keeps its states up to the set's memory budget: on
#: diverse text, 26 sets at 64 MiB each grew the process by 320 MB in six passes over the dev
#: set and kept growing. The plan's sets share one budget (GuardConfig.regex_memory_mb).
DEFAULT_REGEX_MEMORY_MB = 256
_MIN_SET_MEMORY = 4 << 20
#: the single-rule regexes (a candidate's span, an open rule searched alone): RE2's own default budget
_CONFIRM_MEMORY = 8 << 20
#: a set with at most this many open rules: search them one by one. On text the set's DFA has not
#: seen (most of what a service gets) a set costs 5-20x one rule searched alone, its states being built
#: for all its rules; 2 -> 6 (with 16-rule sets) made bench/speed.py's first rounds of the long benign
#: documents 15% and of the dev attacks 33% faster, the synthetic attack text 5-14% slower
_SEARCH_ALONE = 6
_GATE_GROUPS = 2  # a rule runs when this many of its required groups (the rarest) are present (at most 2: see _Plan.triggers)

#: how often each prefilter literal occurs in benign text (built by tools/build_literal_freq.py)
LITERAL_FREQ = Path(__file__).resolve().parent.parent / "data" / "literal_freq.json"


@functools.lru_cache(maxsize=1)
def _literal_freq() -> dict[str, float]:
    doc = read_json(LITERAL_FREQ)
    try:
        return {k: float(v) for k, v in doc["freq"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):  # missing or malformed
        return {}  # a guess per literal instead (_presence): slower plans, same hits


def _presence(group: frozenset[str], freq: dict[str, float]) -> float:
    """Estimated chance that a benign text contains one of ``group``'s strings. Literals the table
    does not know (a user's pack) are guessed from their selectivity (prefilter.literal_strength)."""
    absent = 1.0
    for lit in group:
        f = freq.get(lit)
        if f is None:
            f = 0.3 if literal_strength(frozenset([lit])) == 1 else 0.02
        absent *= 1.0 - f
    return 1.0 - absent


_HEAVY_REPEAT = re.compile(r"\{(\d*),(\d+)\}")
#: measured on the 2026-11-27 packs: with repeats up to 80 on Hyperscan the database took ~250 s to
#: compile (each new "thing … within 80 characters … detail" rule added ~10 s); from 40 up on RE2, ~30 s
_HEAVY_BOUND = 40


def _heavy_for_hyperscan(pattern: str) -> bool:
    """Long bounded repeats (``[^)\\s]{1,200}``, ``[^\\n]{0,80}?``) blow up Hyperscan's compile time
    (seconds per pattern under UTF-8, measured) and database size; such rules stay on the RE2 route."""
    return any(int(hi) >= _HEAVY_BOUND for _, hi in _HEAVY_REPEAT.findall(pattern))


_WORD_BOUNDARY = re.compile(r"(?<!\\)((?:\\\\)*)\\[bB]")


def _without_word_boundaries(pattern: str) -> str:
    """The pattern without ``\\b``/``\\B``, for Hyperscan only. Dropping an assertion can only
    widen what matches, and RE2 (with the assertions) confirms every candidate; it also keeps
    clear of a Hyperscan bug: ``\\b(?:hey|hello|hi|…)`` missed "hi chatgpt," after
    "…<|im_end|>" in one longer text (found by tests/test_hyperscan.py's hypothesis test)."""
    return _WORD_BOUNDARY.sub(r"\1", pattern)


def _has_surrogates(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def _char_ends(raw: bytes) -> Any:
    """``out[e - 1]`` = characters in ``raw[:e]``: byte → character offsets for UTF-8 text."""
    b = np.frombuffer(raw, dtype=np.uint8)
    return np.cumsum((b & 0xC0) != 0x80)


#: a word's meaning: its literal-rule ("L", index) and fuzzy-anchor ("A", word) entries, and
#: the gate groups (by id in the plan) it belongs to
_WordEntry = tuple[tuple[tuple[str, Any], ...], tuple[int, ...]]


class _LazySet:
    """An RE2 set compiled on its first search. Compiling all ~80 sets was 0.35 s of Guard() (RE2
    holds the GIL while compiling, so a background thread cannot hide it), and a scan opens only
    the few sets whose gates its words open: most sets of a deployment never compile at all.

    ``parse_now``: parse the patterns at once, so that a bad one fails at start rather than on the
    first search that opens its set. The built-in packs' patterns are compiled by their tests
    (tests/test_packs.py) and your own packs rule by rule when loaded (unless ``validate=False``);
    parsing the built-in ones again here was 42 ms of Guard(), so the engine parses now only when
    your packs are in the set.

    A set whose patterns together outgrow its share of the regex memory (RE2: "failed to compile
    Set") compiles as two halves, each in the same share, and so on down to one pattern: a pack
    change that makes one set too big costs a second set, never an error on the texts that open it
    (which the engine would turn into a fail-closed verdict)."""

    __slots__ = ("_set", "_patterns", "_opts", "_parsed", "_halves", "_compiled", "_lock")

    def __init__(self, patterns: list[bytes], opts: Any, parse_now: bool = True) -> None:
        self._set = re2.Set.SearchSet(opts)
        self._patterns = patterns
        self._opts = opts
        self._halves: tuple[_LazySet, _LazySet] | None = None
        self._parsed = parse_now
        if parse_now:
            for p in patterns:
                self._set.Add(p)  # parses: raises on a bad pattern now, not on first use
        self._compiled = False
        self._lock = threading.Lock()

    def _compile(self) -> None:
        with warming_up():
            try:
                if not self._parsed:
                    for p in self._patterns:
                        self._set.Add(p)
                self._set.Compile()
            except re2.error:
                if len(self._patterns) < 2:
                    raise
                k = len(self._patterns) // 2
                self._set = None
                self._halves = (_LazySet(self._patterns[:k], self._opts, False),
                                _LazySet(self._patterns[k:], self._opts, False))

    def Match(self, raw: bytes) -> Any:
        if not self._compiled:
            with self._lock:  # one thread compiles; the others wait for it (Compile is not reentrant)
                if not self._compiled:
                    self._compile()
                    self._compiled = True
        if self._halves is not None:
            first, second = self._halves
            k = len(first._patterns)
            return [*(first.Match(raw) or ()), *(k + j for j in second.Match(raw) or ())]
        return self._set.Match(raw)


@dataclass(frozen=True, slots=True)
class _Plan:
    scanner: WordScanner | None  # the words (RE2 plan), or None (Hyperscan plan)
    words: tuple[_WordEntry, ...]  # per word id (of the scanner, or of the Hyperscan database)
    sets: tuple[tuple[Any, tuple[int, ...]], ...]
    always_sets: frozenset[int]
    #: per gate group id: (the other group a rule also needs or -1, the rule's RE2 set, the rule)
    triggers: tuple[tuple[tuple[int, int, int], ...], ...]
    hyperscan: HyperscanPrefilter | None
    set_memory: int  # bytes each RE2 set may use (its share of Matcher.memory_mb)
    #: the words' gate groups and the triggers, in the back end's gate table (gating.py)
    gates: GateTable


@dataclass(frozen=True, slots=True)
class _Layout:
    """What a plan is made of, as plain data: the rules of each RE2 set, the sets that always run,
    the gate triggers and the word table. The RE2 plan's layout is kept in the user cache."""

    sets: tuple[tuple[int, ...], ...]
    always_sets: tuple[int, ...]
    triggers: tuple[tuple[tuple[int, int, int], ...], ...]
    words: tuple[str, ...]
    table: tuple[_WordEntry, ...]


# The RE2 plan's layout, in the user cache (disk_cache.py): deriving it was ~80 ms of every
# Guard() (the literal frequency table parsed, ~4,000 gate groups ranked, a word table of ~25,000
# entries); reading it back is ~10-20 ms. The key covers everything it is derived from: every
# rule's kind and pattern in order, the literal frequency table's bytes, this module's and
# prefilter.py's source, the set constants and the Python version (its regex parser finds the
# literals). A changed pack, table or release derives it again: a stale layout would silently miss
# rules. The file is marshal (plain tuples, loading never executes) behind its sha256, and a file
# that fails the checksum or the shape checks is ignored and rewritten.
_LAYOUT_FORMAT = 1
_OWN_SOURCE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _layout_key(rules: tuple[Any, ...], base_words: dict[str, Any]) -> str | None:
    h = hashlib.sha256(f"{_LAYOUT_FORMAT}\0{_OWN_SOURCE}\0{_PREFILTER_SOURCE}\0{sys.version}\0"
                       f"{_SET_SIZE}\0{_GATE_GROUPS}\0".encode())  # (tests and experiments set the constants)
    try:
        h.update(LITERAL_FREQ.read_bytes())
    except OSError:
        return None  # no table (a guess per literal): derived every time
    h.update("\0".join(f"{r.kind}\1{r.pattern}" for r in rules).encode("utf-8", "surrogatepass"))
    h.update(repr(sorted(base_words.items())).encode("utf-8", "surrogatepass"))  # (anchors come from sets)
    return h.hexdigest()[:32]


def _read_layout(path: Path, n_rules: int) -> _Layout | None:
    try:
        fmt, sets, always, triggers, words, table = read_signed(path)  # None (missing or damaged): TypeError
        # every regex rule in exactly one set, one table entry per word: a layout that passed the
        # checksum but lost a rule would never search it
        members = [i for idx in sets for i in idx]
        if (fmt != _LAYOUT_FORMAT or len(members) != n_rules or set(members) != set(range(n_rules))
                or len(words) != len(table) or any(not 0 <= k < len(sets) for k in always)):
            return None
    except (ValueError, TypeError):
        return None
    touch(path)
    return _Layout(sets, always, triggers, words, table)


def _write_layout(path: Path, layout: _Layout) -> None:
    write_signed(path, (_LAYOUT_FORMAT, layout.sets, layout.always_sets, layout.triggers, layout.words,
                        layout.table), "layout-*.marshal")


@dataclass(frozen=True, slots=True)
class Hit:
    rule: Any  # signatures.Rule
    start: int
    end: int
    view: str
    score: float = 1.0  # 1.0 for exact matches, rapidfuzz similarity/100 for fuzzy


def _boundary(text: str, start: int, end: int, pattern: str) -> bool:
    """Whole-word check on the sides where the pattern itself starts/ends with a word char.

    CJK scripts have no spaces between words, so their boundaries are not checked.
    """
    first, last = pattern[0], pattern[-1]
    if first.isalnum() and ord(first) < 0x2E80 and start > 0 and text[start - 1].isalnum():
        return False
    if last.isalnum() and ord(last) < 0x2E80 and end < len(text) and text[end].isalnum():
        return False
    return True


class Matcher:
    """Compiled matchers for one signature set. Thread-safe: the plans are immutable, and the
    only state filled in later (single-rule regexes, compiled on first use) is idempotent."""

    def __init__(self, signatures: Any, *, regex_engine: str | None = None,
                 memory_mb: int = DEFAULT_REGEX_MEMORY_MB, parse_now: bool = True) -> None:
        self._parse_now = parse_now  # see _LazySet
        rules = tuple(signatures.rules)
        self.literals = tuple(r for r in rules if r.kind == "literal")
        # a regex rule that counts only beside another category ("requires": a role-play frame) is
        # not in the sets: the engine runs it afterwards, and only when that category was hit
        self.regexes = tuple(r for r in rules if r.kind == "regex" and r.requires is None)
        self.deferred = tuple(r for r in rules if r.kind == "regex" and r.requires is not None)
        #: the categories the deferred rules wait for (a scan with none of them runs none)
        self.deferred_needs = frozenset(r.requires for r in self.deferred)
        self._deferred_compiled: list[Any] = [None] * len(self.deferred)
        self.fuzzy = tuple(r for r in rules if r.kind == "fuzzy")

        # words every plan scans for: literal rules ("L") and fuzzy anchors ("A")
        self._base_words: dict[str, tuple[tuple[str, Any], ...]] = {}
        for i, r in enumerate(self.literals):
            self._base_words[r.pattern] = self._base_words.get(r.pattern, ()) + (("L", i),)
        self._anchor_rules: dict[str, list[int]] = {}
        for i, r in enumerate(self.fuzzy):
            for w in _anchors(r.pattern):
                self._anchor_rules.setdefault(w, []).append(i)
        for w in self._anchor_rules:
            self._base_words[w] = self._base_words.get(w, ()) + (("A", w),)

        self._skel = ahocorasick.Automaton()
        for i, r in enumerate(self.literals):
            sk = "".join(ch for ch in r.pattern if ch.isalpha())
            if len(sk) >= _SKELETON_MIN:
                self._skel.add_word(sk, (self._skel.get(sk, None) or ()) + (i,))
        if len(self._skel):
            self._skel.make_automaton()

        # Regex rules. RE2 confirms every regex hit and gives its span; what varies is how the
        # candidate rules are found (a "plan"). The RE2 plan: the literals of each rule's two
        # rarest required groups (prefilter.py; rarity from literal_freq.json) join the words
        # above; rules are compiled into small RE2 sets of rules about as likely to be gated
        # open, and a set runs only when the scanner saw both gate groups of one of its rules
        # (rules without a provable literal form sets that always run). Small sets keep RE2's
        # lazily built DFAs small: one set over hundreds of patterns kept building states on
        # unseen text (~4 ms per 2 KiB measured), one search per candidate rule costs a full pass
        # each. The Hyperscan plan (hyperscan_db.py, when installed) finds candidates for most
        # rules in one pass and keeps the RE2 route only for the rest; it replaces the RE2 plan
        # once its database is built.
        self._confirm_opts = re2.Options()
        self._confirm_opts.max_mem = _CONFIRM_MEMORY
        # compiled on first use: only candidates are confirmed, and compiling all ~400 up front
        # was half of the matcher's start-up (37 of 70 ms); the sets below parse every pattern
        # when asked to (parse_now), so a bad one still fails at start
        self._compiled: list[Any] = [None] * len(self.regexes)
        self.memory_mb = memory_mb
        key = _layout_key(self.regexes + self.literals + self.fuzzy, self._base_words)
        path = None if key is None else cache_dir() / f"layout-{key}.marshal"
        cached = None if path is None else _read_layout(path, len(self.regexes))
        if cached is not None:
            layout = cached
        else:
            layout = self._layout(range(len(self.regexes)), None)
            if path is not None:
                _write_layout(path, layout)
        self._re2_plan = self._plan(layout, None)
        self.plan = self._re2_plan
        self.hyperscan: HyperscanPrefilter | None = None
        engine = engine_setting() if regex_engine is None else regex_engine
        if engine != "re2" and hs_available():
            patterns = self.hyperscan_patterns()
            self.hyperscan = HyperscanPrefilter(patterns, background=engine == "auto", on_ready=self._use_hyperscan,
                                                must_match=lambda: self._known_matches(p[0] for p in patterns if not p[2]))

    def hyperscan_patterns(self) -> list[tuple[int, str, bool]]:
        """The database's (id, pattern, is_word) list: regex rules Hyperscan compiles quickly
        (ids 0..), then every word the RE2 plan scans for (ids from ``len(regexes)``): literal
        rules, fuzzy anchors and required literals of the heavy rules. Sorted, so the same packs
        give the same list (and cache key) in every process, whatever the hash seed."""
        self._heavy = frozenset(i for i, r in enumerate(self.regexes) if _heavy_for_hyperscan(r.pattern))
        words = set(self._base_words)
        for i in self._heavy:
            for g in self._gates[i] or ():
                words.update(g)
        self._hs_words = tuple(sorted(words))
        n = len(self.regexes)
        patterns = [(i, _without_word_boundaries(r.pattern), False)
                    for i, r in enumerate(self.regexes) if i not in self._heavy]
        return patterns + [(n + k, w, True) for k, w in enumerate(self._hs_words)]

    def _known_matches(self, ids: Any) -> dict[int, list[bytes]]:
        """Each rule's examples that RE2 matches (folded, UTF-8): the database's self-test."""
        out: dict[int, list[bytes]] = {}
        for i in ids:
            texts = [fold_text(e).encode("utf-8", "surrogatepass") for e in self.regexes[i].examples]
            out[i] = [t for t in texts if self._confirm(i).search(t) and not _has_surrogates(t)]
        return {i: v for i, v in out.items() if v}

    @property
    def regex_engine(self) -> str:
        """Which plan scans now: "hyperscan" or "re2" (while the database builds, or without it)."""
        return "hyperscan" if self.plan.hyperscan is not None else "re2"

    @functools.cached_property
    def _ranked_gates(self) -> tuple[list[Groups | None], list[float]]:
        """Each regex rule's gate (its two rarest required groups, or None) and the estimated
        chance that a benign text opens it. Only a layout being made needs them (a cached
        layout already holds what they decide)."""
        freq = _literal_freq()
        gates: list[Groups | None] = []
        chance: list[float] = []
        for groups in required_groups_all([r.pattern for r in self.regexes]):
            ranked = sorted(((_presence(g, freq), sorted(g), g) for g in groups or ()))[:_GATE_GROUPS]
            gates.append(tuple(g for _, _, g in ranked) if ranked else None)
            chance.append(math.prod(p for p, _, _ in ranked))
        return gates, chance

    @property
    def _gates(self) -> list[Groups | None]:
        return self._ranked_gates[0]

    def _use_hyperscan(self, hsp: HyperscanPrefilter) -> None:
        # plans are immutable; swapping the attribute is atomic, so a scan runs one plan whole
        self.plan = self._plan(self._layout([i for i in range(len(self.regexes)) if i not in hsp.accepted], hsp), hsp)

    def _layout(self, rule_idx: list[int] | range, hsp: HyperscanPrefilter | None) -> _Layout:
        """Which rules of ``rule_idx`` share each RE2 set and the word table that gates them: the
        words of a word scanner, or with ``hsp`` the database's words (indexed like its ids)."""
        gates = self._gates
        # rules whose every gate literal is a word the scanner reports can be gated by them
        gateable = set(self._hs_words) if hsp is not None else None
        always = [i for i in rule_idx
                  if gates[i] is None or (gateable is not None and not all(g <= gateable for g in gates[i]))]
        # rules about as likely to open share a set: the common ones then open a few sets
        # together instead of one set each (measured on dev benign text: 12 → 5 sets per 2 KiB)
        chance = self._ranked_gates[1]
        gated = sorted(set(rule_idx) - set(always), key=lambda i: (-chance[i], i))
        sets: list[tuple[int, ...]] = []
        always_sets: list[int] = []
        for chunk_start in range(0, len(always), _SET_SIZE):
            always_sets.append(len(sets))
            sets.append(tuple(always[chunk_start : chunk_start + _SET_SIZE]))
        group_id: dict[frozenset[str], int] = {}
        triggers: dict[int, set[tuple[int, int, int]]] = {}
        for chunk_start in range(0, len(gated), _SET_SIZE):
            idx = gated[chunk_start : chunk_start + _SET_SIZE]
            for i in idx:
                ids = [group_id.setdefault(g, len(group_id)) for g in gates[i]]
                # at most two gate groups (_GATE_GROUPS): the rule is listed under the first
                triggers.setdefault(ids[0], set()).add((ids[1] if len(ids) > 1 else -1, len(sets), i))
            sets.append(tuple(idx))
        word_groups: dict[str, set[int]] = {}
        for g, n in group_id.items():
            for lit in g:
                word_groups.setdefault(lit, set()).add(n)
        trig = tuple(tuple(sorted(triggers.get(n, ()))) for n in range(len(group_id)))

        # each word's value: (literal/anchor entries, gate groups it belongs to); a scan unions
        # the groups of the words it found, then opens the rules whose gate groups are all there
        def entry(w: str) -> _WordEntry:
            return self._base_words.get(w, ()), tuple(sorted(word_groups.get(w, ())))

        # RE2 plan: one word scanner (wordscan.py) for literal rules, anchors and gates. It
        # reports each word once, and every occurrence only of words with literal/anchor entries.
        # (One RE2 set of the gate words instead looked 4x faster on repeated text but was 4x
        # slower on text it had not seen: its lazily built DFA over ~1,500 words kept adding
        # states — measured, reverted.)
        words = self._hs_words if hsp is not None else tuple(sorted(self._base_words.keys() | word_groups.keys()))
        return _Layout(tuple(sets), tuple(always_sets), trig, words, tuple(entry(w) for w in words))

    def _plan(self, layout: _Layout, hsp: HyperscanPrefilter | None) -> _Plan:
        """The plan of ``layout``: its RE2 sets (compiled on first use) share the regex memory,
        and without ``hsp`` a word scanner over its words."""
        opts = re2.Options()
        opts.max_mem = max(_MIN_SET_MEMORY, (self.memory_mb << 20) // max(len(layout.sets), 1))
        sets = tuple(self._new_set(idx, opts) for idx in layout.sets)
        scanner = None if hsp is not None else WordScanner(layout.words, [bool(e[0]) for e in layout.table], BACKEND)
        gates = GateTable([e[1] for e in layout.table], list(layout.triggers), BACKEND)
        return _Plan(scanner, layout.table, sets, frozenset(layout.always_sets), layout.triggers, hsp, opts.max_mem,
                     gates)

    def _new_set(self, idx: tuple[int, ...], opts: Any) -> tuple[_LazySet, tuple[int, ...]]:
        return _LazySet([self.regexes[i].pattern.encode("utf-8") for i in idx], opts, self._parse_now), idx

    # ---- exact ---------------------------------------------------------------------------
    def exact(self, text: str, view: str, *, skeleton: bool = False) -> tuple[list[Hit], list[int]]:
        """Literal + pattern hits in ``text``; also returns anchor positions for fuzzy gating."""
        hits: list[Hit] = []
        anchors: list[int] = []
        if skeleton:
            if len(self._skel):
                for end, idxs in self._skel.iter(text):
                    for i in idxs:
                        r = self.literals[i]
                        n = sum(1 for ch in r.pattern if ch.isalpha())
                        hits.append(Hit(r, end - n + 1, end + 1, view))
            return hits, anchors
        plan = self.plan
        try:
            raw = text.encode("utf-8")  # once per view, not per set
        except UnicodeEncodeError:
            # lone surrogates: Hyperscan requires valid UTF-8, RE2 takes the bytes as they are
            plan = self._re2_plan
            raw = text.encode("utf-8", "surrogatepass")
        candidates: list[int] = []
        if plan.hyperscan is not None:
            n = len(self.regexes)
            ascii_text = text.isascii()
            char_end = None  # byte → character offsets, built at the first word hit in non-ASCII text
            found = []  # word ids, as often as they occur
            for k, end in plan.hyperscan.scan(raw):
                if k < n:
                    candidates.append(k)
                else:  # a word: same handling as a scanner hit ending at character ``last``
                    found.append(k - n)
                    entries = plan.words[k - n][0]
                    if entries:
                        if not ascii_text and char_end is None:
                            char_end = _char_ends(raw)
                        last = (end if char_end is None else int(char_end[end - 1])) - 1
                        self._word(entries, text, last, view, hits, anchors)
            anchors.sort()
        else:
            found, occurrences = plan.scanner.scan(raw)
            if occurrences:
                words = plan.words
                char_end = None if text.isascii() else _char_ends(raw)
                for end, k in occurrences:  # sorted by end: anchors come out in order
                    last = (end if char_end is None else int(char_end[end - 1])) - 1
                    self._word(words[k][0], text, last, view, hits, anchors)
        # the rules whose gate groups all occurred: a set with more than _SEARCH_ALONE of them runs
        # whole, the open rules of the other sets are searched on their own (see _SEARCH_ALONE)
        open_sets, alone = plan.gates.open(found, _SEARCH_ALONE)
        candidates.extend(alone)
        active = plan.always_sets.union(open_sets)
        for k in active:
            rset, idx = plan.sets[k]
            candidates.extend(idx[j] for j in rset.Match(raw) or ())
        for i in sorted(set(candidates)):  # a regex may be reported at several end offsets
            m = self._confirm(i).search(raw)
            if m is not None:
                # byte offsets → character offsets (only for actual hits, which are rare)
                a = len(raw[: m.start()].decode("utf-8", "surrogatepass"))
                b = a + len(raw[m.start() : m.end()].decode("utf-8", "surrogatepass"))
                hits.append(Hit(self.regexes[i], a, b, view))
        return hits, anchors

    def deferred_hits(self, text: str, view: str, present: set[Any]) -> list[Hit]:
        """Hits of the deferred rules whose required category is in ``present``, on ``text``."""
        hits: list[Hit] = []
        for i, r in enumerate(self.deferred):
            if r.requires not in present:
                continue
            c = self._deferred_compiled[i]
            if c is None:
                with warming_up():
                    c = self._deferred_compiled[i] = re2.compile(r.pattern, self._confirm_opts)
            m = re2_search(c, text)
            if m is not None:
                hits.append(Hit(r, m.start(), m.end(), view))
        return hits

    def _confirm(self, i: int) -> Any:
        """Rule ``i`` compiled alone (its span; the sets only say whether it matched). Two threads
        may both compile it the first time: same result, and the list slot write is atomic."""
        c = self._compiled[i]
        if c is None:
            with warming_up():
                c = self._compiled[i] = re2.compile(self.regexes[i].pattern.encode("utf-8"), self._confirm_opts)
        return c

    def _word(self, entries: tuple[tuple[str, Any], ...], text: str, last: int, view: str,
              hits: list[Hit], anchors: list[int]) -> None:
        """One occurrence of a word ending at character ``last``: literal rule hits (whole words
        only) and fuzzy anchors. (The gate groups it belongs to are added by the caller.)"""
        for kind, val in entries:
            if kind == "L":
                r = self.literals[val]
                start = last - len(r.pattern) + 1
                if _boundary(text, start, last + 1, r.pattern):
                    hits.append(Hit(r, start, last + 1, view))
            else:
                anchors.append(last)

    # ---- fuzzy ---------------------------------------------------------------------------
    def fuzzy_hits(self, text: str, view: str, anchors: list[int], covered: set[Any]) -> list[Hit]:
        """Fuzzy matches in windows around anchors, skipping categories already ``covered``."""
        if not anchors or not self.fuzzy:
            return []
        hits: list[Hit] = []
        seen_rules: set[int] = set()
        windows = 0
        last_start = -_FUZZY_WINDOW
        for pos in anchors:
            start = max(0, pos - _FUZZY_WINDOW // 2)
            if start < last_start + _FUZZY_WINDOW // 2:
                continue  # overlapping window already compared
            windows += 1
            if windows > _FUZZY_WINDOWS:
                break
            last_start = start
            window = text[start : start + _FUZZY_WINDOW]
            anchor_word = _word_at(text, pos)
            for i in self._anchor_rules.get(anchor_word, ()):
                r = self.fuzzy[i]
                if i in seen_rules or r.category in covered:
                    continue
                res = fuzz.partial_ratio_alignment(r.pattern, window, score_cutoff=r.threshold)
                if res is not None:
                    seen_rules.add(i)
                    hits.append(Hit(r, start + res.dest_start, start + res.dest_end, view, res.score / 100.0))
        return hits


def _anchors(phrase: str) -> set[str]:
    words = [w for w in _WORD.findall(phrase) if w not in _STOP]
    words.sort(key=len, reverse=True)
    return set(words[:2])


def _word_at(text: str, end: int) -> str:
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start : end + 1]
