"""Which of a fixed set of words occur in a text: the gate of the regex rules (matchers.py).

The matcher needs, per text, the *set* of gate literals present (a few thousand candidates, ~200
occurrences per 2 KiB of ordinary English, dozens distinct) and every occurrence of the few words
that carry literal rules or fuzzy anchors ("positional" words). Reporting each occurrence to
Python costs ~0.15 us; the native scanner (native/aimds_words.h) reports each word once.
:func:`word_table_python` / :func:`word_scan_python` are its twin — pyahocorasick over the same
bytes (decoded as Latin-1, so offsets are byte offsets) — and the parity tests require identical
results. Words are UTF-8, at least 3 bytes; since UTF-8 is self-synchronising, a word can only
match at character boundaries of the text it is searched in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ahocorasick

__all__ = ["MIN_WORD_BYTES", "WordScanner", "word_scan_python", "word_table_python"]

MIN_WORD_BYTES = 3


def word_table_python(words: list[bytes], positional: list[bool]) -> Any:
    """Twin of the native ``word_table``: an automaton whose values are (id, positional)."""
    if len(words) != len(positional):
        raise ValueError("word_table: words and positional differ in length")
    for i, w in enumerate(words):
        if not isinstance(w, bytes) or not MIN_WORD_BYTES <= len(w) <= 0xFFFF:
            raise ValueError(f"word_table: word {i} must be bytes of 3..65535 bytes")
        if not isinstance(positional[i], bool):
            raise TypeError(f"word_table: positional[{i}] must be a bool")
    ac = ahocorasick.Automaton()
    for i, w in enumerate(words):
        ac.add_word(w.decode("latin-1"), (i, positional[i]))
    if len(ac):
        ac.make_automaton()
    return ac


def word_scan_python(table: Any, data: bytes) -> tuple[list[int], list[tuple[int, int]]]:
    """Twin of the native ``word_scan``: (distinct ids found, ascending; sorted (end, id) of every
    occurrence of a positional word, ``end`` the byte offset just past it)."""
    if not isinstance(data, bytes):
        raise TypeError(f"word_scan: data must be bytes, not {type(data).__name__}")
    found: set[int] = set()
    occ: list[tuple[int, int]] = []
    if len(table):
        for last, (i, pos) in table.iter(data.decode("latin-1")):
            found.add(i)
            if pos:
                occ.append((last + 1, i))
    occ.sort()
    return sorted(found), occ


class WordScanner:
    """A fixed list of distinct words (``str``, at least 3 UTF-8 bytes each; a word's id is its
    index) and which of them are positional, scanned by ``backend`` (fastpath.Backend)."""

    def __init__(self, words: Sequence[str], positional: Sequence[bool], backend: Any) -> None:
        if len(set(words)) != len(words):
            raise ValueError("WordScanner: words must be distinct")
        self.words = list(words)
        encoded = [w.encode("utf-8", "surrogatepass") for w in words]
        self._table = backend.word_table(encoded, [bool(p) for p in positional])
        self._scan = backend.word_scan
        self.backend = backend.name

    def scan(self, data: bytes) -> tuple[list[int], list[tuple[int, int]]]:
        return self._scan(self._table, data)
