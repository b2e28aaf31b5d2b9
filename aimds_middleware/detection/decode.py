"""Find encoded payloads (base64, hex, URL and HTML escapes, rot13, reversed text) and decode them.

Decoded text is folded and scanned like the input; a threat found inside maps back to the whole
encoded run in the original text. Decoding is bounded three ways: candidates per text, total
decoded characters (``max_chars``) and nesting depth (``max_depth``), so a hostile input of nested
encodings costs at most a few linear passes.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from urllib.parse import unquote

from .fastpath import fold
from .normalize import View, gates as gates_of

__all__ = ["decode_views"]

_MAX_CANDIDATES = 32
_MIN_B64 = 16

_B64 = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{%d,}={0,2}" % _MIN_B64)
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]?){10,}")
_PCT = re.compile(r"[^\s%]{0,16}(?:%[0-9A-Fa-f]{2}[^\s%]{0,4}){4,}")
_ENT = re.compile(r"(?:&#?[0-9A-Za-z]{1,8};[^&\s]{0,2}){4,}")
_ROT13 = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZabcdefghijklm",
)


def _printable_text(raw: bytes) -> str | None:
    """Bytes → text when they look like human text (valid UTF-8, mostly printable)."""
    if len(raw) < 6:
        return None
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    printable = sum(1 for ch in s if ch.isprintable() or ch in "\n\r\t")
    if printable < 0.9 * len(s):
        return None
    letters = sum(1 for ch in s if ch.isalpha())
    return s if letters >= 0.4 * len(s) else None


def _b64(token: str) -> str | None:
    t = token.rstrip("=")
    if not any(c.isdigit() or c.isupper() for c in t) or t.isalpha() and t.islower():
        return None  # a long lowercase word or identifier, not base64
    alt = "-_" if ("-" in t or "_" in t) else None
    t += "=" * (-len(t) % 4)
    try:
        raw = base64.b64decode(t, altchars=alt.encode() if alt else None, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _printable_text(raw)


def _hex(token: str) -> str | None:
    try:
        raw = bytes.fromhex(re.sub(r"[ :]", "", token))
    except ValueError:
        return None
    return _printable_text(raw)


def _pct(token: str) -> str | None:
    out = unquote(token, errors="strict") if "%" in token else None
    return out if out and out != token else None


def _ent(token: str) -> str | None:
    out = html.unescape(token)
    return out if out != token else None


_DECODERS = (("base64", _B64, _b64), ("hex", _HEX, _hex), ("url", _PCT, _pct), ("html", _ENT, _ent))


def decode_views(original: str, folded: str, *, max_depth: int, max_chars: int,
                 span: tuple[int, int] | None = None, depth: int = 0, shift: int = 0,
                 gates: frozenset[str] | None = None) -> list[View]:
    """Decoded views of ``original`` (whose folded form is ``folded``), recursively.

    ``gates`` (from :func:`normalize.gates`) says which decoders can possibly apply; computed
    here when not given.
    """
    if max_depth <= depth or max_chars <= 0:
        return []
    if gates is None:
        gates = gates_of(folded)
    views: list[View] = []
    budget = max_chars
    candidates = 0
    for name, pattern, decoder in _DECODERS:
        if name not in gates:
            continue
        for m in pattern.finditer(original):
            candidates += 1
            if candidates > _MAX_CANDIDATES or budget <= 0:
                break
            token = m.group()[: budget * 2]
            try:
                decoded = decoder(token)
            except (ValueError, UnicodeError):
                decoded = None
            if not decoded:
                continue
            decoded = decoded[:budget]
            budget -= len(decoded)
            where = span or (m.start() + shift, m.end() + shift)
            dfold, _ = fold(decoded)
            views.append(View(name, dfold, base=where, depth=depth + 1))
            views.extend(decode_views(decoded, dfold, max_depth=max_depth, max_chars=budget,
                                      span=where, depth=depth + 1))
    whole = span or (shift, shift + len(original))
    if budget > 0 and "rot13" in gates:
        views.append(View("rot13", folded[:budget].translate(_ROT13), base=whole, depth=depth + 1))
    if budget > 0 and "reversed" in gates:
        views.append(View("reversed", folded[:budget][::-1], base=whole, depth=depth + 1))
    return views
