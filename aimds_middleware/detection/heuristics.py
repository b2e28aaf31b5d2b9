"""Detectors a regex cannot express, named by rules of kind ``heuristic`` in the packs.

A pack rule ``{"kind": "heuristic", "pattern": "noise_tail", ...}`` gives the detector its id,
family, severity and examples; the code lives here. Heuristics read the *original* text, because
the structure they look at (which line is the last one, code fences, Markdown links) does not
survive folding; each returns the span it found in the text it was given, or ``None``.

Every detector reads a bounded window of the text (:data:`WINDOW` characters), so its cost does
not grow with the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["HEURISTICS", "LINE_WINDOW", "WINDOW", "noise_tail"]

#: characters of the text's end a heuristic may read
WINDOW = 4096
#: of which noise_tail tokenises at most the last line's final LINE_WINDOW characters
LINE_WINDOW = 600

# Characters that optimisation-found suffixes (GCG, DSN, AutoDAN's token noise) are full of and
# prose almost never holds: brackets, braces, backslashes, carets, backticks, pipes, angle brackets.
_NOISY = re.compile(r"[{}\[\]\\^`|<>$]")
_PUNCT = re.compile(r"[^\w\s]")
_LETTER = re.compile(r"[^\W\d_]")
_TOKEN = re.compile(r"\S+")
# Benign sources of bracket-dense lines, removed or refused before counting: Markdown links and
# images, URLs, inline code spans; JSON/dict fields; code fences, RST literals, HTML code, tables.
_BENIGN_SPANS = re.compile(r"!?\[[^\]\n]{0,200}\]\([^()\s]{1,300}\)|https?://\S+|`[^`\n]{1,80}`")
_DICT_FIELD = re.compile(r"[\"'][\w .-]{1,40}[\"'] ?: ?[\"'\[{0-9tfn]")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))
_MIN_PROSE_WORDS = 5
_MIN_TAIL_TOKENS = 5
_MIN_NOISY_CHARS = 4
_MIN_ODD_SHARE = 0.15


def noise_tail(text: str) -> tuple[int, int] | None:
    """A last line that opens as prose (five or more plain words) and ends in token noise — at least
    five tokens after the first bracket-bearing one, four or more bracket-like characters among
    them, at least 15% of them punctuation-laden words ("}}^{]", "((clone{[=${Match"), and
    brackets left unbalanced (an inline snippet of code closes what it opens).

    That is the shape of an adversarial suffix appended to a request; code, JSON, Markdown and
    tables are refused first because they are where benign bracket-dense lines come from.
    Only the last line's final :data:`LINE_WINDOW` characters are tokenised. Returns the span
    of the noisy tokens in ``text``.
    """
    start = max(len(text) - WINDOW, 0)
    window = text[start:].rstrip()
    cut = max(window.rfind("\n") + 1, len(window) - LINE_WINDOW)
    line = window[cut:]
    # cheap exit first (the hot path: almost every text ends without four bracket-like characters)
    if len(_NOISY.findall(line)) < _MIN_NOISY_CHARS:
        return None
    if "``" in window or "<code>" in window or window.count("| ") >= 4 or _DICT_FIELD.search(line):
        return None
    # same length, so positions in ``plain`` are positions in ``line``
    plain = _BENIGN_SPANS.sub(lambda m: " " * len(m.group()), line)
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(plain)]
    first = next((i for i, (a, b) in enumerate(tokens) if _NOISY.search(plain, a, b)), None)
    if first is None or first < _MIN_PROSE_WORDS:
        return None
    tail = tokens[first:]
    if len(tail) < _MIN_TAIL_TOKENS:
        return None
    noisy = odd = 0
    for a, b in tail:
        word = plain[a:b]
        noisy += len(_NOISY.findall(word))
        if len(_PUNCT.findall(word)) >= 2 and _LETTER.search(word):
            odd += 1
    if noisy < _MIN_NOISY_CHARS or odd < _MIN_ODD_SHARE * len(tail):
        return None
    noise = plain[tail[0][0]:tail[-1][1]]
    if all(noise.count(a) == noise.count(b) for a, b in _PAIRS):
        return None  # every bracket closed: an inline code snippet, not optimiser noise
    offset = start + cut
    return (offset + tail[0][0], offset + tail[-1][1])


#: detector name (a rule's ``pattern``) -> function
HEURISTICS: dict[str, Callable[[str], tuple[int, int] | None]] = {"noise_tail": noise_tail}
