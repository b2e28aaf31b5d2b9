"""RE2 on any Python ``str``.

RE2 takes UTF-8, which a lone surrogate ("\\ud800") cannot be encoded to, and ``inspect`` accepts any
``str``. These helpers give RE2 the text with each lone surrogate replaced by U+FFFD, one character
for one, so every span found stays a span of the caller's text. The common case costs nothing extra:
:func:`re2_search` tries the text as it is first.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["re2_safe", "re2_search"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def re2_safe(text: str) -> str:
    """``text`` with lone surrogates replaced one-for-one by U+FFFD (``text`` itself if it has none)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def re2_search(rx: Any, text: str, *args: int) -> Any:
    """``rx.search(text, *args)`` for a compiled RE2 pattern, on any ``str``."""
    try:
        return rx.search(text, *args)
    except UnicodeEncodeError:
        return rx.search(_SURROGATE.sub("\ufffd", text), *args)
