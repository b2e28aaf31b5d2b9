"""Canary tokens: random markers planted in a system prompt; seeing one in output is a leak.

A token is 24 lowercase base32 characters (120 random bits from :mod:`secrets`), so it cannot be
guessed and never occurs in ordinary text. Detection tolerates light obfuscation a model (or an
attacker asking it to "spell it out") produces:

* case changes and inserted separators — spaces, dashes, dots, zero-width or other non-ASCII
  characters — by searching an ASCII-alphanumeric, lower-cased copy of the text;
* base64 (standard and URL-safe, at any byte alignment inside a larger blob, line-wrapped or not)
  by searching the three alignment-stable base64 "cores" of the token in a whitespace-free copy;
* hex of the token's bytes.

Both copies are made with ``bytes.translate`` (C speed, ~10 µs per 16 KiB); offsets back to the
original are rebuilt only when something was found. Tokens live in a bounded in-memory registry
and, when the guard's store has ``add_canary(token, session)`` / ``canaries(session)``, in the
store too, so other replicas see them.
"""

from __future__ import annotations

import base64
import re
import secrets
import string
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

import ahocorasick

from .._types import Category, Severity, Threat

__all__ = ["CanaryRegistry", "token_variants"]

_ALNUM = set((string.ascii_letters + string.digits).encode())
_DEL_NON_ALNUM = bytes(b for b in range(256) if b not in _ALNUM)
_DEL_WS = b" \t\r\n\x0b\x0c"
_ALNUM_RUN = re.compile(r"[0-9A-Za-z]+")
_NON_WS_ASCII_RUN = re.compile(r"[\x00-\x08\x0e-\x1f\x21-\x7f]+")
_TOKEN_RE = re.compile(r"[a-z2-7]{24}")
#: above this many tokens to check, one Aho-Corasick pass beats a find() per token
_AUTOMATON_MIN = 48
#: seconds a store's canary list is reused
_REMOTE_TTL = 1.0
_MAX_HITS = 1 << 20
_MAP_CHUNK = 2048  # bounded by the text anyway; every hit must be redactable


def token_variants(token: str) -> tuple[list[str], list[str]]:
    """(needles for the alphanumeric copy, needles for the whitespace-free copy)."""
    raw = token.encode("ascii")
    alnum = [token.lower(), raw.hex()]
    cores: list[str] = []
    for k in range(3):  # the token may start at any byte offset inside a larger base64 blob
        enc = base64.b64encode(b"\0" * k + raw).decode("ascii")
        lo = -(-8 * k // 6)  # first character made only of token bits
        hi = (8 * (k + len(raw))) // 6  # last character made only of token bits (exclusive)
        core = enc[lo:hi]
        cores += [core, core.replace("+", "-").replace("/", "_")]
    return alnum, sorted(set(cores))


class CanaryRegistry:
    """Bounded, thread-safe registry of live canary tokens, by session."""

    def __init__(self, *, max_tokens: int = 10000, store: Callable[[], Any] | None = None,
                 warn: Callable[[str, str], None] | None = None) -> None:
        self._max = max_tokens
        self._store = store or (lambda: None)
        self._warn = warn or (lambda what, msg: None)
        self._lock = threading.Lock()
        self._tokens: OrderedDict[str, str | None] = OrderedDict()  # token -> session
        self._by_session: dict[str | None, set[str]] = {}
        self._variants: dict[str, tuple[list[str], list[str]]] = {}
        self._version = 0
        self._auto: tuple[Any, Any, Any] | None = None
        self._remote_cache: OrderedDict[str | None, tuple[float, list[str]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._tokens)

    def new(self, session: str | None = None) -> str:
        token = base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()
        self.add(token, session)
        store = self._store()
        adder = getattr(store, "add_canary", None)
        if adder is not None:
            try:
                adder(token, session)
            except Exception as exc:  # noqa: BLE001 - any store failure: the local registry still catches leaks
                self._warn("canary_store", f"could not store canary: {type(exc).__name__}")
        return token

    def add(self, token: str, session: str | None = None) -> None:
        if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
            raise ValueError("not a canary token made by this registry")
        with self._lock:
            if token in self._tokens:
                self._tokens.move_to_end(token)
                return
            self._tokens[token] = session
            self._by_session.setdefault(session, set()).add(token)
            self._variants[token] = token_variants(token)
            while len(self._tokens) > self._max:  # bounded: oldest canaries retire first
                old, sess = self._tokens.popitem(last=False)
                self._variants.pop(old, None)
                bucket = self._by_session.get(sess)
                if bucket is not None:
                    bucket.discard(old)
                    if not bucket:
                        del self._by_session[sess]
            self._version += 1

    def tokens_for(self, session: str | None) -> list[str]:
        """Tokens an output of ``session`` may leak: its own and the global ones.

        With ``session=None`` every live token is checked (the caller did not say whose output
        this is, so any planted canary counts).
        """
        local, extra = self._candidates(session)
        return local + extra

    def _candidates(self, session: str | None) -> tuple[list[str], list[str]]:
        """(tokens of this replica, tokens only the store knows)."""
        with self._lock:
            if session is None:
                local = list(self._tokens)
            else:
                local = list(self._by_session.get(session, ())) + list(self._by_session.get(None, ()))
        store = self._store()
        getter = getattr(store, "canaries", None)
        if getter is None:
            return local, []
        known = self._tokens  # read-only membership test; a stale answer only re-checks a token
        return local, [t for t in self._remote(getter, session) if t not in known]

    def _remote(self, getter: Callable[[str | None], Iterable[str]], session: str | None) -> list[str]:
        """Tokens other replicas stored, cached briefly: a stream re-checks every few dozen
        characters and must not cost a store round trip each time."""
        now = time.monotonic()
        hit = self._remote_cache.get(session)
        if hit is not None and now - hit[0] < _REMOTE_TTL:
            return hit[1]
        try:
            remote = [t for t in getter(session) if isinstance(t, str) and _TOKEN_RE.fullmatch(t)]
        except Exception as exc:  # noqa: BLE001 - any store failure degrades to this replica's tokens
            self._warn("canary_store", f"could not read canaries: {type(exc).__name__}")
            return []
        with self._lock:
            self._remote_cache[session] = (now, remote)
            while len(self._remote_cache) > 1024:
                self._remote_cache.popitem(last=False)
        return remote

    # ---- detection -----------------------------------------------------------------------
    def find(self, text: str, session: str | None) -> list[Threat]:
        local, extra = self._candidates(session)
        if not (local or extra) or not text:
            return []
        ascii_ = text.encode("ascii", "ignore")
        norm = ascii_.translate(None, _DEL_NON_ALNUM).lower().decode("ascii")
        compact = ascii_.translate(None, _DEL_WS).decode("ascii")
        hits_norm: list[tuple[int, int]] = []
        hits_comp: list[tuple[int, int]] = []
        if session is None and len(local) + len(extra) >= _AUTOMATON_MIN:
            a_norm, a_comp = self._automata(tuple(extra))
            hits_norm = _aho_hits(a_norm, norm)
            hits_comp = _aho_hits(a_comp, compact)
        else:
            for tok in local + extra:
                v = self._variants.get(tok) or token_variants(tok)
                for needle in v[0]:
                    hits_norm += _find_all(norm, needle)
                for needle in v[1]:
                    hits_comp += _find_all(compact, needle)
        out: list[Threat] = []
        if hits_norm:
            for a, b in _map_spans(text, _ALNUM_RUN, _DEL_NON_ALNUM, hits_norm):
                exact = text[a:b] in self._tokens or text[a:b] in extra  # the token itself, untouched
                out.append(Threat(Category.CANARY_LEAK, "canary.verbatim" if exact else "canary.obfuscated",
                                  (a, b), 1.0 if exact else 0.95, "canary", Severity.CRITICAL))
        if hits_comp:
            for a, b in _map_spans(text, _NON_WS_ASCII_RUN, _DEL_WS, hits_comp):
                out.append(Threat(Category.CANARY_LEAK, "canary.base64", (a, b), 0.9, "canary", Severity.CRITICAL))
        return out

    def _automata(self, extra: tuple[str, ...]) -> tuple[Any, Any]:
        """One automaton over every live token (+ the store-only ones), rebuilt when they change."""
        key = (self._version, extra)
        with self._lock:
            if self._auto is not None and self._auto[0] == key:
                return self._auto[1], self._auto[2]
            items = list(self._variants.values())
        items += [token_variants(t) for t in extra]  # not kept: the store's list is not ours to bound
        a_norm, a_comp = ahocorasick.Automaton(), ahocorasick.Automaton()
        for alnum, cores in items:
            for n in alnum:
                a_norm.add_word(n, len(n))
            for c in cores:
                a_comp.add_word(c, len(c))
        a_norm.make_automaton()
        a_comp.make_automaton()
        with self._lock:
            self._auto = (key, a_norm, a_comp)
        return a_norm, a_comp


def _find_all(hay: str, needle: str) -> list[tuple[int, int]]:
    out = []
    i = hay.find(needle)
    while i != -1 and len(out) < _MAX_HITS:
        out.append((i, i + len(needle)))
        i = hay.find(needle, i + 1)
    return out


def _aho_hits(automaton: Any, hay: str) -> list[tuple[int, int]]:
    if not hay or len(automaton) == 0:
        return []
    out = []
    for end, length in automaton.iter(hay):
        out.append((end - length + 1, end + 1))
        if len(out) >= _MAX_HITS:
            break
    return out


def _map_spans(text: str, kept: re.Pattern[str], delete: bytes,
               spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Map spans in a copy made of the ``kept`` runs of ``text`` back to ``text`` offsets.

    The copy keeps exactly the ASCII characters ``bytes.translate(None, delete)`` keeps. Chunks
    before the first wanted position are skipped at C speed (a translate per 2 KiB); only the
    chunks holding a hit are walked run by run.
    """
    spans = sorted(set(spans))
    if not spans:
        return []
    wanted = sorted({p for a, b in spans for p in (a, b - 1)})
    where: dict[int, int] = {}
    k = 0
    copy_pos = 0
    start = 0
    n = len(text)
    while k < len(wanted) and start < n:
        chunk = text[start:start + _MAP_CHUNK]
        count = len(chunk.encode("ascii", "ignore").translate(None, delete))
        if wanted[k] < copy_pos + count:
            pos = copy_pos
            for m in kept.finditer(chunk):
                run_len = m.end() - m.start()
                while k < len(wanted) and wanted[k] < pos + run_len:
                    where[wanted[k]] = start + m.start() + (wanted[k] - pos)
                    k += 1
                pos += run_len
                if k == len(wanted):
                    break
        copy_pos += count
        start += _MAP_CHUNK
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if a in where and (b - 1) in where:
            s, e = where[a], where[b - 1] + 1
            if merged and s < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
    return merged
