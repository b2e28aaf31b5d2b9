"""Which regex rules a text opens, from the gate words the word scanner found (matchers.py).

Every gate word belongs to some gate groups; a rule is listed under its first gate group as
(other group or -1, its RE2 set, rule id) and opens when both of its groups are present. The
matcher runs a set whole when more than ``alone`` of its rules opened and searches the open rules
of every other set one by one. The native ``gate_open`` (native/aimds_gates.h) answers this in C:
in Python the union of ~200 group ids per 2 KiB and the walk over their triggers were ~9 us of a
~160 us scan. :func:`gate_table_python` / :func:`gate_open_python` are its twin, and the parity
tests require identical results.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

__all__ = ["GateTable", "gate_open_python", "gate_table_python"]

Trigger = tuple[int, int, int]


def gate_table_python(word_groups: list[tuple[int, ...]], triggers: list[tuple[Trigger, ...]]) -> Any:
    """Twin of the native ``gate_table``: the two lists as tuples, checked as the C code checks them."""
    ng = len(triggers)
    for w, groups in enumerate(word_groups):
        if not isinstance(groups, tuple):
            raise TypeError(f"gate_table: word_groups[{w}] must be a tuple")
    for g, trig in enumerate(triggers):
        if not isinstance(trig, tuple):
            raise TypeError(f"gate_table: triggers[{g}] must be a tuple")
        for j, t in enumerate(trig):
            if not isinstance(t, tuple) or len(t) != 3:
                raise TypeError(f"gate_table: triggers[{g}][{j}] must be a 3-tuple")
    for groups in word_groups:
        for x in groups:
            _check(x, 0, ng, "group ids")
    for trig in triggers:
        for other, k, i in trig:
            _check(other, -1, ng, "other group ids")
            _check(k, 0, 1 << 24, "set ids")
            _check(i, 0, 1 << 24, "rule ids")
    return tuple(word_groups), tuple(triggers)


def _check(v: Any, lo: int, hi: int, what: str) -> None:
    if not isinstance(v, int):
        raise TypeError(f"gate_table: {what} must be ints")
    if not lo <= v < hi:
        raise ValueError(f"gate_table: {what} {v} out of range")


def gate_open_python(table: Any, found: list[int], alone: int) -> tuple[list[int], list[int]]:
    """Twin of the native ``gate_open``: (sets with more than ``alone`` open rules, ascending; the
    open rules of the other sets, ascending)."""
    if not isinstance(found, list):
        raise TypeError(f"gate_open: found must be a list, not {type(found).__name__}")
    if alone < 0:
        raise ValueError("gate_open: alone must be >= 0")
    word_groups, triggers = table
    for j, w in enumerate(found):
        if not isinstance(w, int) or not 0 <= w < len(word_groups):
            raise ValueError(f"gate_open: found[{j}] is not a word id of this table")
    present = set(chain.from_iterable(word_groups[w] for w in found))
    per_set: dict[int, list[int]] = {}
    for g in present:
        for other, k, i in triggers[g]:
            if other < 0 or other in present:
                per_set.setdefault(k, []).append(i)
    sets = sorted(k for k, rules in per_set.items() if len(rules) > alone)
    rules = sorted(i for r in per_set.values() if len(r) <= alone for i in r)
    return sets, rules


class GateTable:
    """The gate groups of each word id and the triggers of each gate group, for ``backend``
    (fastpath.Backend)."""

    def __init__(self, word_groups: Sequence[tuple[int, ...]], triggers: Sequence[tuple[Trigger, ...]],
                 backend: Any) -> None:
        self._table = backend.gate_table([tuple(g) for g in word_groups], [tuple(t) for t in triggers])
        self._open = backend.gate_open
        self.backend = backend.name

    def open(self, found: list[int], alone: int) -> tuple[list[int], list[int]]:
        """(sets to run whole, rules to search alone) for the words ``found``."""
        return self._open(self._table, found, alone)
