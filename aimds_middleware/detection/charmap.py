"""The per-character folding table shared by the Python twin and the native routine.

``fold_char(cp)`` defines, for one code point, what it becomes in the folded view:

* invisible characters (zero-width, bidi controls, Unicode tags U+E0000–E007F, variation
  selectors, soft hyphen, other format characters, lone surrogates) → removed (``""``);
* whitespace and control characters → one ASCII space (runs are collapsed afterwards);
* letters from "fancy text" generators that NFKC leaves alone — small capitals ("ɪɢɴᴏʀᴇ"),
  negative circled and squared letters ("🅸🅶🅽"), regional indicator letters — → the Latin letter
  (:data:`LETTERLIKE`; bold, italic, circled and fullwidth letters NFKC already maps);
* everything else → NFKC, then casefold, then NFKD with combining marks dropped
  (so "Ｉｇｎóre" → "ignore", "й" → "и"); the result may be 0, 1 or several characters.

The table is deliberately per character (not whole-string NFKC) so a C routine can apply it in a
single pass and both back ends agree exactly. Cross-script homoglyph folding (Cyrillic "о" in a
Latin word) is *not* here: it would mangle real Russian or Greek text, so it is applied as a
separate view only to mixed-script words (see normalize.py).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["CONFUSABLES", "LEET", "LETTERLIKE", "fold_char", "is_invisible", "is_tag", "ascii_table"]

_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # arabic letter mark
    (0x115F, 0x1160),  # hangul fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # mongolian variation selectors / vowel separator
    (0x200B, 0x200F),  # zero-width space/joiners, LRM/RLM
    (0x202A, 0x202E),  # bidi embeddings/overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated formats
    (0x3164, 0x3164),  # hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # BOM / zero-width no-break space
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1D173, 0x1D17A),  # musical formatting
    (0xE0000, 0xE007F),  # tags (ASCII smuggling)
    (0xE0100, 0xE01EF),  # variation selectors supplement
)


def _letterlike() -> dict[int, str]:
    # read off the Unicode names (no hand-typed table to get wrong): IPA and phonetic extensions,
    # Latin Extended-D, and the enclosed alphanumeric supplement
    name = re.compile(r"(?:LATIN LETTER SMALL CAPITAL|NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER"
                      r"|REGIONAL INDICATOR SYMBOL LETTER) ([A-Z])")
    out: dict[int, str] = {}
    for lo, hi in ((0x0250, 0x02AF), (0x1D00, 0x1D7F), (0xA720, 0xA7FF), (0x1F100, 0x1F1FF)):
        for cp in range(lo, hi + 1):
            m = name.fullmatch(unicodedata.name(chr(cp), ""))
            if m:
                out[cp] = m.group(1).lower()
    return out


#: letters NFKC does not map to Latin ones but text generators use as such (see module docstring)
LETTERLIKE: dict[int, str] = _letterlike()


def is_tag(cp: int) -> bool:
    return 0xE0000 <= cp <= 0xE007F


def is_invisible(cp: int) -> bool:
    for lo, hi in _INVISIBLE_RANGES:
        if lo <= cp <= hi:
            return True
    if 0xD800 <= cp <= 0xDFFF:  # lone surrogate: not a character at all
        return True
    return unicodedata.category(chr(cp)) == "Cf"


def _is_space(cp: int) -> bool:
    if cp < 0x20 or 0x7F <= cp <= 0x9F:
        return True
    c = chr(cp)
    return c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc")


@lru_cache(maxsize=65536)  # bounded: a hostile text can hold a million distinct code points
def fold_char(cp: int) -> str:
    """What code point ``cp`` becomes in the folded view (see module docstring)."""
    if is_invisible(cp):
        return ""
    if _is_space(cp):
        return " "
    if cp in LETTERLIKE:
        return LETTERLIKE[cp]
    s = unicodedata.normalize("NFKC", chr(cp)).casefold()
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    # NFKC can yield spaces (U+00A0 → " ") or invisibles; map them the same way, one level only
    out = []
    for ch in s:
        o = ord(ch)
        if _is_space(o):
            out.append(" ")
        elif is_invisible(o):
            continue
        else:
            out.append(ch)
    return "".join(out)


def ascii_table() -> bytes:
    """256-byte table for the ASCII fast path: lowercase, controls and whitespace → space."""
    t = bytearray(range(256))
    for b in range(128):
        t[b] = ord(fold_char(b)) if fold_char(b) else 0x20
    return bytes(t)


#: leetspeak → letters, applied to whole words that mix letters and these characters
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                      "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})

#: Cyrillic/Greek/Armenian letters that look like Latin ones (lower case, after folding);
#: applied only to words that mix scripts, so genuine Russian or Greek text is left alone
CONFUSABLES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ɑ": "a", "ο": "o",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ց": "g",
})
