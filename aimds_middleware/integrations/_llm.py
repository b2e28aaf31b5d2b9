"""Framework-free helpers for LLM adapters: flatten chat messages into texts with their source.

Every LLM host (LangChain, LiteLLM, the HTTP adapters' JSON bodies) speaks some dialect of "a list
of chat messages": OpenAI (``role`` + ``content`` string or content-part list + ``tool_calls``),
Anthropic (``tool_use`` / ``tool_result`` / ``document`` blocks, a separate ``system``), LangChain
(message objects, ``("human", "hi")`` tuples, serialised ``{"lc": 1, ...}`` dicts). This module
reads all of them into :class:`Piece` s — one text plus *who wrote it* — because the engine judges
the same words differently by source: an instruction in the user turn is a jailbreak attempt, the
same instruction inside a tool result is an indirect injection.

Source mapping: system/developer → ``system``; user/human → ``user``; tool and function results →
``tool``; retrieved documents → ``retrieval``; assistant text and the tool calls it made →
``output`` (a forged assistant turn is a known injection trick, so history is inspected too).

Hostile input is bounded by :class:`Limits`: nesting depth, nodes visited, number of pieces and
total characters. What is cut is reported (``truncated``), never silently dropped: the caller
decides by ``GuardConfig.oversize_policy`` whether a truncated scan blocks.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._types import Action, Category, Severity, Threat, Verdict, new_id

if TYPE_CHECKING:  # pragma: no cover
    from .._guard import Guard

__all__ = [
    "Flattened", "Limits", "MessagesScan", "Piece", "ainspect_messages", "ascan_pieces", "error_verdict",
    "flatten_args", "flatten_data", "flatten_messages", "flatten_request", "inspect_messages", "rewrite", "scan_pieces",
    "strictest", "text_of", "with_source",
]

Path = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on how much of a message structure is read."""

    max_pieces: int = 1024
    max_chars: int = 4 << 20  # total characters inspected per call
    max_depth: int = 24  # nesting of content parts / tool results inside one message
    max_nodes: int = 200_000  # containers and leaves visited before the walk stops
    max_json_chars: int = 256 << 10  # tool-call argument strings parsed as JSON up to this size

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"Limits.{f.name} must be a positive int, got {v!r}")
        if self.max_depth > 200:  # the walk recurses per level: stay far from Python's stack limit
            raise ValueError(f"Limits.max_depth must be at most 200, got {self.max_depth}")


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Piece:
    """One text to inspect. ``path`` locates the string inside the input (keys and indices) so a
    sanitised version can be written back; it is None for derived text (e.g. joined tool-call
    arguments, attributes of message objects) that cannot be rewritten in place."""

    text: str
    source: str
    path: Path | None


@dataclass(frozen=True, slots=True)
class Flattened:
    pieces: tuple[Piece, ...]
    truncated: bool = False
    skipped: int = 0  # non-text parts (images, audio, files) and values that are not text


_ROLE_SOURCE = {
    **dict.fromkeys(("system", "developer", "systemmessage"), "system"),
    **dict.fromkeys(("user", "human", "humanmessage"), "user"),
    **dict.fromkeys(("assistant", "ai", "model", "aimessage", "aimessagechunk"), "output"),
    **dict.fromkeys(("tool", "function", "ipython", "toolmessage", "functionmessage", "function_call_output"),
                    "tool"),
    **dict.fromkeys(("retrieval", "document"), "retrieval"),
}

_TEXT_PART_KEYS = {"text": "text", "input_text": "text", "output_text": "text", "refusal": "refusal",
                   "thinking": "thinking", "reasoning": "reasoning", "summary_text": "text"}
_TOOL_CALL_PARTS = {"tool_use": "input", "server_tool_use": "input", "tool_call": "args",
                    "function_call": "arguments", "tool_call_chunk": "args"}
_TOOL_RESULT_PARTS = {"tool_result": "content", "function_call_output": "output",
                      "web_search_tool_result": "content", "mcp_tool_result": "content"}
_NON_TEXT_PARTS = frozenset({"image", "image_url", "input_image", "input_audio", "audio", "file", "input_file",
                             "video", "redacted_thinking", "container_upload"})


def role_source(role: Any) -> str:
    """Source for a chat role; unknown roles count as ``user`` (the strictest input path)."""
    if isinstance(role, str):
        return _ROLE_SOURCE.get(role.lower(), "user")
    return "user"


class _Walker:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pieces: list[Piece] = []
        self.nodes = 0
        self.truncated = False
        self.skipped = 0

    # -- bookkeeping ---------------------------------------------------------------------
    def _visit(self) -> bool:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self.truncated = True
            return False
        return True

    def add(self, text: Any, source: str, path: Path | None) -> None:
        if not self._visit():
            return
        if isinstance(text, str):
            if text:
                self.pieces.append(Piece(text, source, path))
        elif text is not None:
            self.skipped += 1

    # -- messages ------------------------------------------------------------------------
    def messages(self, messages: Any, path: Path, default_source: str = "user") -> None:
        if messages is None:
            return
        if isinstance(messages, str):
            self.add(messages, default_source, path)
            return
        if isinstance(messages, Mapping) or _is_message_object(messages):
            self.message(messages, path, default_source)
            return
        if isinstance(messages, (list, tuple)):
            for i, m in enumerate(messages):
                if self.truncated:
                    return
                self.message(m, path + (i,), default_source)
            return
        self.skipped += 1

    def message(self, m: Any, path: Path | None, default_source: str = "user") -> None:
        if not self._visit():
            return
        if isinstance(m, str):
            self.add(m, default_source, path)
            return
        if isinstance(m, tuple) and len(m) == 2 and isinstance(m[0], str):
            # LangChain shorthand ("human", "text")
            self.content(m[1], role_source(m[0]), _sub(path, 1), 0)
            return
        if isinstance(m, Mapping):
            if m.get("lc") == 1 and isinstance(m.get("kwargs"), Mapping):
                ids = m.get("id")
                role = ids[-1] if isinstance(ids, list) and ids and isinstance(ids[-1], str) else None
                kw = m["kwargs"]
                role = kw.get("role") if isinstance(kw.get("role"), str) else role
                self._message_fields(kw, role, _sub(path, "kwargs"), default_source)
                return
            role = m.get("role")
            if role is None:
                kind = m.get("type")
                if isinstance(kind, str) and (kind in _TEXT_PART_KEYS or kind in _TOOL_CALL_PARTS
                                              or kind in _TOOL_RESULT_PARTS or kind in _NON_TEXT_PARTS
                                              or kind in ("document", "search_result")):
                    # a bare content part at message level (Responses API ``input`` items)
                    self.part(m, default_source, path, 0)
                    return
                role = kind if kind != "message" else None
            self._message_fields(m, role, path, default_source)
            return
        if _is_message_object(m):
            role = getattr(m, "role", None)
            if not isinstance(role, str):
                role = getattr(m, "type", None)
            view = {k: getattr(m, k, None) for k in ("content", "tool_calls", "function_call", "reasoning_content")}
            extra = getattr(m, "additional_kwargs", None)
            if isinstance(extra, Mapping):
                for k in ("tool_calls", "function_call"):
                    if not view[k] and extra.get(k):
                        view[k] = extra.get(k)
            # attributes of host objects are read, not rewritten: path None
            self._message_fields(view, role, None, default_source)
            return
        self.skipped += 1

    def _message_fields(self, m: Mapping[str, Any], role: Any, path: Path | None, default_source: str) -> None:
        src = role_source(role) if role is not None else default_source
        self.content(m.get("content"), src, _sub(path, "content"), 0)
        if src == "output":
            rc = m.get("reasoning_content")
            if isinstance(rc, str):
                self.add(rc, "output", _sub(path, "reasoning_content"))
        calls = m.get("tool_calls")
        if isinstance(calls, (list, tuple)):
            for i, call in enumerate(calls):
                self.tool_call(call, _sub(path, "tool_calls", i))
        fc = m.get("function_call")
        if fc:
            self.tool_call({"function": fc}, None)

    def tool_call(self, call: Any, path: Path | None) -> None:
        if not self._visit():
            return
        fn = _get(call, "function")
        if fn is not None:
            self._args(_get(fn, "arguments"), _sub(path, "function", "arguments"))
            return
        for key in ("args", "input", "arguments"):
            val = _get(call, key)
            if val is not None:
                self._args(val, _sub(path, key))
                return

    def _args(self, value: Any, path: Path | None) -> None:
        """Tool-call arguments: JSON text or a dict. Parsed so ``\\u`` escapes cannot hide words;
        keys and string values are joined into one text (not rewritable in place)."""
        if value is None:
            return
        if isinstance(value, str):
            stripped = value.lstrip()
            if stripped[:1] in ("{", "[") and len(value) <= self.limits.max_json_chars:
                try:
                    value = json.loads(value)
                except (ValueError, RecursionError):
                    self.add(value, "output", path)
                    return
            else:
                self.add(value, "output", path)
                return
        leaves: list[str] = []
        self._leaves(value, leaves, 0)
        if leaves:
            self.add("\n".join(leaves), "output", None)

    def _leaves(self, value: Any, out: list[str], depth: int) -> None:
        if not self._visit():
            return
        if depth > self.limits.max_depth:
            self.truncated = True
            return
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, Mapping):
            for k, v in value.items():
                if isinstance(k, str) and len(k) > 24:  # short keys are field names, long ones may carry text
                    out.append(k)
                self._leaves(v, out, depth + 1)
                if self.truncated:
                    return
        elif isinstance(value, (list, tuple)):
            for v in value:
                self._leaves(v, out, depth + 1)
                if self.truncated:
                    return

    # -- content -------------------------------------------------------------------------
    def content(self, content: Any, source: str, path: Path | None, depth: int) -> None:
        if content is None:
            return
        if depth > self.limits.max_depth:
            self.truncated = True
            return
        if isinstance(content, str):
            self.add(content, source, path)
        elif isinstance(content, Mapping):
            self.part(content, source, path, depth)
        elif isinstance(content, (list, tuple)):
            for i, part in enumerate(content):
                if self.truncated:
                    return
                if isinstance(part, str):
                    self.add(part, source, _sub(path, i))
                else:
                    self.part(part, source, _sub(path, i), depth + 1)
        else:
            self._visit()
            self.skipped += 1

    def part(self, part: Any, source: str, path: Path | None, depth: int) -> None:
        if not self._visit():
            return
        if depth > self.limits.max_depth:
            self.truncated = True
            return
        if not isinstance(part, Mapping):
            text = getattr(part, "text", None)  # typed content blocks of SDKs
            if isinstance(text, str):
                self.add(text, source, None)
            else:
                self.skipped += 1
            return
        kind = part.get("type")
        if not isinstance(kind, str):  # hostile input: a list or dict here is unhashable
            kind = ""
        if kind in _TOOL_CALL_PARTS:
            key = _TOOL_CALL_PARTS[kind]
            self._args(part.get(key, part.get("input", part.get("args"))), _sub(path, key))
            return
        if kind in _TOOL_RESULT_PARTS:
            key = _TOOL_RESULT_PARTS[kind]
            self.content(part.get(key), "tool", _sub(path, key), depth + 1)
            return
        if kind in ("document", "search_result"):
            for key in ("title", "context"):
                self.add(part.get(key) if isinstance(part.get(key), str) else None, "retrieval", _sub(path, key))
            src = part.get("source")
            if isinstance(src, Mapping):
                if isinstance(src.get("data"), str) and src.get("type") == "text":
                    self.add(src["data"], "retrieval", _sub(path, "source", "data"))
                elif "content" in src:
                    self.content(src.get("content"), "retrieval", _sub(path, "source", "content"), depth + 1)
                else:
                    self.skipped += 1
            if "content" in part:
                self.content(part.get("content"), "retrieval", _sub(path, "content"), depth + 1)
            if isinstance(part.get("text"), str):
                self.add(part["text"], "retrieval", _sub(path, "text"))
            return
        if kind in _NON_TEXT_PARTS:
            self.skipped += 1
            return
        key = _TEXT_PART_KEYS.get(kind)
        if key is not None and isinstance(part.get(key), str):
            self.add(part[key], source, _sub(path, key))
            if kind == "reasoning" and isinstance(part.get("summary"), list):
                self.content(part["summary"], source, _sub(path, "summary"), depth + 1)
            return
        # unknown part type: read the obvious text fields, otherwise count it as skipped
        for k in ("text", "content"):
            if k in part and part[k] is not None:
                self.content(part[k], source, _sub(path, k), depth + 1)
                return
        self.skipped += 1


def _is_message_object(m: Any) -> bool:
    return not isinstance(m, (str, bytes, Mapping, list, tuple)) and hasattr(m, "content")


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key)
    if isinstance(obj, (str, bytes, list, tuple, int, float)) or obj is None:
        return None
    return getattr(obj, key, None)


def _sub(path: Path | None, *keys: Any) -> Path | None:
    return None if path is None else path + keys


def _select(w: _Walker) -> Flattened:
    """Apply the piece-count and character budgets. Over budget, keep the first few pieces (the
    system prompt usually) and then the newest ones, which is where a fresh attack sits; a piece
    that only partly fits keeps its head and tail."""
    lim = w.limits
    pieces = w.pieces
    total = sum(len(p.text) for p in pieces)
    if len(pieces) <= lim.max_pieces and total <= lim.max_chars:
        return Flattened(tuple(pieces), w.truncated, w.skipped)
    head, budget = _take(pieces[: min(8, max(1, lim.max_pieces // 8))], lim.max_pieces, lim.max_chars)
    tail, _ = _take(reversed(pieces[len(head):]), *budget)
    return Flattened(tuple(head + tail[::-1]), True, w.skipped)


def _take(pieces: Iterable[Piece], n: int, chars: int) -> tuple[list[Piece], tuple[int, int]]:
    out: list[Piece] = []
    for p in pieces:
        if n == 0 or chars == 0:
            break
        p = _fit(p, chars)
        out.append(p)
        n, chars = n - 1, chars - len(p.text)
    return out, (n, chars)


def _fit(p: Piece, budget: int) -> Piece:
    if len(p.text) <= budget:
        return p
    half = budget // 2
    return Piece(p.text[:half] + p.text[len(p.text) - (budget - half):], p.source, None)


def flatten_messages(messages: Any, limits: Limits | None = None, *, default_source: str = "user") -> Flattened:
    """Read a chat-message list (or one message, or a plain string) into pieces.

    Never raises on odd shapes inside the list: values that are not text are counted in
    ``skipped``. Paths are indices/keys from the top of ``messages``.
    """
    w = _Walker(limits or DEFAULT_LIMITS)
    w.messages(messages, (), default_source)
    return _select(w)


def flatten_request(data: Any, limits: Limits | None = None) -> Flattened:
    """Read an LLM request body (OpenAI chat/completions/responses, Anthropic messages, LiteLLM
    kwargs): ``system``/``instructions``, ``messages``, ``prompt``, ``input`` and tool
    descriptions. Paths start with the top-level key."""
    w = _Walker(limits or DEFAULT_LIMITS)
    if not isinstance(data, Mapping):
        w.messages(data, (), "user")
        return _select(w)
    for key in ("system", "instructions"):
        if key in data:
            w.content(data[key], "system", (key,), 0)
    if "messages" in data:
        w.messages(data["messages"], ("messages",), "user")
    if "prompt" in data:
        w.messages(data["prompt"], ("prompt",), "user")
    if "input" in data:
        w.messages(data["input"], ("input",), "user")
    tools = data.get("tools")
    if isinstance(tools, (list, tuple)):
        # tool descriptions come from tool servers (MCP) and are a known poisoning vector
        for i, t in enumerate(tools):
            if w.truncated:
                break
            fn = t.get("function", t) if isinstance(t, Mapping) else None
            if isinstance(fn, Mapping) and isinstance(fn.get("description"), str):
                inner = ("function",) if fn is not t else ()
                w.add(fn["description"], "tool", ("tools", i) + inner + ("description",))
    return _select(w)


def flatten_args(value: Any, limits: Limits | None = None) -> Flattened:
    """Tool-call arguments (a JSON string, a dict, or plain text) as ``output`` pieces."""
    w = _Walker(limits or DEFAULT_LIMITS)
    w._args(value, ())
    return _select(w)


def flatten_data(value: Any, source: str, limits: Limits | None = None) -> Flattened:
    """Arbitrary data — a tool's output, a JSON document — as ``source`` pieces: a content-part
    list is read as such (images skipped), any other structure string by string, keys and all."""
    w = _Walker(limits or DEFAULT_LIMITS)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) or (isinstance(v, Mapping) and "type" in v)
                                                 for v in value[:64]):
        w.content(value, source, (), 0)
    elif isinstance(value, (str, Mapping, list, tuple)):
        leaves: list[str] = []
        w._leaves(value, leaves, 0)
        for leaf in leaves:
            w.add(leaf, source, () if leaf is value else None)
    elif value is not None:
        w.skipped += 1
    return with_source(_select(w), source)


def with_source(flat: Flattened, source: str) -> Flattened:
    """The same pieces, all attributed to ``source``: content from a tool or a retriever stays
    data whatever roles it claims inside (a tool result saying ``"role": "system"`` gains nothing)."""
    return Flattened(tuple(dataclasses.replace(p, source=source) for p in flat.pieces), flat.truncated, flat.skipped)


def text_of(content: Any, limits: Limits | None = None) -> str:
    """All text in a content value (string, part list, message) joined by newlines — for output
    checks where the source is known."""
    f = flatten_messages(content, limits, default_source="output")
    return "\n".join(p.text for p in f.pieces)


# ---- rewriting ---------------------------------------------------------------------------

def rewrite(obj: Any, replacements: Mapping[Path, str]) -> Any:
    """Return a copy of ``obj`` with the strings at ``replacements``' paths replaced. Only the
    containers on those paths are copied; the input is not modified."""
    for path, text in replacements.items():
        obj = _set(obj, path, text)
    return obj


def _set(obj: Any, path: Path, value: str) -> Any:
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(obj, Mapping):
        return {**obj, key: _set(obj[key], rest, value)}
    if isinstance(obj, (list, tuple)):
        items = list(obj)
        items[key] = _set(obj[key], rest, value)
        return items if isinstance(obj, list) else tuple(items)
    raise TypeError(f"cannot rewrite inside {type(obj).__name__}")


# ---- inspecting --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MessagesScan:
    """Result of inspecting every piece. ``verdict`` is the strictest one; ``findings`` holds the
    pieces whose verdict was not ALLOW, in input order."""

    verdict: Verdict
    findings: tuple[tuple[Piece, Verdict], ...]
    truncated: bool
    inspected: int  # Guard.inspect calls made

    def sanitized(self, original: Any) -> tuple[Any, bool]:
        """``original`` with every SANITIZE finding replaced by its sanitised text. The flag is
        False when some finding could not be written back (derived text, or a verdict stricter
        than SANITIZE) — the caller must then refuse rather than pass the content on."""
        repl: dict[Path, str] = {}
        complete = True
        for piece, v in self.findings:
            if v.action is Action.SANITIZE and v.sanitized is not None and piece.path is not None:
                repl[piece.path] = v.sanitized
            else:
                complete = False
        if not repl:
            return original, complete
        try:
            return rewrite(original, repl), complete
        except (TypeError, KeyError, IndexError):
            return original, False


def strictest(verdicts: Sequence[Verdict]) -> Verdict | None:
    return max(verdicts, key=lambda v: (v.action.rank, v.score)) if verdicts else None


def _allow(session: str | None) -> Verdict:
    return Verdict(id=new_id(), action=Action.ALLOW, score=0.0, source="user", session=session)


def _limit_verdict(guard: Guard, session: str | None) -> Verdict:
    threat = Threat(Category.POLICY_VIOLATION, "llm.limits", None, 1.0, "integrations", Severity.HIGH)
    return Verdict(id=new_id(), action=Action.BLOCK, score=1.0, threats=(threat,), source="user",
                   session=session, truncated=True, backend=getattr(guard, "backend", "python"))


def error_verdict(guard: Guard, stage: str, exc: BaseException, session: str | None = None) -> Verdict:
    """Verdict for a failure inside an adapter, decided by ``on_error`` like engine failures."""
    guard.telemetry.on_error(stage, exc)
    fail_closed = getattr(guard.config, "on_error", "block") != "allow"
    threat = Threat(Category.ENGINE_ERROR, f"integrations.{stage}", None, 1.0, "integrations", Severity.HIGH)
    return Verdict(id=new_id(), action=Action.BLOCK if fail_closed else Action.ALLOW,
                   score=1.0 if fail_closed else 0.0, threats=(threat,), source="user", session=session,
                   error=f"{type(exc).__name__}: {exc}"[:500])


def _finish(guard: Guard, flat: Flattened, results: list[tuple[Piece, Verdict]], session: str | None,
            calls: int) -> MessagesScan:
    findings = tuple((p, v) for p, v in results if v.action is not Action.ALLOW)
    verdict = strictest([v for _, v in results]) or _allow(session)
    if flat.truncated:
        if getattr(guard.config, "oversize_policy", "head_tail") == "block":
            verdict = _limit_verdict(guard, session)
        elif not verdict.truncated:
            verdict = dataclasses.replace(verdict, truncated=True)
    return MessagesScan(verdict, findings, flat.truncated, calls)


#: pieces of one source are inspected together up to this many characters: a Guard.inspect call
#: costs ~50 µs before it reads a character, so a 20-message history in one call per source is
#: ~10x cheaper than one call per message
BATCH_CHARS = 8192
_SEP = "\n\n"

_Plan = Generator[tuple[str, str], Verdict, list[tuple[Piece, Verdict]]]


def _batches(pieces: Sequence[Piece]) -> list[list[Piece]]:
    by_source: dict[str, list[list[Piece]]] = {}
    for p in pieces:
        groups = by_source.setdefault(p.source, [[]])
        cur = groups[-1]
        size = sum(len(q.text) + len(_SEP) for q in cur)
        if cur and size + len(p.text) > BATCH_CHARS:
            groups.append([p])
        else:
            cur.append(p)
    return [b for groups in by_source.values() for b in groups if b]


def _plan(flat: Flattened) -> _Plan:
    """Which texts to inspect, as a generator shared by the sync and async scans: it yields
    ``(text, source)`` and is sent the verdict. A batch that passes clean settles all its pieces;
    otherwise each piece is inspected alone, so findings point at the piece to rewrite. A finding
    only the joined text shows (an attack split across messages) is kept, marked not rewritable."""
    results: list[tuple[Piece, Verdict]] = []
    for batch in _batches(flat.pieces):
        if len(batch) == 1:
            v = yield (batch[0].text, batch[0].source)
            results.append((batch[0], v))
            continue
        joined = _SEP.join(p.text for p in batch)
        v = yield (joined, batch[0].source)
        if v.action is Action.ALLOW and not v.truncated:
            results.extend((p, v) for p in batch)
            continue
        per: list[tuple[Piece, Verdict]] = []
        for p in batch:
            pv = yield (p.text, p.source)
            per.append((p, pv))
        results.extend(per)
        worst = strictest([pv for _, pv in per])
        if worst is None or v.action.rank > worst.action.rank:
            results.append((Piece(joined, batch[0].source, None), v))
    return results


def scan_pieces(guard: Guard, flat: Flattened, *, session: str | None = None) -> MessagesScan:
    """Inspect the pieces with their sources (model-written pieces too: ``source="output"``)."""
    calls = 0
    try:
        plan = _plan(flat)
        try:
            text, source = next(plan)
            while True:
                calls += 1
                text, source = plan.send(guard.inspect(text, source=source, session=session))
        except StopIteration as done:
            return _finish(guard, flat, done.value, session, calls)
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not crash the host; on_error decides
        return MessagesScan(error_verdict(guard, "messages", exc, session), (), flat.truncated, calls)


async def ascan_pieces(guard: Guard, flat: Flattened, *, session: str | None = None) -> MessagesScan:
    """Async twin of :func:`scan_pieces` (``Guard.ainspect``: large texts off the event loop)."""
    calls = 0
    try:
        plan = _plan(flat)
        try:
            text, source = next(plan)
            while True:
                calls += 1
                text, source = plan.send(await guard.ainspect(text, source=source, session=session))
        except StopIteration as done:
            return _finish(guard, flat, done.value, session, calls)
    except Exception as exc:  # noqa: BLE001 - as above
        return MessagesScan(error_verdict(guard, "messages", exc, session), (), flat.truncated, calls)


def inspect_messages(guard: Guard, messages: Any, session: str | None = None, *,
                     limits: Limits | None = None) -> Verdict:
    """Inspect every text in ``messages`` with its source; return the strictest verdict."""
    return scan_pieces(guard, flatten_messages(messages, limits), session=session).verdict


async def ainspect_messages(guard: Guard, messages: Any, session: str | None = None, *,
                            limits: Limits | None = None) -> Verdict:
    """Async twin of :func:`inspect_messages`."""
    return (await ascan_pieces(guard, flatten_messages(messages, limits), session=session)).verdict
