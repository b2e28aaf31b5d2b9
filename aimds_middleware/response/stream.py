"""Streaming output check with a hold-back window.

``OutputStream.feed(chunk)`` returns the text that is safe to send now; ``close()`` returns the
rest. The stream never releases a character until everything that could start at it and be
caught has fully arrived:

* the last ``stream_window`` characters (default 256) are always held — longer than every pattern
  that can contain whitespace (an obfuscated canary, a key header, a spaced card number, an
  ``api_key = "..."`` assignment);
* the trailing run of non-whitespace characters is held whole (tokens, keys, JWTs and URLs have
  no whitespace, so a long one is never cut in two);
* an open construct — a markdown ``[text](url`` or ``[ref]: url``, an HTML tag that loads
  something, a CSS ``url(``, a ``-----BEGIN … PRIVATE KEY`` block without its END line — is held
  from its first character until it closes;

all of it bounded by ``stream_max_hold`` (default 16 KiB): past that the text is checked and
released anyway, so memory stays bounded on endless streams. (A key block still open at the cap
blocks the stream: its body would otherwise leak; one still open at ``close()`` is redacted.)

Findings whose action is SANITIZE are redacted in place exactly as ``inspect_output`` redacts
them (the tests check the concatenated stream equals ``inspect_output(text).sanitized`` for every
chunking); a finding whose action is stricter — BLOCK for a canary by default, or REVIEW /
QUARANTINE from ``category_actions``, which a stream cannot wait for — stops the stream: from then
on ``feed`` and ``close`` emit nothing but the configured replacement, once. ``verdict`` is None
until something is found; its spans are offsets in the whole streamed text.

Text is released in steps of ``window // 4`` characters, so a stream of 1-character chunks is
scanned once per step, not once per character. One stream serves one consumer (not thread-safe).
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from .._types import Action, Category, Severity, Threat, Verdict
from ..detection.secrets import redact

__all__ = ["OutputStream"]

#: already-released characters re-scanned with new text (word boundaries, dedupe), not re-emitted
_CONTEXT = 64
#: most threats / change messages a stream remembers (the rest are counted)
_MAX_RECORDED = 1000
_LOADING_TAGS = ("img", "image", "iframe", "frame", "script", "source", "video", "audio", "embed", "object",
                 "input", "link", "body", "table", "td", "svg", "use", "track", "style", "div", "span", "a")
_TAG_NAME = re.compile(r"[A-Za-z]+")
_OPEN_TAG = re.compile(r"(?i)<(?:" + "|".join(_LOADING_TAGS) + r")(?![A-Za-z])")


class OutputStream:
    """Check a model's streamed output chunk by chunk (see the module docstring)."""

    def __init__(self, guard: Any, *, session: str | None = None, window: int | None = None,
                 max_hold: int | None = None, replacement: str | None = None) -> None:
        if session is not None and not isinstance(session, str):
            raise TypeError(f"session must be a str or None, not {type(session).__name__}")
        self._guard = guard
        self._scanner = guard._output_scanner()
        policy = self._scanner.policy
        self.window = int(window if window is not None else policy.stream_window)
        self.max_hold = int(max_hold if max_hold is not None else policy.stream_max_hold)
        if not 1 <= self.window <= self.max_hold:
            raise ValueError("need 1 <= window <= max_hold")
        self.replacement = policy.stream_replacement if replacement is None else str(replacement)
        self.session = session
        self.id = uuid.uuid4().hex
        self.verdict: Verdict | None = None
        #: release in steps, so a stream of 1-character chunks is not re-scanned per character
        self._step = max(1, self.window // 4)
        self._pending = ""  # received, not yet released (original text)
        self._ctx = ""  # tail of the released text (original), scanned as context only
        self._base = 0  # stream offset of _pending[0]
        self._threats: dict[tuple[str, int], Threat] = {}
        self._changes: list[str] = []
        self._dropped = 0
        self._action = Action.ALLOW
        self._received = 0
        self._ns = 0
        self._blocked = False
        self._closed = False

    # ---- public --------------------------------------------------------------------------
    @property
    def blocked(self) -> bool:
        return self._blocked

    @property
    def closed(self) -> bool:
        return self._closed

    def feed(self, chunk: str) -> str:
        """Add model output; return the text that is safe to send now (may be empty)."""
        if self._closed:
            raise RuntimeError("OutputStream.feed() after close()")
        chunk = self._guard._coerce(chunk)
        if self._blocked or not chunk:
            return ""
        self._received += len(chunk)
        self._pending += chunk
        if len(self._pending) - self.window < self._step:
            return ""  # at least the window stays held: nothing worth releasing yet, skip the scan
        return self._process(final=False)

    def close(self) -> str:
        """End of the model output: check and return everything still held."""
        if self._closed:
            return ""
        out = "" if self._blocked else self._process(final=True)
        self._closed = True
        self._pending = ""
        self._ctx = ""
        verdict = self.verdict or Verdict(id=self.id, action=Action.ALLOW, score=0.0, source="output",
                                          session=self.session, backend="re2", timings={"output": self._ns})
        self._guard.telemetry.on_verdict(verdict, self._received)
        return out

    # ---- internals -----------------------------------------------------------------------
    def _process(self, final: bool) -> str:
        p = self._pending
        n = len(p)
        if not final:
            cut = n - self._hold(p)
            if cut < self._step and n <= self.max_hold:
                return ""
        else:
            cut = n
        t0 = time.perf_counter_ns()
        region = self._ctx + p
        lead = len(self._ctx)
        try:
            found = self._scanner.scan(region, self.session)
        except Exception as exc:  # noqa: BLE001 - never take the host's stream down; on_error decides
            self._guard.telemetry.on_error("output_stream", exc)
            if self._guard.config.on_error == "block":
                threat = Threat(Category.ENGINE_ERROR, "engine.output_stream", None, 1.0, "guard", Severity.HIGH)
                return self._block([threat], error=f"{type(exc).__name__}: {exc}"[:500])
            return self._release(p, max(cut, 0), [])  # explicit fail-open: pass the text unchecked
        finally:
            self._ns += time.perf_counter_ns() - t0
        # findings in pending coordinates; those wholly inside the context were handled before
        live: list[Threat] = []
        for t in found:
            if t.span is None or t.span[1] <= lead:
                continue
            live.append(_shift(t, -lead))
        action_for = self._scanner.action_for
        stop = [t for t in live if action_for(t).rank > Action.SANITIZE.rank]
        if stop:
            return self._block(stop)
        # hold a finding that straddles the cut whole: it may still grow (a longer key, more URL)
        if not final:
            for a, b in _clusters(live):  # clusters never overlap, so one move settles the cut
                if a < cut < b:
                    # hold it whole unless that would exceed the cap; then release it whole
                    cut = max(a, 0) if n - max(a, 0) <= self.max_hold else b
                    break
            if cut <= 0:
                return ""
        emitted = [t for t in live if t.span[0] < cut]  # type: ignore[index]
        if not final and any(t.rule_id.endswith("_partial") for t in emitted):
            # a key body cut by the hold cap: what follows would leak unredacted (at close
            # nothing follows, so the block is redacted like inspect_output does)
            return self._block([t for t in emitted if t.rule_id.endswith("_partial")])
        return self._release(p, cut, emitted)

    def _release(self, p: str, cut: int, emitted: list[Threat]) -> str:
        head = p[:cut]
        out = head
        if emitted:
            act = self._scanner.action_for
            redactable = [t for t in emitted if act(t).rank >= Action.SANITIZE.rank]
            if redactable:
                out, changes = redact(head, redactable, offset=self._base)
                self._record_changes(changes)
            self._record(emitted)
        self._ctx = (self._ctx + head)[-_CONTEXT:]
        self._pending = p[cut:]
        self._base += cut
        return out

    def _block(self, threats: list[Threat], error: str | None = None) -> str:
        self._blocked = True
        self._pending = ""
        self._record(threats, action=Action.BLOCK, error=error)
        return self.replacement

    def _record(self, threats: list[Threat], action: Action | None = None, error: str | None = None) -> None:
        act = self._scanner.action_for
        for t in threats:
            a = act(t) if t.category is not Category.ENGINE_ERROR else Action.BLOCK
            if a.rank > self._action.rank:
                self._action = a
            t = _shift(t, self._base)
            key = (t.rule_id, t.span[0] if t.span else -1)
            if key not in self._threats:
                if len(self._threats) < _MAX_RECORDED:
                    self._threats[key] = t
                else:
                    self._dropped += 1
        if action is not None and action.rank > self._action.rank:
            self._action = action
        threats_all = tuple(sorted(self._threats.values(), key=lambda t: t.span[0] if t.span else -1))
        changes = tuple(self._changes)
        if self._dropped:
            changes += (f"{self._dropped} more findings not listed",)
        self.verdict = Verdict(
            id=self.id,
            action=self._action,
            score=max((t.confidence for t in threats_all), default=0.0),
            threats=threats_all,
            timings={"output": self._ns},
            source="output",
            session=self.session,
            backend="re2",
            error=error,
            changes=changes,
        )

    def _record_changes(self, changes: tuple[str, ...]) -> None:
        room = _MAX_RECORDED - len(self._changes)
        self._changes.extend(changes[:max(room, 0)])

    def _hold(self, p: str) -> int:
        """How many trailing characters of ``p`` must stay held (see the module docstring)."""
        n = len(p)
        cap = self.max_hold
        lo = max(0, n - cap)
        start = n - min(n, self.window)
        # trailing run of non-whitespace (keys, tokens, URLs)
        run = n
        while run > lo and not p[run - 1].isspace():
            run -= 1
            if n - run > 64:  # long run: find its start with C-level searches instead
                run = max(p.rfind(c, lo, run) for c in " \n\t\r\f\v\u00a0\u2028\u2029\u3000") + 1
                break
        run = max(run, lo)
        start = min(start, run)
        # open markdown construct: [text](url  /  [ref]: url  (the URL may start on the next line)
        k = _md_hold_start(p, lo)
        if k is not None:
            start = min(start, k)
        # open HTML tag that can load something: every "<" after the last ">" is unclosed, and
        # the scanner's match may run from the first such tag across later ones to their src=
        m = _OPEN_TAG.search(p, max(p.rfind(">", lo) + 1, lo))
        if m:
            start = min(start, m.start())
        # a tag name still arriving ("<im" at the very end)
        k = p.rfind("<", lo)
        if k != -1:
            m = _TAG_NAME.match(p, k + 1)
            if m and m.end() == n and any(t.startswith(m.group().lower()) for t in _LOADING_TAGS):
                start = min(start, k)
        # CSS url( without its ")"
        k = max(p.rfind("url(", lo), p.rfind("URL(", lo))
        if k != -1 and p.find(")", k) == -1:
            start = min(start, k)
        # private key block without its END line
        # (from the first BEGIN after the last complete END line: the scanner joins them all)
        e = p.rfind("-----END", lo)
        if e != -1 and p.find("-----", e + 8) == -1:
            e = p.rfind("-----END", lo, e)  # that END line is not finished yet
        k = p.find("-----BEGIN", max(e, lo))
        if k != -1:
            start = min(start, k)
        return n - max(start, lo)


def _md_hold_start(p: str, lo: int) -> int | None:
    """Where an unfinished markdown link/image/reference that reaches the end of ``p`` starts.

    The text part cannot contain a newline, so only the current line, and the previous one when
    it ends in "](" (the destination may follow a line break), can hold an open construct.
    """
    n = len(p)
    cur = max(p.rfind("\n", lo) + 1, lo)
    lines = [(cur, n)]
    if cur > lo:
        prev = max(p.rfind("\n", lo, cur - 1) + 1, lo)
        if p[prev:cur - 1].rstrip(" \t").endswith("](") and not any(c.isspace() for c in p[cur:].lstrip(" \t")):
            lines.append((prev, cur - 1))
    best: int | None = None
    for ls, le in lines:
        k = p.rfind("[", ls, le)
        if k == -1 or not _md_open(p, k):
            continue
        # the regex takes the leftmost "[" after the last "]" of the line: "![![x](" starts at 0
        j = p.rfind("]", ls, k) + 1 or ls
        f = p.find("[", max(j, ls), k + 1)
        f = f - 1 if f > 0 and p[f - 1] == "!" else f
        best = f if best is None else min(best, f)
    return best


def _md_open(p: str, k: int) -> bool:
    """Is the markdown construct starting at ``p[k] == '['`` still unfinished at the end of p?"""
    seg = p[k:]
    close = seg.find("]")
    if close == -1:
        return True
    after = seg[close + 1:]
    if after == "":
        return True  # "(" or ":" may follow
    if after[0] == "(":
        # still open while no ")" closed it and no whitespace ended the URL (a title may follow)
        return ")" not in after and after.count("\n") <= 1
    if after[0] == ":":
        url = after[1:].lstrip(" \t")
        return not url or not any(c.isspace() for c in url)
    return False


def _clusters(threats: list[Threat]) -> list[tuple[int, int]]:
    spans = sorted(t.span for t in threats if t.span)  # type: ignore[misc]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _shift(t: Threat, d: int) -> Threat:
    if t.span is None or d == 0:
        return t
    return Threat(t.category, t.rule_id, (t.span[0] + d, t.span[1] + d), t.confidence, t.detector, t.severity)
