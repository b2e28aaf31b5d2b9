"""Input sanitiser: neutralise what detection found, keep the rest, and say what changed.

``sanitize(text, threats) -> (sanitized_text, changes)`` is called by the guard when the action
is SANITIZE (typically for untrusted content: tool output, retrieved documents). It works on the
caller's ORIGINAL text, in two passes, each linear in the text:

1. Threat spans (offsets into the original; clamped, overlapping and nested spans merged, spans
   of None skipped) are **removed** and replaced by a visible marker such as
   ``[aimds: removed instruction_override]``; invisible characters elsewhere are stripped —
   zero-width and filler characters, bidi controls, Unicode tag characters (U+E0000–E007F,
   "ASCII smuggling") and variation selectors (the emoji-data smuggling channel). A single
   ZWJ / VS15 / VS16 inside an emoji sequence is kept, so 👩‍💻 and ❤️ survive.
2. On that result, special chat-template tokens are defanged (``<|im_start|>`` →
   ``[im_start]``, ``[INST]`` → ``(INST)``, ``<<SYS>>`` → ``(SYS)``) and data-carrying
   markdown images, HTML image tags and links to request collectors are turned into inert text.

Why remove rather than fence: a fence ("the following is quoted data: …") leaves the attacker's
instructions in the model's context and relies on the model to honour the fence, which models
demonstrably do not do reliably — quoted instructions are still followed. Removing the span
does not depend on the model's obedience; the marker keeps the edit visible to the model and to
a human reviewing the prompt, and the change list records where it happened.

Never raises on any ``str`` (property-tested with arbitrary Unicode, lone surrogates included);
Python's ``re`` is used only for single character classes and literal alternations behind
literal prefilters, which cannot backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .._types import Category
from .normalize import emoji_glue

__all__ = ["sanitize"]

#: categories whose spans are not instructions to remove (handled otherwise, or not located text)
_NOT_REMOVED = {"invisible_text", "engine_error", "session_behavior", "policy_violation"}
_MAX_LISTED = 50

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f\u00ad\u115f\u1160\u3164\uffa0\u17b4\u17b5"
_BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_VARIATION = "\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f"
_TAGS = "\U000e0000-\U000e007f"
_INVISIBLE = re.compile(f"[{_ZERO_WIDTH}{_BIDI}{_VARIATION}{_TAGS}]+")
_KIND_NAMES = {
    "zero_width": "zero-width character",
    "bidi": "bidi control character",
    "tag": "Unicode tag character",
    "variation": "variation selector",
}

_SPECIAL = re.compile(
    r"<[|\uff5c]\s*([\w\u2581]{1,40})\s*[|\uff5c]>"  # <|im_start|>, <｜end▁of▁sentence｜>
    r"|\[(/?INST)\]"  # Llama 2
    r"|<<(/?SYS)>>"
    r"|<(/?(?:start_of_turn|end_of_turn|start_of_image|bos|eos))>",  # Gemma and friends
    re.IGNORECASE,
)
_SPECIAL_HINTS = ("<|", "<\uff5c", "[INST", "[/INST", "[inst", "[/inst", "<<", "_of_turn", "<bos", "<eos",
                  "_of_image")


def sanitize(text: str, threats: Iterable[Any] | None) -> tuple[str, tuple[str, ...]]:
    """Neutralise ``threats`` in ``text``; return the new text and the list of changes."""
    if not isinstance(text, str):
        raise TypeError(f"sanitize() takes str, not {type(text).__name__}")
    changes: list[str] = []
    removals = _removal_spans(text, threats or ())
    text1 = _pass_one(text, removals, changes)
    text2 = _defang_tokens(text1, changes)
    text3 = _defang_links(text2, changes)
    return text3, tuple(changes)


# ---- pass 1: threat spans and invisible characters (original offsets) --------------------------
def _removal_spans(text: str, threats: Iterable[Any]) -> list[tuple[int, int, list[str]]]:
    n = len(text)
    raw: list[tuple[int, int, str]] = []
    for t in threats:
        cat = getattr(t, "category", None)
        name = str(getattr(cat, "value", cat) or "threat")
        if name in _NOT_REMOVED:
            continue
        span = getattr(t, "span", None)
        try:
            a, b = span  # type: ignore[misc]
            a, b = int(a), int(b)
        except (TypeError, ValueError, OverflowError):
            continue  # no (usable) location: nothing to cut
        a, b = max(0, min(n, a)), max(0, min(n, b))
        if b > a:
            raw.append((a, b, name))
    raw.sort()
    merged: list[tuple[int, int, list[str]]] = []
    for a, b, name in raw:  # overlapping or nested spans become one removal
        if merged and a < merged[-1][1]:
            last = merged[-1]
            cats = last[2] if name in last[2] else last[2] + [name]
            merged[-1] = (last[0], max(last[1], b), cats)
        else:
            merged.append((a, b, [name]))
    return merged


def _pass_one(text: str, removals: list[tuple[int, int, list[str]]], changes: list[str]) -> str:
    out: list[str] = []
    counts = dict.fromkeys(_KIND_NAMES, 0)
    pos = 0
    for a, b, cats in removals:
        out.append(_strip_invisible(text, pos, a, counts))
        out.append(f"[aimds: removed {', '.join(cats)}]")
        pos = b
    out.append(_strip_invisible(text, pos, len(text), counts))
    for i, (a, b, cats) in enumerate(removals):
        if i == _MAX_LISTED:
            changes.append(f"removed {len(removals) - _MAX_LISTED} more spans")
            break
        changes.append(f"removed {'+'.join(cats)} at {a}-{b}")
    for kind, c in counts.items():
        if c:
            extra = " (hidden text)" if kind == "tag" else ""
            changes.append(f"stripped {c} {_KIND_NAMES[kind]}{'s' if c != 1 else ''}{extra}")
    return "".join(out)


def _strip_invisible(text: str, lo: int, hi: int, counts: dict[str, int]) -> str:
    if lo >= hi:
        return ""
    seg = text[lo:hi]
    if seg.isascii():
        return seg
    out: list[str] = []
    pos = 0
    for m in _INVISIBLE.finditer(seg):
        out.append(seg[pos:m.start()])
        last_kept = ""
        for i in range(m.start(), m.end()):
            ch = seg[i]
            if _keep_in_emoji(text, lo + i, ch, last_kept, lo, hi):
                out.append(ch)
                last_kept = ch
                continue
            last_kept = ""
            counts[_kind(ch)] += 1
        pos = m.end()
    out.append(seg[pos:])
    return "".join(out)


def _kind(ch: str) -> str:
    o = ord(ch)
    if 0xE0000 <= o <= 0xE007F:
        return "tag"
    if ch in _BIDI:
        return "bidi"
    if 0xFE00 <= o <= 0xFE0F or 0xE0100 <= o <= 0xE01EF or 0x180B <= o <= 0x180F and o != 0x180E:
        return "variation"
    return "zero_width"


def _keep_in_emoji(text: str, i: int, ch: str, last_kept: str, lo: int, hi: int) -> bool:
    """One ZWJ or VS15/VS16 that glues an emoji sequence together is legitimate
    (:func:`~.normalize.emoji_glue`, the same test count_invisible makes).

    Its neighbours must be kept characters of the same segment [lo, hi) (not a removed span,
    not another stripped character), so a second pass keeps exactly the same characters.
    """
    if last_kept and (ch == "\u200d") == (last_kept == "\u200d"):
        return False  # never two joiners, never two selectors in a row
    return emoji_glue(text, i, lo, hi)


# ---- pass 2: special tokens and exfiltration links (on the pass-1 text) --------------------------
def _defang_tokens(text: str, changes: list[str]) -> str:
    if not any(h in text for h in _SPECIAL_HINTS):
        return text
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if m.group(1):
            return f"[{m.group(1)}]"
        return f"({m.group(2) or m.group(3) or m.group(4)})"

    out = _SPECIAL.sub(repl, text)
    if count:
        changes.append(f"defanged {count} special token{'s' if count != 1 else ''}")
    return out


_LINK_SCANNER: Any = None


def _defang_links(text: str, changes: list[str]) -> str:
    if "//" not in text:  # every pattern needs a URL
        return text
    global _LINK_SCANNER
    if _LINK_SCANNER is None:
        from .secrets import LeakScanner

        _LINK_SCANNER = LeakScanner(pii_kinds=(), secrets=False)
    from .secrets import redact

    found = [t for t in _LINK_SCANNER.scan(text) if t.category is Category.DATA_EXFILTRATION]
    if not found:
        return text
    out, link_changes = redact(text, found)
    images = sum(1 for c in link_changes if "image" in c)
    links = len(link_changes) - images
    if images:
        changes.append(f"defanged {images} exfiltration image{'s' if images != 1 else ''}")
    if links:
        changes.append(f"defanged {links} exfiltration link{'s' if links != 1 else ''}")
    return out
