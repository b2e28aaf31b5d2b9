"""Literal prefilters for regex rules.

A regex rule can only match where its *required literals* occur: every match of
``\\b(?:ignore|disregard) (?:all )?previous`` contains one of ``ignore``/``disregard`` *and*
``" previous"``. Each such requirement is a *group* (any one of its strings must occur); a rule
has one or more groups, all required. One Aho-Corasick pass over the text finds which groups are
present, and only rules whose gating groups are all present run — in small RE2 sets, in linear
time. This replaces running every pattern (or big RE2 sets, whose lazily built DFAs keep creating
states on text they have not seen) over every request.

The extraction walks the pattern with Python's own regex parser (RE2 and Python share the syntax
the packs use). It is conservative: whatever it cannot prove required (character classes,
optional parts, unknown syntax) yields ``None``, and such a rule simply runs on every text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Sequence

from .disk_cache import KEEP, cache_dir, prune, read_json, touch, write_json

__all__ = ["MIN_LITERAL", "literal_strength", "required_groups", "required_groups_all", "required_literals"]

#: this module's source: a change in the extraction invalidates cached results
SOURCE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

#: shorter required literals (in UTF-8 bytes: one CJK character is selective, "ab" is not)
#: select too little to be worth a lookup
MIN_LITERAL = 3

Groups = tuple[frozenset[str], ...]


def required_groups_all(patterns: Sequence[str]) -> list[Groups | None]:
    """:func:`required_groups` of each pattern. Parsing ~400 patterns with Python's regex parser
    costs ~80 ms at every start, so results are kept in the user cache (disk_cache.py), keyed by
    the patterns and this module's source."""
    key = hashlib.sha256(json.dumps([SOURCE_HASH, list(patterns)]).encode()).hexdigest()[:32]
    path = cache_dir() / f"prefilter-{key}.json"
    cached = read_json(path)
    if isinstance(cached, list) and len(cached) == len(patterns) and all(map(_valid_cached, cached)):
        touch(path)
        return [None if c is None else tuple(frozenset(g) for g in c) for c in cached]
    out = [required_groups(p) for p in patterns]
    if write_json(path, [None if r is None else [sorted(g) for g in r] for r in out]):
        prune("prefilter-*.json", KEEP, path)
    return out


def _valid_cached(c: object) -> bool:
    return c is None or (isinstance(c, list) and bool(c) and all(
        isinstance(g, list) and g and all(isinstance(x, str) for x in g) for g in c))


def required_groups(pattern: str) -> Groups | None:
    """Every group of strings that ``pattern`` requires (each match contains at least one string
    of *each* group), most selective first (see :func:`literal_strength`), or None if none is
    provable."""
    if "(?i" in pattern or "(?x" in pattern:
        return None  # flags would change what a literal means
    try:
        tree = P.parse(pattern)
    except Exception:  # syntax Python does not know (RE2-only): no prefilter
        return None
    groups = {g for g in _seq(list(tree)) if all(_long_enough(x) for x in g)}
    if not groups:
        return None
    return tuple(sorted(groups, key=lambda g: (-literal_strength(g), len(g), sorted(g))))


def required_literals(pattern: str) -> frozenset[str] | None:
    """The most selective of :func:`required_groups`: at least one of these strings occurs in
    every match of ``pattern``; None if nothing is provably required."""
    groups = required_groups(pattern)
    return groups[0] if groups else None


def _long_enough(lit: str) -> bool:
    return len(lit.strip(" ").encode("utf-8", "surrogatepass")) >= MIN_LITERAL


#: words so common that requiring one selects almost every text; a literal made of one of them
#: counts as weak when choosing which requirement to use (correctness never depends on this)
_COMMON = frozenset("""
a an the to of in on at by for with from into onto about as is are was were be been being am do does did
you your yours i me my we our us he she it its they them their this that these those there here
and or but if then than so not no all any some each every can could will would should shall may might
must have has had get got give make use using like just also only other more most when where which who
what how why now new one out over such very well what's it's i'm you're don't can't ll
se de la le les el los las und der die das il lo un una des du et ou que qui en y e o
""".split())


def _strength(lit: str) -> int:
    core = lit.strip(" ")
    return 1 if core in _COMMON else len(core.encode("utf-8", "surrogatepass"))


def literal_strength(req: frozenset[str]) -> int:
    """How selective a requirement is: the strength of its weakest literal (see _strength)."""
    return min(_strength(x) for x in req)


#: a run of small alternatives is expanded into every string it spells while that stays within
#: this many strings of at most _SPELLED_CHARS characters: "<|(?:system|user|…)|>" requires one of
#: "<|system|>", "<|user|>", … (rare), not "system" or "user" (in most texts). Measured (2 KiB,
#: interleaved runs): at 16, half the rules opened per benign bench text (58 -> 27) and attack
#: texts and real documents ~15-20% faster than without spelling out; at 32 or 64 the word scanner
#: grows (to 44k words at 64) for no clear further gain
_SPELLED_MAX = 16
_SPELLED_CHARS = 48
_ONE_CHAR_CLASS = 4  # a class of at most this many plain characters ("[sz]") is spelled out


def _spelled(op, av) -> set[str] | None:
    """Every string node ``op, av`` matches, if they are few and short (literals, groups and
    alternations of them, small classes, an optional part); None otherwise."""
    if op is C.LITERAL:
        return {chr(av)}
    if op is C.SUBPATTERN:
        return _spelled_seq(list(av[-1]))
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            sub = _spelled_seq(list(alt))
            if sub is None:
                return None
            out |= sub
            if len(out) > _SPELLED_MAX:
                return None
        return out
    if op is C.IN:  # plain characters only: a negation, range or category is not spelled out
        if len(av) > _ONE_CHAR_CLASS or any(iop is not C.LITERAL for iop, _ in av):
            return None
        return {chr(iav) for _, iav in av}
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[:2] == (0, 1):  # "s?", "(?: )?"
        sub = _spelled_seq(list(av[2]))
        return None if sub is None else sub | {""}
    return None


def _product(left: set[str], right: set[str]) -> set[str] | None:
    out = {a + b for a in left for b in right}
    if len(out) > _SPELLED_MAX or any(len(x) > _SPELLED_CHARS for x in out):
        return None
    return out


def _spelled_seq(items: list) -> set[str] | None:
    out: set[str] | None = {""}
    for op, av in items:
        if op is C.AT:  # zero-width (\b, ^, $): the strings on both sides are adjacent
            continue
        sub = _spelled(op, av)
        out = None if sub is None else _product(out, sub)
        if out is None:
            return None
    return out


def _seq(items: list) -> list[frozenset[str]]:
    """All groups a sequence requires: the strings each run of adjacent spelled-out parts spells (a
    literal run is one such run; a run too big to spell whole is cut into consecutive windows), and
    the groups each other part requires on its own."""
    parts = [(op, av) for op, av in items if op is not C.AT]
    spelled = [_spelled(op, av) for op, av in parts]
    groups: list[frozenset[str]] = []
    window: set[str] | None = None
    for (op, av), sub in zip(parts, spelled):
        if sub is None:
            _close(window, groups)
            window = None
            groups.extend(_node(op, av))
            continue
        wider = _product(window, sub) if window is not None else sub
        if wider is None:  # too many or too long: the window ends before this part
            _close(window, groups)
            wider = sub
        window = wider
    _close(window, groups)
    return groups


def _close(window: set[str] | None, groups: list[frozenset[str]]) -> None:
    """Add a finished window as a group."""
    if window and all(_long_enough(x) for x in window):
        groups.append(_minimal(window))


def _minimal(strings: set[str] | frozenset[str]) -> frozenset[str]:
    """``strings`` without those that contain another of them (the shorter one occurs wherever
    the longer does)."""
    return frozenset(x for x in strings if not any(y != x and y in x for y in strings))


def _node(op, av) -> list[frozenset[str]]:
    if op is C.SUBPATTERN:
        return _seq(list(av[-1]))
    if op is C.BRANCH:
        # any one requirement of each alternative, joined, is required of the branch: the best of
        # each, and again the second best of each (the best where an alternative has one), so a
        # rule that is one big alternation still gets two gate groups ("dev|debug|…" and "mode",
        # not "mode" alone, which every text about a "model" opens)
        best: set[str] = set()
        second: set[str] = set()
        for alt in av[1]:
            usable = [g for g in _seq(list(alt)) if all(_long_enough(x) for x in g)]
            if not usable:
                return []  # one alternative without a requirement frees the whole branch
            ranked = sorted(usable, key=lambda g: (-literal_strength(g), len(g), sorted(g)))
            best |= ranked[0]
            second |= ranked[1] if len(ranked) > 1 else ranked[0]
        best, second = _minimal(best), _minimal(second)
        return [best] if second == best else [best, second]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, _hi, sub = av
        return _seq(list(sub)) if lo >= 1 else []
    return []
