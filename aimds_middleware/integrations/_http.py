"""Framework-free HTTP helpers shared by the ASGI, Starlette, Django and Flask adapters.

One request goes through four pure steps, so every host behaves the same on the same bytes:

1. :func:`extract` turns ``(content type, body)`` into a :class:`Payload`: the texts to inspect,
   each with its source (user/system/tool) and its location, so a SANITIZE verdict can be written
   back. It understands OpenAI chat/completions/responses, Anthropic messages, Gemini contents,
   LiteLLM (the OpenAI shapes), configured JSON paths and urlencoded forms, and falls back to every
   string in an unknown JSON document. Malformed, oversized or hostile input raises
   :class:`PayloadError`, which carries the problem response to send.
2. :func:`inspect_payload` / :func:`ainspect_payload` run the guard (one call per source, split
   per text only when something must be rewritten).
3. :func:`decide` maps the verdicts to an :class:`Outcome`: pass, rewrite, or problem.
4. Problem bodies follow RFC 9457 and carry categories and a request id — never matched text.

:func:`check` / :func:`acheck` do all four and never raise for bad input or engine errors:
whatever happens yields an Outcome (``on_error`` decides what an internal failure means).
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .._types import Action, Source, Verdict, new_id
from ..errors import ConfigError

__all__ = ["HttpPolicy", "Outcome", "Payload", "PayloadError", "Piece", "acheck", "check", "decide", "extract",
           "problem", "request_id"]

PROBLEM_CONTENT_TYPE = "application/problem+json"
_ROLE_SOURCE = {
    "system": Source.SYSTEM,
    "developer": Source.SYSTEM,
    "tool": Source.TOOL,
    "function": Source.TOOL,
    "ipython": Source.TOOL,
}
_REQUEST_ID_OK = re.compile(r"[A-Za-z0-9._:\-]{1,128}\Z")
_TEXT_KEYS = ("text", "input_text", "output_text")
_CHARSETS = (None, "utf-8", "utf8", "us-ascii", "ascii")
#: keys whose string values are protocol tokens or binary payloads, not text a model reads
_STRUCTURAL = frozenset({"role", "type", "model", "id", "object", "tool_call_id", "tool_use_id", "finish_reason",
                         "media_type", "mime_type", "format", "detail", "url", "image_url", "data", "file_data",
                         "input_audio", "audio", "encoding_format", "service_tier", "stop", "user"})


# ---- configuration ---------------------------------------------------------------------------
@dataclass(frozen=True)
class HttpPolicy:
    """Limits and behaviour shared by the HTTP adapters. Invalid values raise ConfigError."""

    #: bodies above this many bytes get 413 before the guard runs
    max_body_bytes: int = 1 << 20
    #: JSON nested deeper than this gets 400 (hostile nesting, not a chat request)
    max_json_depth: int = 32
    #: at most this many texts per request (messages, parts, form fields)
    max_texts: int = 512
    #: extra dotted JSON paths to inspect, ``*`` matches every list item / dict value
    json_paths: tuple[str, ...] = ()
    #: HTTP methods whose body is inspected
    methods: tuple[str, ...] = ("POST", "PUT", "PATCH")
    #: status of the problem response for a blocked request
    block_status: int = 400
    #: what an exception escaping the guard means: None follows ``guard.config.on_error``
    on_error: str | None = None
    #: bodies the adapter cannot read (multipart, octet-stream, compressed): "reject" (415) or "pass"
    unsupported_media: str = "reject"
    #: request header whose value becomes the request id (echoed back); generated when absent
    request_id_header: str = "x-request-id"
    #: optional request header naming the conversation, passed to the guard as ``session``
    session_header: str | None = None
    #: prefix of the problem ``type`` URI; the slug (e.g. ``prompt-blocked``) is appended
    problem_base: str = "urn:aimds:problem:"

    def __post_init__(self) -> None:
        for name, lo, hi in (("max_body_bytes", 1, 1 << 31), ("max_json_depth", 1, 512), ("max_texts", 1, 1 << 20),
                             ("block_status", 400, 599)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ConfigError(name, f"must be an integer in [{lo}, {hi}], got {v!r}")
        if self.on_error not in (None, "block", "allow"):
            raise ConfigError("on_error", f"must be 'block', 'allow' or None, got {self.on_error!r}")
        if self.unsupported_media not in ("reject", "pass"):
            raise ConfigError("unsupported_media", f"must be 'reject' or 'pass', got {self.unsupported_media!r}")
        for name in ("json_paths", "methods"):
            v = getattr(self, name)
            if isinstance(v, str) or not all(isinstance(p, str) and p for p in v):
                raise ConfigError(name, "must be a list of non-empty strings")
        object.__setattr__(self, "json_paths", tuple(self.json_paths))
        object.__setattr__(self, "methods", tuple(m.upper() for m in self.methods))
        object.__setattr__(self, "_paths", tuple(tuple(_path_part(p) for p in s.split(".")) for s in self.json_paths))
        for name in ("request_id_header", "session_header"):
            v = getattr(self, name)
            if v is None and name == "session_header":
                continue
            if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z0-9\-_]+", v):
                raise ConfigError(name, f"must be a header name, got {v!r}")
            object.__setattr__(self, name, v.lower())
        if not isinstance(self.problem_base, str):
            raise ConfigError("problem_base", "must be a string")

    def failure_policy(self, guard: Any) -> str:
        return self.on_error or getattr(guard.config, "on_error", "block")


def split_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split adapter keyword arguments into (HttpPolicy fields, the rest)."""
    known = set(HttpPolicy.__dataclass_fields__)
    return {k: v for k, v in options.items() if k in known}, {k: v for k, v in options.items() if k not in known}


def _path_part(p: str) -> str | int:
    if not p:
        raise ConfigError("json_paths", "empty path segment")
    return int(p) if p.isdigit() else p


# ---- payloads --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Piece:
    """One text to inspect. ``path`` locates it in the document (JSON keys/indices, form index)."""

    text: str
    source: Source
    path: tuple[str | int, ...]


@dataclass
class Payload:
    kind: str  # "json" | "form" | "text" | "empty"
    pieces: list[Piece]  # inspected one by one
    doc: Any = None
    extras: list[Piece] = field(default_factory=list)  # inspected joined; one by one only if flagged


class PayloadError(Exception):
    """The body cannot be inspected; ``status``/``slug``/``title``/``detail`` describe the problem."""

    def __init__(self, status: int, slug: str, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """``'application/json; charset=utf-8'`` → ``('application/json', 'utf-8')``."""
    if not content_type:
        return "", None
    main, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        k, _, v = param.partition("=")
        if k.strip().lower() == "charset":
            charset = v.strip().strip('"').lower() or None
    return main.strip().lower(), charset


def check_length(content_length: str | None, policy: HttpPolicy) -> None:
    """Refuse a declared Content-Length over the limit before reading a byte."""
    if content_length is None or not content_length.strip():  # WSGI may pass "" for "absent"
        return
    try:
        n = int(content_length)
    except ValueError:
        raise PayloadError(400, "invalid-content-length", "Invalid Content-Length", "Content-Length is not a number") from None
    if n > policy.max_body_bytes:
        raise too_large(policy)


def too_large(policy: HttpPolicy) -> PayloadError:
    return PayloadError(413, "body-too-large", "Request body too large",
                        f"the body exceeds the {policy.max_body_bytes}-byte limit")


def extract(content_type: str | None, body: bytes, policy: HttpPolicy, content_encoding: str | None = None) -> Payload:
    """Find the texts to inspect in a request body. Raises PayloadError for unreadable bodies."""
    if len(body) > policy.max_body_bytes:
        raise too_large(policy)
    if not body:
        return Payload("empty", [])
    mt, charset = media_type(content_type)
    if content_encoding and content_encoding.strip().lower() not in ("identity", ""):
        return _unsupported(policy, f"Content-Encoding {_clip(content_encoding)!r} is not inspected")
    if mt == "application/json" or (mt.startswith("application/") and mt.endswith("+json")):
        return _from_json(_decode(body, charset), policy)
    if mt == "application/x-www-form-urlencoded":
        return _from_form(_decode(body, charset), policy)
    if mt.startswith("text/") or mt == "":
        # Unlabelled and text bodies are read as text, but one that is JSON is read as JSON so that
        # escapes like "\u0049gnore" are decoded before inspection (and sanitising keeps it valid).
        text = _decode(body, charset)
        stripped = text.lstrip()
        if stripped[:1] in ("{", "["):
            try:
                return _from_json(text, policy)
            except PayloadError as exc:
                if exc.slug != "invalid-json":
                    raise
        return Payload("text", [Piece(text, Source.USER, ())])
    return _unsupported(policy, f"{_clip(mt)!r} bodies are not inspected")


def _unsupported(policy: HttpPolicy, detail: str) -> Payload:
    if policy.unsupported_media == "pass":
        return Payload("empty", [])
    raise PayloadError(415, "unsupported-media-type", "Unsupported media type", detail)


def _decode(body: bytes, charset: str | None) -> str:
    # UTF-8 only (JSON must be UTF-8, RFC 8259 §8.1). Decoding under another declared charset could
    # inspect different text than an app that reads the bytes as UTF-8 anyway, so it is refused.
    if charset not in _CHARSETS:
        raise PayloadError(415, "unsupported-charset", "Unsupported charset",
                           f"only UTF-8 bodies are inspected, not {_clip(charset)!r}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError(400, "invalid-encoding", "Invalid encoding", "the body is not valid UTF-8") from None


def _clip(value: str | None) -> str:
    """Client-supplied values echoed in a problem detail are cut short."""
    return (value or "")[:40]


def _from_json(text: str, policy: HttpPolicy) -> Payload:
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _too_deep(policy) from None
    except ValueError as exc:  # JSONDecodeError, and ints over the digit limit
        raise PayloadError(400, "invalid-json", "Invalid JSON", f"the body is not valid JSON ({_short(exc)})") from None
    # nesting depth cannot exceed the number of brackets: small bodies skip the walk
    if text.count("[") + text.count("{") > policy.max_json_depth and _depth_exceeds(doc, policy.max_json_depth):
        raise _too_deep(policy)
    out = _Collector(policy.max_texts)
    _known_shapes(doc, out)
    for path in policy._paths:  # type: ignore[attr-defined]
        for value, where in _resolve(doc, path, ()):
            _all_strings(value, Source.USER, where, out)
    if not out.pieces:  # unknown schema: everything the client sent is a candidate
        _all_strings(doc, Source.USER, (), out)
        return Payload("json", out.pieces, doc)
    # Known shape: the remaining strings (tool parameter schemas, response formats, custom fields
    # an app may splice into its prompt) are inspected too, joined into one text (see _plan)
    known = len(out.pieces)
    _all_strings(doc, Source.USER, (), out, skip=_STRUCTURAL)
    return Payload("json", out.pieces[:known], doc, out.pieces[known:])


def _short(exc: Exception) -> str:
    return str(exc).split(":")[0][:80]


def _too_deep(policy: HttpPolicy) -> PayloadError:
    return PayloadError(400, "json-too-deep", "JSON nested too deeply",
                        f"the JSON body nests deeper than {policy.max_json_depth} levels")


def _depth_exceeds(doc: Any, limit: int) -> bool:
    stack = [(doc, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict):
            if d > limit:
                return True
            stack.extend((v, d + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            if d > limit:
                return True
            stack.extend((v, d + 1) for v in node if isinstance(v, (dict, list)))
    return False


def _from_form(text: str, policy: HttpPolicy) -> Payload:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=policy.max_texts)
    except UnicodeDecodeError:
        raise PayloadError(400, "invalid-encoding", "Invalid encoding", "a form field is not valid UTF-8") from None
    except ValueError:
        raise _too_many(policy) from None
    pieces = [Piece(v, Source.USER, ("form", i)) for i, (_k, v) in enumerate(pairs) if v]
    return Payload("form", pieces, pairs)


def _too_many(policy: HttpPolicy) -> PayloadError:
    return PayloadError(400, "too-many-texts", "Too many texts", f"the body holds more than {policy.max_texts} texts")


class _Collector:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pieces: list[Piece] = []
        self.seen: set[tuple[str | int, ...]] = set()

    def add(self, text: str, source: Source, path: tuple[str | int, ...]) -> None:
        if not text or path in self.seen:
            return
        if len(self.pieces) >= self.limit:
            raise PayloadError(400, "too-many-texts", "Too many texts", f"the body holds more than {self.limit} texts")
        self.seen.add(path)
        self.pieces.append(Piece(text, source, path))


def _known_shapes(doc: Any, out: _Collector) -> None:
    if not isinstance(doc, dict):
        return
    for key in ("system", "instructions", "systemInstruction", "system_instruction"):
        if key in doc:
            _content(doc[key], Source.SYSTEM, (key,), out)
    for key in ("messages", "contents", "input"):
        if key in doc:
            _messages(doc[key], (key,), out)
    prompt = doc.get("prompt")
    if isinstance(prompt, str):
        out.add(prompt, Source.USER, ("prompt",))
    elif isinstance(prompt, list):
        for i, p in enumerate(prompt):
            if isinstance(p, str):
                out.add(p, Source.USER, ("prompt", i))
    tools = doc.get("tools")
    if isinstance(tools, list):  # tool descriptions reach the model: a known poisoning channel
        for i, t in enumerate(tools):
            if isinstance(t, dict):
                fn = t.get("function")
                if isinstance(fn, dict) and isinstance(fn.get("description"), str):
                    out.add(fn["description"], Source.TOOL, ("tools", i, "function", "description"))
                if isinstance(t.get("description"), str):
                    out.add(t["description"], Source.TOOL, ("tools", i, "description"))


def _messages(msgs: Any, path: tuple[str | int, ...], out: _Collector) -> None:
    if isinstance(msgs, str):  # "input": "..." (responses, embeddings) or a bare string
        out.add(msgs, Source.USER, path)
        return
    if not isinstance(msgs, list):
        return
    for i, m in enumerate(msgs):
        here = path + (i,)
        if isinstance(m, str):
            out.add(m, Source.USER, here)
        elif isinstance(m, dict):
            role = m.get("role")
            src = _ROLE_SOURCE.get(role.lower(), Source.USER) if isinstance(role, str) else Source.USER
            if m.get("type") == "function_call_output":  # OpenAI responses API tool result
                src = Source.TOOL
            for key in ("content", "parts", "output"):
                if key in m:
                    _content(m[key], src, here + (key,), out)
            for key in _TEXT_KEYS:
                if isinstance(m.get(key), str):
                    out.add(m[key], src, here + (key,))
            calls = m.get("tool_calls")
            if isinstance(calls, list):
                for j, c in enumerate(calls):
                    fn = c.get("function") if isinstance(c, dict) else None
                    if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                        out.add(fn["arguments"], src, here + ("tool_calls", j, "function", "arguments"))


def _content(c: Any, src: Source, path: tuple[str | int, ...], out: _Collector) -> None:
    if isinstance(c, str):
        out.add(c, src, path)
    elif isinstance(c, list):
        for i, part in enumerate(c):
            _content(part, src, path + (i,), out)
    elif isinstance(c, dict):
        if c.get("type") == "tool_result":  # Anthropic: a tool's answer is untrusted data
            src = Source.TOOL
        for key in _TEXT_KEYS:
            if isinstance(c.get(key), str):
                out.add(c[key], src, path + (key,))
        if "content" in c:
            _content(c["content"], src, path + ("content",), out)
        if "parts" in c:
            _content(c["parts"], src, path + ("parts",), out)
        if c.get("type") == "tool_use" and isinstance(c.get("input"), (dict, list)):
            _all_strings(c["input"], src, path + ("input",), out)


def _all_strings(node: Any, src: Source, path: tuple[str | int, ...], out: _Collector,
                 skip: frozenset[str] = frozenset()) -> None:
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(node, path)]
    while stack:
        n, p = stack.pop()
        if isinstance(n, str):
            out.add(n, src, p)
        elif isinstance(n, dict):
            stack.extend((v, p + (k,)) for k, v in reversed(list(n.items())) if k not in skip)
        elif isinstance(n, list):
            stack.extend((v, p + (i,)) for i, v in reversed(list(enumerate(n))))


def _resolve(node: Any, path: tuple[str | int, ...], where: tuple[str | int, ...]) -> Iterable[tuple[Any, tuple]]:
    if not path:
        yield node, where
        return
    head, rest = path[0], path[1:]
    if head == "*":
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in items:
            yield from _resolve(v, rest, where + (k,))
    elif isinstance(node, dict) and str(head) in node:
        yield from _resolve(node[str(head)], rest, where + (str(head),))
    elif isinstance(node, list) and isinstance(head, int) and head < len(node):
        yield from _resolve(node[head], rest, where + (head,))


def rewrite(payload: Payload, replacements: Mapping[tuple[str | int, ...], str]) -> bytes:
    """The body with the texts at ``replacements``' paths replaced (for SANITIZE)."""
    if payload.kind == "text":
        return replacements.get((), payload.pieces[0].text).encode("utf-8", "surrogatepass")
    if payload.kind == "form":
        pairs = list(payload.doc)
        for path, new in replacements.items():
            k, _ = pairs[path[1]]  # type: ignore[index]
            pairs[path[1]] = (k, new)  # type: ignore[index]
        return urlencode(pairs).encode("ascii")
    if payload.kind != "json":
        raise ValueError(f"cannot rewrite a {payload.kind} payload")
    doc = payload.doc
    for path, new in replacements.items():
        if not path:
            doc = new
            continue
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = new
    # ensure_ascii: a lone surrogate from a JSON escape stays a valid escape, never invalid UTF-8
    return json.dumps(doc, separators=(",", ":")).encode("ascii")


# ---- verdicts → outcome ----------------------------------------------------------------------
@dataclass
class Outcome:
    """What the adapter does: ``pass`` (body unchanged), ``rewrite`` (send ``body``), ``problem``."""

    kind: str
    status: int = 200
    body: bytes = b""
    request_id: str = ""
    verdicts: list[Verdict] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def problem_headers(self) -> list[tuple[str, str]]:
        return [("content-type", PROBLEM_CONTENT_TYPE), ("content-length", str(len(self.body))), *self.headers]


def request_id(incoming: str | None) -> str:
    """The client's request id when it is a sane token, otherwise a fresh one."""
    if incoming and _REQUEST_ID_OK.match(incoming):
        return incoming
    return new_id()


def problem(status: int, slug: str, title: str, detail: str, rid: str, policy: HttpPolicy,
            categories: Sequence[str] = (), verdict_id: str | None = None) -> bytes:
    """An RFC 9457 problem body. It names categories, never the text that matched."""
    body: dict[str, Any] = {
        "type": policy.problem_base + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": f"urn:request:{rid}",
        "request_id": rid,
    }
    if categories:
        body["categories"] = list(categories)
    if verdict_id:
        body["verdict_id"] = verdict_id
    return json.dumps(body, separators=(",", ":")).encode("ascii")


def problem_outcome(exc: PayloadError, rid: str, policy: HttpPolicy) -> Outcome:
    body = problem(exc.status, exc.slug, exc.title, exc.detail, rid, policy)
    return Outcome("problem", exc.status, body, rid, headers=[(policy.request_id_header, rid)])


def decide(payload: Payload, verdicts: Sequence[Verdict], policy: HttpPolicy, rid: str,
           sanitized: Mapping[tuple[str | int, ...], str] | None = None) -> Outcome:
    """Turn verdicts into an Outcome. ``sanitized`` maps piece paths to rewritten text."""
    verdicts = list(verdicts)
    worst = max(verdicts, key=lambda v: v.action.rank, default=None)
    hdrs = [(policy.request_id_header, rid)]
    if worst is None or worst.action is Action.ALLOW:
        return Outcome("pass", request_id=rid, verdicts=verdicts)
    cats = sorted({c for v in verdicts if v.action is not Action.ALLOW for c in v.categories})
    if worst.action is Action.SANITIZE:
        if sanitized:
            return Outcome("rewrite", 200, rewrite(payload, sanitized), rid, verdicts)
        # the sanitiser could not neutralise some text: refuse rather than pass it
        slug, title, status = "prompt-blocked", "Request blocked", policy.block_status
    elif worst.blocked and worst.error:
        slug, title, status = "guard-error", "Guard unavailable", 503
        cats = []
    elif worst.action is Action.THROTTLE:
        slug, title, status = "throttled", "Too many suspicious requests", 429
        hdrs.append(("retry-after", "30"))
    elif worst.action is Action.REVIEW:
        slug, title, status = "held-for-review", "Request held for review", policy.block_status
    else:
        slug, title, status = "prompt-blocked", "Request blocked", policy.block_status
    detail = ("the guard failed and is configured to fail closed" if slug == "guard-error"
              else "the request was refused by the prompt-injection guard")
    body = problem(status, slug, title, detail, rid, policy, cats, worst.id)
    return Outcome("problem", status, body, rid, verdicts, hdrs)


def error_outcome(guard: Any, policy: HttpPolicy, rid: str, stage: str, exc: BaseException) -> Outcome:
    """An exception escaped the guard or the adapter: log it, then follow ``on_error``."""
    guard.telemetry.on_error(stage, exc)
    if policy.failure_policy(guard) == "allow":
        return Outcome("pass", request_id=rid)
    body = problem(503, "guard-error", "Guard unavailable", "the guard failed and is configured to fail closed",
                   rid, policy)
    return Outcome("problem", 503, body, rid, headers=[(policy.request_id_header, rid)])


# ---- the whole check -------------------------------------------------------------------------
def _plan(payload: Payload, policy: HttpPolicy, rid: str) -> Generator[tuple[str, Source], Verdict, Outcome]:
    # Sans-IO: yields (text, source) to inspect and receives the Verdict, so the sync and async
    # checks share every decision and differ only in how they call the guard. The prompt texts are
    # inspected one by one (joining would let benign padding dilute an attack's score); the
    # secondary strings (extras) share one inspection to bound the cost and are inspected one by
    # one only when that flags something. A flag no single text explains is refused, not passed.
    verdicts: list[Verdict] = []
    sanitized: dict[tuple[str | int, ...], str] = {}
    rewritable = True
    pieces = payload.pieces
    split_attack = False
    if payload.extras:
        joined = yield "\n".join(p.text for p in payload.extras), Source.USER
        if joined.action is not Action.ALLOW:
            pieces = pieces + payload.extras  # find (and rewrite) the offending ones
            verdicts.append(joined)
            split_attack = True  # until one of the extras is flagged on its own
    for p in pieces:
        v = yield p.text, p.source
        verdicts.append(v)
        if split_attack and p in payload.extras and v.action is not Action.ALLOW:
            split_attack = False
        if v.blocked:
            break  # the request is refused: the remaining texts cannot change that
        if v.action is Action.SANITIZE:
            if v.sanitized is None or v.sanitized == p.text:
                rewritable = False  # nothing to rewrite with: decide() refuses instead of passing
            else:
                sanitized[p.path] = v.sanitized
    return decide(payload, verdicts, policy, rid, sanitized if rewritable and not split_attack else {})


def check(guard: Any, policy: HttpPolicy, content_type: str | None, body: bytes, *,
          rid: str, session: str | None = None, content_encoding: str | None = None) -> Outcome:
    """Synchronous full check of one request body; never raises for bad input or engine errors."""
    try:
        plan = _plan(extract(content_type, body, policy, content_encoding), policy, rid)
        step = next(plan)
        while True:
            step = plan.send(guard.inspect(step[0], source=step[1], session=session))
    except StopIteration as done:
        return done.value
    except PayloadError as exc:
        return problem_outcome(exc, rid, policy)
    except Exception as exc:  # noqa: BLE001 - any failure is decided by on_error, never a 500
        return error_outcome(guard, policy, rid, "http_check", exc)


async def acheck(guard: Any, policy: HttpPolicy, content_type: str | None, body: bytes, *,
                 rid: str, session: str | None = None, content_encoding: str | None = None) -> Outcome:
    """Async twin of :func:`check`."""
    try:
        plan = _plan(extract(content_type, body, policy, content_encoding), policy, rid)
        step = next(plan)
        while True:
            step = plan.send(await guard.ainspect(step[0], source=step[1], session=session))
    except StopIteration as done:
        return done.value
    except PayloadError as exc:
        return problem_outcome(exc, rid, policy)
    except Exception as exc:  # noqa: BLE001 - any failure is decided by on_error, never a 500
        return error_outcome(guard, policy, rid, "http_check", exc)


# ---- responses -------------------------------------------------------------------------------
def is_text_media(content_type: str | None) -> bool:
    mt, _ = media_type(content_type)
    return mt.startswith("text/") or mt == "application/json" or mt.endswith("+json") or mt == "application/x-ndjson"


def response_payload(content_type: str | None, body: bytes) -> Payload:
    """The texts of a buffered text response to check for leaks (JSON: every string, with paths)."""
    mt, _ = media_type(content_type)
    # read as UTF-8 whatever the label: canaries, keys and links are ASCII, which every
    # ASCII-compatible charset shares, and a rewrite is written back as UTF-8
    text = body.decode("utf-8", "replace")
    if mt == "application/json" or mt.endswith("+json"):
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            doc = None
        if isinstance(doc, (dict, list)):
            out = _Collector(1 << 20)
            _all_strings(doc, Source.OUTPUT, (), out)
            return Payload("json", out.pieces, doc)
    return Payload("text", [Piece(text, Source.OUTPUT, ())] if text else [])
