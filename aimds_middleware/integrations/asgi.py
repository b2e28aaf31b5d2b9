"""Pure ASGI middleware: inspect LLM requests (and optionally responses) before the app sees them.

Works with any ASGI framework (Starlette, FastAPI, Quart, Django's ASGI handler …) and imports
none. Style follows ``starlette.middleware``: settings are validated in ``__init__``, non-HTTP scopes
pass through, per-request state lives in a per-call object, and a refusal short-circuits with a
response instead of raising::

    app = GuardMiddleware(app, guard=Guard(), max_body_bytes=256 * 1024, scan_response=True)

Per request: the body is buffered up to ``max_body_bytes`` (a declared Content-Length over the
limit is refused before reading), the texts are extracted and inspected (see ``_http``), then

* BLOCK/QUARANTINE/REVIEW → an RFC 9457 problem response (``block_status``, default 400),
* THROTTLE → 429, an engine failure with ``on_error="block"`` → 503,
* SANITIZE → the app receives the rewritten body (``content-length`` updated),
* ALLOW → the app receives the original body, replayed byte for byte.

A client that disconnects while sending the body ends the request: the app is never called.
With ``scan_response=True`` text responses are checked with ``guard.inspect_output`` and
``text/event-stream`` responses through ``guard.output_stream()``'s hold-back window, so a canary,
secret or exfiltration link is never partly sent before it is caught.
"""

from __future__ import annotations

import asyncio
import codecs
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .._types import Action
from ..errors import ConfigError
from . import _http
from ._http import HttpPolicy, Outcome, PayloadError

__all__ = ["GuardMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class GuardMiddleware:
    """Guard every HTTP request body (and optionally the response) of an ASGI app.

    ``guard`` defaults to ``Guard()``. Keyword options are the :class:`~._http.HttpPolicy` fields
    (``max_body_bytes``, ``max_json_depth``, ``max_texts``, ``json_paths``, ``methods``,
    ``block_status``, ``on_error``, ``unsupported_media``, ``request_id_header``,
    ``session_header``, ``problem_base``) plus:

    ``paths`` / ``exclude_paths``: path prefixes to guard / to skip (default: every path);
    ``scan_response``: check responses for leaks; ``max_response_bytes``: text responses up to
    this size are checked whole, larger ones stream through the hold-back window;
    ``response_block_status``: status when a buffered response is withheld (default 502);
    ``body_timeout``: seconds for a multi-message body to arrive completely (408 otherwise).
    """

    def __init__(
        self,
        app: ASGIApp,
        guard: Any | None = None,
        *,
        paths: tuple[str, ...] | list[str] | None = None,
        exclude_paths: tuple[str, ...] | list[str] = (),
        scan_response: bool = False,
        max_response_bytes: int = 1 << 20,
        response_block_status: int = 502,
        body_timeout: float | None = 30.0,
        **options: Any,
    ) -> None:
        if guard is None:
            from .._guard import Guard

            guard = Guard()
        if not callable(getattr(guard, "ainspect", None)):
            raise ConfigError("guard", f"must be an aimds_middleware.Guard, got {type(guard).__name__}")
        policy_opts, unknown = _http.split_options(options)
        if unknown:
            raise ConfigError(min(unknown), "unknown GuardMiddleware option")
        self.app = app
        self.guard = guard
        self.policy = HttpPolicy(**policy_opts)
        self.paths = _prefixes("paths", paths) if paths is not None else None
        self.exclude_paths = _prefixes("exclude_paths", exclude_paths)
        if not isinstance(scan_response, bool):
            raise ConfigError("scan_response", f"must be true or false, got {scan_response!r}")
        self.scan_response = scan_response
        if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) or max_response_bytes < 0:
            raise ConfigError("max_response_bytes", f"must be a non-negative integer, got {max_response_bytes!r}")
        self.max_response_bytes = max_response_bytes
        if isinstance(response_block_status, bool) or not isinstance(response_block_status, int) or not (
            400 <= response_block_status <= 599
        ):
            raise ConfigError("response_block_status", f"must be 400-599, got {response_block_status!r}")
        self.response_block_status = response_block_status
        if body_timeout is not None and (isinstance(body_timeout, bool) or not isinstance(body_timeout, (int, float))
                                         or not 0 < body_timeout <= 3600):
            raise ConfigError("body_timeout", f"must be None or seconds in (0, 3600], got {body_timeout!r}")
        self.body_timeout = body_timeout

    def guarded_path(self, path: str) -> bool:
        if any(path.startswith(p) for p in self.exclude_paths):
            return False
        return self.paths is None or any(path.startswith(p) for p in self.paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.guarded_path(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        inspect_body = scope.get("method", "GET") in self.policy.methods
        if not inspect_body and not self.scan_response:
            await self.app(scope, receive, send)
            return
        await _GuardedRequest(self, scope, receive, send, inspect_body).run()


def _on_asyncio() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


def _prefixes(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(p, str) and p.startswith("/") for p in value):
        raise ConfigError(name, "must be a list of path prefixes starting with '/'")
    return tuple(value)


class _GuardedRequest:
    """State of one request: the buffered body, the replay, the response scanner."""

    def __init__(self, mw: GuardMiddleware, scope: Scope, receive: Receive, send: Send, inspect_body: bool) -> None:
        self.mw = mw
        self.scope = scope
        self.receive = receive
        self.send = send
        self.inspect_body = inspect_body
        self.body = b""
        self.replayed = not inspect_body
        self.stop_app = False  # set when the response was cut: the app then sees a disconnect
        hdrs: dict[bytes, bytes] = {}
        for k, v in scope.get("headers", ()):
            hdrs.setdefault(k.lower(), v)
        self.headers = hdrs
        pol = mw.policy
        self.rid = _http.request_id(self._header(pol.request_id_header))
        self.session = self._header(pol.session_header) if pol.session_header else None

    def _header(self, name: str | bytes) -> str | None:
        raw = self.headers.get(name if isinstance(name, bytes) else name.encode("latin-1"))
        return raw.decode("latin-1") if raw is not None else None

    async def run(self) -> None:
        scope = self.scope
        if self.inspect_body:
            outcome = await self._check_request()
            if outcome is None:  # the client went away mid-body: nobody to answer
                return
            if outcome.kind == "problem":
                await _send_problem(self.send, outcome)
                return
            if outcome.kind == "rewrite":
                self.body = outcome.body
                scope = dict(scope)
                scope["headers"] = [
                    (k, v) for k, v in scope.get("headers", ()) if k.lower() not in (b"content-length", b"transfer-encoding")
                ] + [(b"content-length", str(len(self.body)).encode())]
        # HEAD answers carry no body to check (and a rewritten length would be wrong)
        scan = self.mw.scan_response and scope.get("method") != "HEAD"
        send = _ResponseScanner(self).send if scan else self.send
        await self.mw.app(scope, self.replay, send)

    async def _check_request(self) -> Outcome | None:
        pol = self.mw.policy
        try:
            _http.check_length(self._header(b"content-length"), pol)
            body = await self._read_body()
        except PayloadError as exc:
            return _http.problem_outcome(exc, self.rid, pol)
        if body is None:
            return None
        self.body = body
        return await _http.acheck(self.mw.guard, pol, self._header(b"content-type"), body, rid=self.rid,
                                  session=self.session, content_encoding=self._header(b"content-encoding"))

    async def _read_body(self) -> bytes | None:
        first = await self._receive_chunk(0)
        if first is None or not first[1]:
            return first[0] if first is not None else None
        # A body in several messages: the rest must arrive within body_timeout, so a client that
        # trickles its body cannot hold a buffered request forever (asyncio only; trio has no timeout
        # here, its server's own limits apply). One-message bodies pay nothing for this.
        rest = self._read_rest(first[0])
        if self.mw.body_timeout is None or not _on_asyncio():
            return await rest
        try:
            return await asyncio.wait_for(rest, self.mw.body_timeout)
        except asyncio.TimeoutError:
            raise PayloadError(408, "body-timeout", "Request body timeout",
                               f"the body did not arrive within {self.mw.body_timeout:g} s") from None

    async def _read_rest(self, head: bytes) -> bytes | None:
        chunks = [head]
        total = len(head)
        while True:
            got = await self._receive_chunk(total)
            if got is None:
                return None
            chunks.append(got[0])
            total += len(got[0])
            if not got[1]:
                return b"".join(chunks)

    async def _receive_chunk(self, total: int) -> tuple[bytes, bool] | None:
        """(chunk, more_body), or None when the client disconnected. Enforces max_body_bytes."""
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                return None
            if message["type"] == "http.request":
                break
        chunk = message.get("body", b"")
        if total + len(chunk) > self.mw.policy.max_body_bytes:  # the rest is never buffered
            raise _http.too_large(self.mw.policy)
        return chunk, bool(message.get("more_body", False))

    async def replay(self) -> Message:
        # First call: the buffered (or rewritten) body in one message. Later calls go to the server
        # so the app still learns about a real disconnect (StreamingResponse listens for it).
        if not self.replayed:
            self.replayed = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        if self.stop_app:
            return {"type": "http.disconnect"}
        return await self.receive()


async def _send_problem(send: Send, outcome: Outcome) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in outcome.problem_headers]
    await send({"type": "http.response.start", "status": outcome.status, "headers": headers})
    await send({"type": "http.response.body", "body": outcome.body, "more_body": False})


class _ResponseScanner:
    """Wraps ``send``: checks text responses whole and event streams through a hold-back window."""

    def __init__(self, req: _GuardedRequest) -> None:
        self.req = req
        self.guard = req.mw.guard
        self.mode = "pass"
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.size = 0
        self.stream: Any = None
        self.sse: _SSERewriter | None = None
        self.decoder: Any = None

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if self.mode == "done":
            return  # the response was cut off; the app's remaining output is dropped
        if self.mode == "pass" and kind != "http.response.start":
            await self.req.send(message)
            return
        try:
            if kind == "http.response.start":
                await self._start(message)
            elif kind == "http.response.body":
                await self._body(message.get("body", b""), message.get("more_body", False))
            else:  # e.g. http.response.pathsend: a body we cannot see; release what is held
                if self.mode == "buffer" and self.start is not None:
                    await self.req.send(self.start)
                    await self.req.send({"type": "http.response.body", "body": b"".join(self.chunks),
                                         "more_body": True})
                self.mode = "pass"
                await self.req.send(message)
        except Exception as exc:  # noqa: BLE001 - a bug here must not become a 500 or a hung stream
            await self._failed(exc, message)

    async def _failed(self, exc: Exception, message: Message) -> None:
        self.guard.telemetry.on_error("asgi_response", exc)
        mw = self.req.mw
        started = self.mode in ("sse", "text")
        if mw.policy.failure_policy(self.guard) == "allow":
            self.mode = "pass"
            if message["type"] == "http.response.start":
                await self.req.send(message)
            elif not started and self.start is not None:  # held chunks include this message's body
                await self.req.send(_without_length(self.start))
                await self.req.send({"type": "http.response.body", "body": b"".join(self.chunks),
                                     "more_body": message.get("more_body", False)})
            else:  # the held-back window is lost with the failed checker; the rest flows unchecked
                carry = self.sse.unsent.encode() if self.sse is not None else b""
                await self.req.send({**message, "body": carry + message.get("body", b"")})
            return
        problem = _http.problem(mw.response_block_status, "guard-error", "Guard unavailable",
                                "the response check failed and is configured to fail closed", self.req.rid, mw.policy)
        if started:
            await self.req.send({"type": "http.response.body", "body": _sse_error(problem) if self.mode == "sse"
                                 else b"", "more_body": False})
        else:
            await _send_problem(self.req.send, Outcome("problem", mw.response_block_status, problem, self.req.rid,
                                                       headers=[(mw.policy.request_id_header, self.req.rid)]))
        self._cut()

    async def _start(self, message: Message) -> None:
        headers = {k.lower(): v.decode("latin-1") for k, v in message.get("headers", ())}
        ctype = headers.get(b"content-type")
        encoding = headers.get(b"content-encoding", "identity").strip().lower()
        if message.get("status", 200) in (204, 205, 304) or not _http.is_text_media(ctype):
            self.mode = "pass"  # no body, or binary: nothing a model wrote in plain text
            await self.req.send(message)
            return
        if encoding not in ("identity", ""):
            self.guard.telemetry.on_warning("response_unscanned", f"{encoding}-encoded text response passed unchecked")
            self.mode = "pass"
            await self.req.send(message)
            return
        mt, _ = _http.media_type(ctype)
        self.start = message
        if mt == "text/event-stream":
            self.mode = "sse"
            self.sse = _SSERewriter(self.guard, self.req.session, max(self.req.mw.max_response_bytes, 1 << 16))
            await self.req.send(_without_length(message))
        else:
            self.mode = "buffer"
            self.ctype = ctype

    async def _body(self, chunk: bytes, more: bool) -> None:
        if self.mode == "sse":
            assert self.sse is not None
            out, blocked = self.sse.feed(chunk, final=not more)
            if blocked:
                out += _sse_error(self.sse.problem(self.req, self.req.mw.policy))
            if out or not more or blocked:
                await self.req.send({"type": "http.response.body", "body": out, "more_body": more and not blocked})
            if blocked:
                self._cut()
            return
        if self.mode == "buffer":
            self.chunks.append(chunk)
            self.size += len(chunk)
            if self.size > self.req.mw.max_response_bytes:
                await self._to_text_stream(more)
            elif not more:
                await self._finish_buffer()
            return
        await self._text_stream(chunk, more)

    async def _finish_buffer(self) -> None:
        body = b"".join(self.chunks)
        payload = _http.response_payload(self.ctype, body)
        verdicts, sanitized = [], {}
        if payload.pieces:
            joined = "\n".join(p.text for p in payload.pieces)
            v = await self.guard.ainspect_output(joined, session=self.req.session)
            verdicts.append(v)
            if v.action is Action.SANITIZE:
                for p in payload.pieces:
                    pv = await self.guard.ainspect_output(p.text, session=self.req.session)
                    if pv.sanitized is not None and pv.sanitized != p.text:
                        sanitized[p.path] = pv.sanitized
        worst = max(verdicts, key=lambda v: v.action.rank, default=None)
        if worst is not None and worst.action is not Action.ALLOW and not (worst.action is Action.SANITIZE and sanitized):
            pol = self.req.mw.policy
            status = self.req.mw.response_block_status
            slug = "guard-error" if worst.error else "response-withheld"
            problem = _http.problem(status, slug, "Response withheld",
                                    "the response was withheld by the leakage guard", self.req.rid, pol,
                                    () if worst.error else worst.categories, worst.id)
            await _send_problem(self.req.send, Outcome("problem", status, problem, self.req.rid,
                                                       headers=[(pol.request_id_header, self.req.rid)]))
            self.mode = "done"
            return
        if sanitized:
            body = _http.rewrite(payload, sanitized)
        start = _without_length(self.start)
        start["headers"] = list(start["headers"]) + [(b"content-length", str(len(body)).encode())]
        await self.req.send(start)
        await self.req.send({"type": "http.response.body", "body": body, "more_body": False})
        self.mode = "done"

    async def _to_text_stream(self, more: bool) -> None:
        # Too big to hold: switch to the streaming check, which only holds back a window.
        self.stream = self.guard.output_stream(session=self.req.session)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        await self.req.send(_without_length(self.start))
        self.mode = "text"
        buffered, self.chunks = b"".join(self.chunks), []
        await self._text_stream(buffered, more)

    async def _text_stream(self, chunk: bytes, more: bool) -> None:
        safe = self.stream.feed(self.decoder.decode(chunk, final=not more))
        if not more:
            safe += self.stream.close()
        verdict = getattr(self.stream, "verdict", None)
        if verdict is not None and verdict.blocked:
            await self.req.send({"type": "http.response.body", "body": safe.encode(), "more_body": False})
            self._cut()
            return
        if safe or not more:
            await self.req.send({"type": "http.response.body", "body": safe.encode(), "more_body": more})

    def _cut(self) -> None:
        self.mode = "done"
        self.req.stop_app = True


def _without_length(message: Message) -> Message:
    out = dict(message)
    out["headers"] = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"content-length"]
    return out


def _sse_error(problem: bytes) -> bytes:
    return b"event: error\ndata: " + problem + b"\n\n"


class _SSERewriter:
    """Re-emits a server-sent-event stream with each text delta passed through ``output_stream``.

    Knows the deltas of OpenAI chat/completions (``choices[].delta.content`` / ``choices[].text``),
    the OpenAI responses API (``response.output_text.delta``), Anthropic (``content_block_delta``) and
    plain-text ``data:`` lines. Each choice / content block has its own window, so ``n > 1`` streams
    are not mixed. Held-back text is flushed in an extra event cloned from that text's last event,
    before the event that ends it. Any other JSON event is checked whole with ``inspect_output``.
    """

    def __init__(self, guard: Any, session: str | None, max_event: int) -> None:
        self.guard = guard
        self.session = session
        self.max_event = max_event
        self.oversize = False
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.buf = ""
        self.unsent = ""
        #: per text key: [output stream, (other lines, data doc, text path) of its last event]
        self.streams: dict[Any, list[Any]] = {}
        self.verdict: Any = None

    def feed(self, chunk: bytes, final: bool) -> tuple[bytes, bool]:
        self.unsent = self.buf  # input taken in earlier calls but not yet emitted (for fail-open)
        self.buf += self.decoder.decode(chunk, final=final)
        # normalise line ends; keep a trailing "\r" until we know whether "\n" follows
        keep = "\r" if self.buf.endswith("\r") and not final else ""
        text = (self.buf[:-1] if keep else self.buf).replace("\r\n", "\n").replace("\r", "\n")
        *events, rest = text.split("\n\n")
        self.buf = rest + keep
        if len(self.buf) > self.max_event:  # one endless event: it cannot be checked, so it stops here
            self.oversize = True
            events = []
        if final and self.buf.strip():
            events.append(self.buf)
            self.buf = ""
        out: list[str] = []
        for raw in events:
            if self._event(raw, out):
                return "".join(out).encode(), True
        if self.oversize:
            return "".join(out).encode(), True
        if final and self._flush(out, None):
            return "".join(out).encode(), True
        return "".join(out).encode(), False

    def _event(self, raw: str, out: list[str]) -> bool:
        lines = raw.split("\n")
        data_lines = [ln[5:].removeprefix(" ") for ln in lines if ln.startswith("data:")]
        others = [ln for ln in lines if not ln.startswith("data:")]
        if not data_lines:
            out.append(raw + "\n\n")
            return False
        data = "\n".join(data_lines)
        if data.strip() == "[DONE]":
            if self._flush(out, None):
                return True
            out.append(raw + "\n\n")
            return False
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError):
            doc = None
        if not isinstance(doc, dict):  # plain-text stream: the data is the delta
            return self._text("plain", others, None, (), data, out)
        found = _delta(doc)
        if found is not None:
            key, path = found
            return self._text(key, others, doc, path, _get(doc, path), out)
        ends = _ends(doc)
        if ends is not False and self._flush(out, ends):
            return True
        # not a text delta: check the event on its own (a done/summary event may repeat the text)
        v = self.guard.inspect_output(data, session=self.session)
        if v.action is Action.ALLOW:
            out.append(raw + "\n\n")
        elif v.action is Action.SANITIZE and v.sanitized is not None:
            out.append(_render(others, v.sanitized))
        else:
            self.verdict = v
            return True
        return False

    def _text(self, key: Any, others: list[str], doc: Any, path: tuple, text: str, out: list[str]) -> bool:
        entry = self.streams.get(key)
        if entry is None:
            entry = self.streams[key] = [self.guard.output_stream(session=self.session), None]
        safe = entry[0].feed(text)
        entry[1] = (others, doc, path)
        if safe or not text:  # a delta fully held back is dropped; it is sent later, merged
            out.append(_render(others, _with(doc, path, safe)))
        return self._stopped(entry[0])

    def _flush(self, out: list[str], keys: set[Any] | None) -> bool:
        """Close the windows of ``keys`` (None: all) and emit what they still hold."""
        stopped = False
        for key in [k for k in self.streams if keys is None or k in keys]:
            stream, (others, doc, path) = self.streams.pop(key)
            tail = stream.close()
            if tail:
                out.append(_render([ln for ln in others if not ln.startswith("id:")], _with(doc, path, tail)))
            stopped = self._stopped(stream) or stopped
        return stopped

    def _stopped(self, stream: Any) -> bool:
        v = getattr(stream, "verdict", None)
        if v is not None and v.blocked:
            self.verdict = v
            return True
        return False

    def problem(self, req: _GuardedRequest, policy: HttpPolicy) -> bytes:
        v = self.verdict
        slug = "guard-error" if getattr(v, "error", None) else "event-too-large" if self.oversize else "response-withheld"
        cats = () if v is None or v.error else v.categories
        return _http.problem(req.mw.response_block_status, slug, "Response withheld",
                             "the rest of the stream was withheld by the leakage guard", req.rid, policy, cats,
                             getattr(v, "id", None))


def _delta(doc: dict) -> tuple[Any, tuple] | None:
    """(window key, path of the text) when ``doc`` is a text delta event."""
    choices = doc.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        key = ("choice", choices[0].get("index", 0))
        delta = choices[0].get("delta")
        if isinstance(delta, dict) and isinstance(delta.get("content"), str):
            return key, ("choices", 0, "delta", "content")
        if isinstance(choices[0].get("text"), str):
            return key, ("choices", 0, "text")
    delta = doc.get("delta")
    kind = doc.get("type")
    if kind == "content_block_delta" and isinstance(delta, dict) and isinstance(delta.get("text"), str):
        return ("block", doc.get("index", 0)), ("delta", "text")
    if kind == "response.output_text.delta" and isinstance(delta, str):
        return ("output", doc.get("output_index", 0), doc.get("content_index", 0)), ("delta",)
    return None


def _ends(doc: dict) -> set[Any] | None | bool:
    """Which windows this event ends: a set of keys, None for all, False for none."""
    kind = doc.get("type")
    if kind in ("message_delta", "message_stop", "response.completed"):
        return None
    if kind == "content_block_stop":
        return {("block", doc.get("index", 0))}
    if kind == "response.output_text.done":
        return {("output", doc.get("output_index", 0), doc.get("content_index", 0))}
    choices = doc.get("choices")
    if isinstance(choices, list):
        done = {("choice", c.get("index", 0)) for c in choices if isinstance(c, dict) and c.get("finish_reason")}
        return done or False
    return False


def _get(doc: Any, path: tuple) -> Any:
    for k in path:
        doc = doc[k]
    return doc


def _with(doc: Any, path: tuple, text: str) -> str:
    if doc is None:
        return text
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = text
    return json.dumps(doc, separators=(",", ":"))


def _render(others: list[str], data: str) -> str:
    lines = [ln for ln in others if ln] + ["data: " + ln for ln in data.split("\n")]
    return "\n".join(lines) + "\n\n"
