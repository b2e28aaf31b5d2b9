"""Literal prefilters for regex rules.

A regex rule can only match where one of its *required literals* occurs: for
``\\b(?:ignore|disregard) (?:all )?previous`` any match contains ``" previous"`` (or, failing a
longer choice, one of ``ignore``/``disregard``). One Aho-Corasick pass over the text finds which
required literals are present, and only those rules run — individually, in linear time, in RE2.
This replaces running every pattern (or big RE2 sets, whose lazily built DFAs keep creating
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
from typing import Iterable, Sequence

from .disk_cache import KEEP, cache_dir, prune, read_json, touch, write_json

__all__ = ["MIN_LITERAL", "literal_strength", "required_literals", "required_literals_all"]

#: this module's source: a change in the extraction invalidates cached results
_SOURCE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]

#: shorter required literals select too little to be worth a lookup
MIN_LITERAL = 3


def required_literals_all(patterns: Sequence[str]) -> list[frozenset[str] | None]:
    """:func:`required_literals` of each pattern. Parsing ~400 patterns with Python's regex parser
    costs ~80 ms at every start, so results are kept in the user cache (disk_cache.py), keyed by
    the patterns and this module's source."""
    key = hashlib.sha256(json.dumps([_SOURCE_HASH, list(patterns)]).encode()).hexdigest()[:32]
    path = cache_dir() / f"prefilter-{key}.json"
    cached = read_json(path)
    if (isinstance(cached, list) and len(cached) == len(patterns)
            and all(c is None or (isinstance(c, list) and c and all(isinstance(x, str) for x in c)) for c in cached)):
        touch(path)
        return [None if c is None else frozenset(c) for c in cached]
    out = [required_literals(p) for p in patterns]
    if write_json(path, [None if r is None else sorted(r) for r in out]):
        prune("prefilter-*.json", KEEP, path)
    return out


def required_literals(pattern: str) -> frozenset[str] | None:
    """A set of strings at least one of which occurs in every match of ``pattern``, or None."""
    if "(?i" in pattern or "(?x" in pattern:
        return None  # flags would change what a literal means
    try:
        tree = P.parse(pattern)
    except Exception:  # syntax Python does not know (RE2-only): no prefilter
        return None
    req = _seq(list(tree))
    if not req or min(len(s.strip(" ")) for s in req) < MIN_LITERAL:
        return None
    return req


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
    return 1 if core in _COMMON else len(core)


def literal_strength(req: frozenset[str]) -> int:
    """How selective a requirement is: the strength of its weakest literal (see _strength)."""
    return min(_strength(x) for x in req)


def _best(cands: Iterable[frozenset[str]]) -> frozenset[str] | None:
    """Of several valid requirements, the most selective: its weakest literal is the strongest
    (long and not a common word), then the fewest choices."""
    usable = [c for c in cands if c]
    if not usable:
        return None
    return max(usable, key=lambda s: (min(_strength(x) for x in s), -len(s)))


def _seq(items: list) -> frozenset[str] | None:
    cands: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if op is C.AT:  # zero-width (\b, ^, $): a literal run continues across it
            continue
        if run:
            cands.append(frozenset(["".join(run)]))
            run = []
        r = _node(op, av)
        if r:
            cands.append(r)
    if run:
        cands.append(frozenset(["".join(run)]))
    return _best(cands)


def _node(op, av) -> frozenset[str] | None:
    if op is C.SUBPATTERN:
        return _seq(list(av[-1]))
    if op is C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            r = _seq(list(alt))
            if not r:
                return None  # one alternative without a requirement frees the whole branch
            out |= r
        return frozenset(out)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, _hi, sub = av
        return _seq(list(sub)) if lo >= 1 else None
    return None
