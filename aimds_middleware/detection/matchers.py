"""The three matchers over a view: literals (Aho-Corasick), patterns (RE2 set), fuzzy phrases.

* Literals: one pyahocorasick automaton holds every literal rule plus the *anchor* words that
  gate fuzzy matching, so one C pass over the text serves both. Letters-only *skeletons* of long
  literals live in a second automaton used only on the skeleton view (spaced-out words).
* Patterns: a required literal of each regex rule (prefilter.py) sits in the same automaton;
  only rules whose literal occurs are searched, each in RE2 (linear time, no backtracking). Rules
  without a provable literal run as small RE2 sets.
* Fuzzy: rapidfuzz ``partial_ratio`` on short windows around anchor words, and only when the
  exact matchers found nothing in that rule's category — typos and small paraphrases of the
  override/extraction phrases, at a bounded number of comparisons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick
import re2
from rapidfuzz import fuzz

from .prefilter import literal_strength, required_literals

__all__ = ["Hit", "Matcher"]

_WORD = re.compile(r"[^\W\d_]{4,}")
_STOP = frozenset("your with that this from have what when into about them they there their".split())
_FUZZY_WINDOWS = 6
_FUZZY_WINDOW = 160
_SKELETON_MIN = 12
_SET_SIZE = 16


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
    """Compiled matchers for one signature set. Immutable after construction; thread-safe."""

    def __init__(self, signatures: Any) -> None:
        rules = tuple(signatures.rules)
        self.literals = tuple(r for r in rules if r.kind == "literal")
        self.regexes = tuple(r for r in rules if r.kind == "regex")
        self.fuzzy = tuple(r for r in rules if r.kind == "fuzzy")

        self._ac = ahocorasick.Automaton()
        for i, r in enumerate(self.literals):
            key = r.pattern
            existing = self._ac.get(key, None)
            entry = (existing or ()) + (("L", i),)
            self._ac.add_word(key, entry)
        self._anchor_rules: dict[str, list[int]] = {}
        for i, r in enumerate(self.fuzzy):
            for w in _anchors(r.pattern):
                self._anchor_rules.setdefault(w, []).append(i)
        for w in self._anchor_rules:
            existing = self._ac.get(w, None)
            self._ac.add_word(w, (existing or ()) + (("A", w),))

        self._skel = ahocorasick.Automaton()
        for i, r in enumerate(self.literals):
            sk = "".join(ch for ch in r.pattern if ch.isalpha())
            if len(sk) >= _SKELETON_MIN:
                self._skel.add_word(sk, (self._skel.get(sk, None) or ()) + (i,))
        if len(self._skel):
            self._skel.make_automaton()

        # Regex rules. Each rule's required literal (prefilter.py) joins the automaton above; the
        # rules are compiled into small RE2 sets of rules with similarly common literals, and a
        # set runs only when the automaton saw a literal of one of its rules (rules without a
        # provable literal form sets that always run). Small sets keep RE2's lazily built DFAs
        # small: one set over hundreds of patterns kept building states on unseen text (~4 ms
        # per 2 KiB measured), one search per candidate rule costs a full pass each.
        opts = re2.Options()
        opts.max_mem = 64 << 20
        self._compiled = [re2.compile(r.pattern.encode("utf-8"), opts) for r in self.regexes]
        reqs = [required_literals(r.pattern) for r in self.regexes]
        always = [i for i, q in enumerate(reqs) if q is None]
        gated = sorted((i for i, q in enumerate(reqs) if q is not None), key=lambda i: literal_strength(reqs[i]))
        self._sets: list[tuple[Any, list[int]]] = []
        self._always_sets: list[int] = []
        self._set_of_rule: dict[int, int] = {}
        for chunk_start in range(0, len(always), _SET_SIZE):
            self._always_sets.append(len(self._sets))
            self._sets.append(self._compile_set(always[chunk_start : chunk_start + _SET_SIZE], opts))
        for chunk_start in range(0, len(gated), _SET_SIZE):
            idx = gated[chunk_start : chunk_start + _SET_SIZE]
            for i in idx:
                self._set_of_rule[i] = len(self._sets)
                for lit in reqs[i]:
                    self._ac.add_word(lit, (self._ac.get(lit, None) or ()) + (("R", len(self._sets)),))
            self._sets.append(self._compile_set(idx, opts))
        if len(self._ac):
            self._ac.make_automaton()

    def _compile_set(self, idx: list[int], opts: Any) -> tuple[Any, list[int]]:
        rs = re2.Set.SearchSet(opts)
        for i in idx:
            rs.Add(self.regexes[i].pattern.encode("utf-8"))
        rs.Compile()
        return rs, idx

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
        active: set[int] = set(self._always_sets)
        if len(self._ac):
            for end, entries in self._ac.iter(text):
                for kind, val in entries:
                    if kind == "R":
                        active.add(val)
                    elif kind == "L":
                        r = self.literals[val]
                        start = end - len(r.pattern) + 1
                        if _boundary(text, start, end + 1, r.pattern):
                            hits.append(Hit(r, start, end + 1, view))
                    else:
                        anchors.append(end)
        if not active:
            return hits, anchors
        raw = text.encode("utf-8", "surrogatepass")  # once per view, not per set
        for k in sorted(active):
            rset, idx = self._sets[k]
            for j in rset.Match(raw) or ():
                i = idx[j]
                m = self._compiled[i].search(raw)
                if m is not None:
                    # byte offsets → character offsets (only for actual hits, which are rare)
                    a = len(raw[: m.start()].decode("utf-8", "surrogatepass"))
                    b = a + len(raw[m.start() : m.end()].decode("utf-8", "surrogatepass"))
                    hits.append(Hit(self.regexes[i], a, b, view))
        return hits, anchors

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
