"""LangChain integration: a callback handler that stops a run on unsafe content, and an LCEL guard.

::

    from aimds_middleware import Guard
    from aimds_middleware.integrations.langchain import GuardCallbackHandler, guard_runnable

    guard = Guard()
    model.invoke(messages, config={"callbacks": [GuardCallbackHandler(guard)]})
    chain = guard_runnable(guard) | model | guard_runnable(guard, mode="output")

The handler checks prompts and chat messages before the model runs, tool inputs before a tool
runs, tool outputs and retrieved documents as untrusted content, and the model's output —
streamed tokens included. It has ``raise_error = True`` so LangChain re-raises what it raises:
:class:`~aimds_middleware.errors.Blocked` carrying the Verdict. A callback cannot rewrite content,
so by default anything the guard would not pass unchanged (sanitize, review, …) stops the run;
``raise_on`` relaxes that. A callback also cannot hold tokens back: LangChain yields a token right
after ``on_llm_new_token`` returns, so a leak spread over several tokens is stopped when it is
recognised, after its first tokens went out. Use ``guard_runnable(guard, mode="output")`` after
the model to stream through the guard's hold-back window instead.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import Any
from uuid import UUID

try:
    from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
    from langchain_core.messages import AIMessageChunk, BaseMessage, BaseMessageChunk
    from langchain_core.prompt_values import ChatPromptValue, PromptValue, StringPromptValue
    from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda
except ImportError as exc:  # pragma: no cover - exercised by the missing-host test
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("langchain", "langchain", exc) from exc

from .._guard import Guard
from .._types import Action, Verdict
from ..errors import Blocked
from ._llm import (
    Flattened,
    Limits,
    ascan_pieces,
    error_verdict,
    flatten_args,
    flatten_data,
    flatten_messages,
    rewrite,
    scan_pieces,
    strictest,
    text_of,
    with_source,
)

__all__ = ["AsyncGuardCallbackHandler", "GuardCallbackHandler", "guard_runnable"]

#: a callback cannot rewrite content, so everything but ALLOW stops the run by default
CALLBACK_RAISE_ON = frozenset({Action.SANITIZE, Action.REVIEW, Action.THROTTLE, Action.QUARANTINE, Action.BLOCK})
#: the LCEL guard rewrites sanitisable content and stops on the rest
RUNNABLE_RAISE_ON = frozenset({Action.REVIEW, Action.THROTTLE, Action.QUARANTINE, Action.BLOCK})
_MAX_OPEN_STREAMS = 4096  # runs whose on_llm_end never came (a crashed host) must not leak memory
_SESSION_KEY = "aimds_session"
#: recent streamed text checked at every token (longer than any obfuscated canary or key header)
_EAGER_WINDOW = 1024


class _Run:
    """Per-run streaming state: the guard's output stream and the recent text."""

    __slots__ = ("recent", "stream")

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.recent = ""


def _actions(values: Iterable[str | Action] | None, default: frozenset[Action]) -> frozenset[Action]:
    if values is None:
        return default
    if isinstance(values, (str, Action)):
        values = [values]
    return frozenset(Action(v) for v in values)


class _Checks:
    """The checks shared by the sync and async handlers; no LangChain base class here."""

    def __init__(self, guard: Guard | None, *, session: str | None, raise_on: Iterable[str | Action] | None,
                 check_prompts: bool, check_tools: bool, check_tool_outputs: bool, check_retrieval: bool,
                 check_output: bool, check_stream: bool, limits: Limits | None) -> None:
        if guard is not None and not isinstance(guard, Guard):
            raise TypeError(f"guard must be an aimds_middleware.Guard, not {type(guard).__name__}")
        self.guard = guard if guard is not None else Guard()
        self.session = session
        self.raise_on = _actions(raise_on, CALLBACK_RAISE_ON)
        self.check_prompts = check_prompts
        self.check_tools = check_tools
        self.check_tool_outputs = check_tool_outputs
        self.check_retrieval = check_retrieval
        self.check_output = check_output
        self.check_stream = check_stream
        self.limits = limits
        self._streams: OrderedDict[UUID, Any] = OrderedDict()
        self._sessions: OrderedDict[UUID, str | None] = OrderedDict()
        self._lock = threading.Lock()
        #: the last verdict that stopped a run (handy in tests and logs)
        self.last_blocked: Verdict | None = None

    # -- bookkeeping ---------------------------------------------------------------------
    def _session_for(self, run_id: UUID | None, metadata: Mapping[str, Any] | None) -> str | None:
        session = self.session
        if isinstance(metadata, Mapping) and isinstance(metadata.get(_SESSION_KEY), str):
            session = metadata[_SESSION_KEY]
        if run_id is not None:
            with self._lock:
                self._sessions[run_id] = session
                while len(self._sessions) > _MAX_OPEN_STREAMS:
                    self._sessions.popitem(last=False)
        return session

    def _run_session(self, run_id: UUID | None) -> str | None:
        with self._lock:
            return self._sessions.get(run_id, self.session) if run_id is not None else self.session

    def _forget(self, run_id: UUID | None) -> Any:
        with self._lock:
            self._sessions.pop(run_id, None)
            return self._streams.pop(run_id, None)

    def _stream(self, run_id: UUID) -> _Run:
        with self._lock:
            s = self._streams.get(run_id)
            if s is None:
                session = self._sessions.get(run_id, self.session)
                s = _Run(self.guard.output_stream(session=session))
                self._streams[run_id] = s
                while len(self._streams) > _MAX_OPEN_STREAMS:
                    self._streams.popitem(last=False)
            return s

    def enforce(self, verdict: Verdict | None) -> None:
        if verdict is not None and verdict.action in self.raise_on:
            self.last_blocked = verdict
            raise Blocked(verdict)

    # -- what to inspect -------------------------------------------------------------------
    def prompt_pieces(self, prompts: Sequence[Any]) -> Flattened:
        return flatten_messages([p for p in prompts if isinstance(p, str)], self.limits)

    def chat_pieces(self, messages: Sequence[Sequence[Any]]) -> Flattened:
        flat: list[Any] = []
        for batch in messages:
            flat.extend(batch if isinstance(batch, (list, tuple)) else [batch])
        return flatten_messages(flat, self.limits)

    def tool_input_pieces(self, input_str: Any, inputs: Any) -> Flattened:
        value = inputs if isinstance(inputs, Mapping) and inputs else input_str
        return flatten_args(value, self.limits)

    def tool_output_pieces(self, output: Any) -> Flattened:
        # a tool's output is data whatever roles it claims inside: every piece is source "tool"
        content = output if isinstance(output, (str, Mapping, list, tuple)) else getattr(output, "content", output)
        return flatten_data(content, "tool", self.limits)

    def document_pieces(self, documents: Sequence[Any]) -> Flattened:
        texts = [getattr(d, "page_content", None) for d in documents]
        return with_source(flatten_messages([t for t in texts if isinstance(t, str)], self.limits), "retrieval")

    def output_texts(self, response: Any) -> list[str]:
        texts: list[str] = []
        for gens in getattr(response, "generations", None) or []:
            for gen in gens or []:
                msg = getattr(gen, "message", None)
                if msg is not None:
                    texts.extend(p.text for p in flatten_messages([msg], self.limits).pieces)
                elif isinstance(getattr(gen, "text", None), str) and gen.text:
                    texts.append(gen.text)
        return texts

    # -- sync checks -----------------------------------------------------------------------
    def scan(self, flat: Flattened, session: str | None) -> None:
        self.enforce(scan_pieces(self.guard, flat, session=session).verdict)

    def scan_tool_input(self, flat: Flattened, session: str | None) -> None:
        # model-written arguments: injection patterns (inspect) and leaks (canary/secret/link)
        self.scan(flat, session)
        self.enforce(strictest([self.guard.inspect_output(p.text, session=session) for p in flat.pieces]))

    def scan_output(self, texts: list[str], session: str | None) -> None:
        self.enforce(strictest([self.guard.inspect_output(t, session=session) for t in texts]))

    def feed(self, run_id: UUID, token: Any) -> None:
        text = token if isinstance(token, str) else text_of(token)
        if not text:
            return
        run = self._stream(run_id)
        session = self._run_session(run_id)
        try:
            run.stream.feed(text)
            verdict = run.stream.verdict
            if verdict is None or verdict.action not in self.raise_on:
                # The stream decides only once its hold-back window fills, but LangChain yields
                # this token as soon as we return: check the recent text now so a leak is stopped
                # before the token that completes it goes out.
                run.recent = (run.recent + text)[-_EAGER_WINDOW:]
                eager = self.guard.inspect_output(run.recent, session=session)
                if eager.action is not Action.ALLOW:
                    verdict = eager
        except Exception as exc:  # noqa: BLE001 - a stream failure is decided by on_error, not raised raw
            verdict = error_verdict(self.guard, "langchain.stream", exc, session)
        if verdict is not None and verdict.action in self.raise_on:
            self._forget(run_id)
        self.enforce(verdict)

    def end(self, run_id: UUID, response: Any) -> None:
        session = self._run_session(run_id)
        run = self._forget(run_id)
        if run is not None:
            try:
                run.stream.close()
                verdict = run.stream.verdict
            except Exception as exc:  # noqa: BLE001 - decided by on_error
                verdict = error_verdict(self.guard, "langchain.stream", exc, session)
            self.enforce(verdict)
            return
        if self.check_output:
            self.scan_output(self.output_texts(response), session)

    # -- async checks ----------------------------------------------------------------------
    async def ascan(self, flat: Flattened, session: str | None) -> None:
        self.enforce((await ascan_pieces(self.guard, flat, session=session)).verdict)

    async def ascan_output(self, texts: list[str], session: str | None) -> None:
        self.enforce(strictest([await self.guard.ainspect_output(t, session=session) for t in texts]))


_DEFAULTS: dict[str, Any] = {
    "session": None, "raise_on": None, "check_prompts": True, "check_tools": True, "check_tool_outputs": True,
    "check_retrieval": True, "check_output": True, "check_stream": True, "limits": None,
}


class _GuardHandler:
    """What both handlers share: options, the guard, and the tool events.

    Tool events are plain methods on purpose, in the async handler too: LangChain runs a sync
    tool's ``ainvoke`` in a worker thread through the *sync* callback manager, which runs an async
    handler's coroutine on a private loop and swallows what it raises — a refused tool call would
    go ahead. A plain method raises on both paths (inline on the loop for async tools).
    """

    checks: _Checks

    def __init__(self, guard: Guard | None = None, **options: Any) -> None:
        unknown = sorted(set(options) - set(_DEFAULTS))
        if unknown:
            raise TypeError(f"unknown option {unknown[0]!r}; options: {', '.join(sorted(_DEFAULTS))}")
        self.checks = _Checks(guard, **{**_DEFAULTS, **options})

    @property
    def guard(self) -> Guard:
        return self.checks.guard

    def on_tool_start(self, serialized: dict[str, Any], input_str: str, *, run_id: UUID,
                      parent_run_id: UUID | None = None, tags: list[str] | None = None,
                      metadata: dict[str, Any] | None = None, inputs: dict[str, Any] | None = None,
                      **kwargs: Any) -> None:
        session = self.checks._session_for(run_id, metadata)
        if self.checks.check_tools:
            self.checks.scan_tool_input(self.checks.tool_input_pieces(input_str, inputs), session)

    def on_tool_end(self, output: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        session = self.checks._run_session(run_id)
        self.checks._forget(run_id)
        if self.checks.check_tool_outputs:
            self.checks.scan(self.checks.tool_output_pieces(output), session)

    def on_tool_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                      **kwargs: Any) -> None:
        self.checks._forget(run_id)


class GuardCallbackHandler(_GuardHandler, BaseCallbackHandler):
    """Stop a LangChain run when the guard refuses a prompt, tool call, tool result, retrieved
    document or model output. Pass it in ``config={"callbacks": [handler]}`` or to the model.

    A per-run session can be given in the run's metadata as ``aimds_session``.
    """

    raise_error = True
    run_inline = True  # checks are cheap and must finish before the guarded step goes on

    def on_llm_start(self, serialized: dict[str, Any], prompts: list[str], *, run_id: UUID,
                     parent_run_id: UUID | None = None, tags: list[str] | None = None,
                     metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        session = self.checks._session_for(run_id, metadata)
        if self.checks.check_prompts:
            self.checks.scan(self.checks.prompt_pieces(prompts), session)

    def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], *,
                            run_id: UUID, parent_run_id: UUID | None = None, tags: list[str] | None = None,
                            metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        session = self.checks._session_for(run_id, metadata)
        if self.checks.check_prompts:
            self.checks.scan(self.checks.chat_pieces(messages), session)

    def on_llm_new_token(self, token: Any, *, chunk: Any = None, run_id: UUID,
                         parent_run_id: UUID | None = None, tags: list[str] | None = None, **kwargs: Any) -> None:
        if self.checks.check_stream and self.checks.check_output:
            self.checks.feed(run_id, token)

    def on_llm_end(self, response: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                   tags: list[str] | None = None, **kwargs: Any) -> None:
        self.checks.end(run_id, response)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                     tags: list[str] | None = None, **kwargs: Any) -> None:
        self.checks._forget(run_id)

    def on_retriever_start(self, serialized: dict[str, Any], query: str, *, run_id: UUID,
                           parent_run_id: UUID | None = None, tags: list[str] | None = None,
                           metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.checks._session_for(run_id, metadata)

    def on_retriever_end(self, documents: Sequence[Any], *, run_id: UUID, parent_run_id: UUID | None = None,
                         **kwargs: Any) -> None:
        session = self.checks._run_session(run_id)
        self.checks._forget(run_id)
        if self.checks.check_retrieval:
            self.checks.scan(self.checks.document_pieces(documents), session)

    def on_retriever_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                           **kwargs: Any) -> None:
        self.checks._forget(run_id)


class AsyncGuardCallbackHandler(_GuardHandler, AsyncCallbackHandler):
    """Async twin of :class:`GuardCallbackHandler` for ``ainvoke``/``astream`` runs: model and
    retriever checks use ``Guard.ainspect`` (large texts are inspected off the event loop).

    Use it with LangChain's async API only: when a *sync* call (``invoke``/``stream``) dispatches
    to an async handler, LangChain logs and swallows what the handler raises, so nothing would be
    stopped. :class:`GuardCallbackHandler` works on both paths and is the safe default for code
    that mixes them.
    """

    raise_error = True
    run_inline = True

    async def on_llm_start(self, serialized: dict[str, Any], prompts: list[str], *, run_id: UUID,
                           parent_run_id: UUID | None = None, tags: list[str] | None = None,
                           metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        session = self.checks._session_for(run_id, metadata)
        if self.checks.check_prompts:
            await self.checks.ascan(self.checks.prompt_pieces(prompts), session)

    async def on_chat_model_start(self, serialized: dict[str, Any], messages: list[list[BaseMessage]], *,
                                  run_id: UUID, parent_run_id: UUID | None = None,
                                  tags: list[str] | None = None, metadata: dict[str, Any] | None = None,
                                  **kwargs: Any) -> None:
        session = self.checks._session_for(run_id, metadata)
        if self.checks.check_prompts:
            await self.checks.ascan(self.checks.chat_pieces(messages), session)

    async def on_llm_new_token(self, token: Any, *, chunk: Any = None, run_id: UUID,
                               parent_run_id: UUID | None = None, tags: list[str] | None = None,
                               **kwargs: Any) -> None:
        if self.checks.check_stream and self.checks.check_output:
            self.checks.feed(run_id, token)  # feeding is a bounded in-memory step: no thread hop

    async def on_llm_end(self, response: Any, *, run_id: UUID, parent_run_id: UUID | None = None,
                         tags: list[str] | None = None, **kwargs: Any) -> None:
        session = self.checks._run_session(run_id)
        with self.checks._lock:
            streaming = run_id in self.checks._streams
        if streaming or not self.checks.check_output:
            self.checks.end(run_id, response)
            return
        self.checks._forget(run_id)
        await self.checks.ascan_output(self.checks.output_texts(response), session)

    async def on_llm_error(self, error: BaseException, *, run_id: UUID, parent_run_id: UUID | None = None,
                           tags: list[str] | None = None, **kwargs: Any) -> None:
        self.checks._forget(run_id)

    async def on_retriever_start(self, serialized: dict[str, Any], query: str, *, run_id: UUID,
                                 parent_run_id: UUID | None = None, tags: list[str] | None = None,
                                 metadata: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.checks._session_for(run_id, metadata)

    async def on_retriever_end(self, documents: Sequence[Any], *, run_id: UUID,
                               parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        session = self.checks._run_session(run_id)
        self.checks._forget(run_id)
        if self.checks.check_retrieval:
            await self.checks.ascan(self.checks.document_pieces(documents), session)

    async def on_retriever_error(self, error: BaseException, *, run_id: UUID,
                                 parent_run_id: UUID | None = None, **kwargs: Any) -> None:
        self.checks._forget(run_id)


# ---- LCEL ----------------------------------------------------------------------------------

def guard_runnable(guard: Guard | None = None, *, mode: str = "input", session: str | None = None,
                   raise_on: Iterable[str | Action] | None = None, limits: Limits | None = None,
                   name: str | None = None) -> Runnable:
    """A Runnable that guards what flows through it.

    ``mode="input"`` (before a model): takes a string, a prompt value, a message list or a message,
    inspects every text with its source, raises :class:`Blocked` on a refusal and passes on the
    input — with sanitised text written back when the guard sanitises. ``mode="output"`` (after a
    model): checks the output for leaks; when streamed, chunks pass through the guard's hold-back
    window so a canary or secret is never partly emitted.
    """
    if guard is None:
        guard = Guard()
    if not isinstance(guard, Guard):
        raise TypeError(f"guard must be an aimds_middleware.Guard, not {type(guard).__name__}")
    actions = _actions(raise_on, RUNNABLE_RAISE_ON)
    if mode == "input":
        gate = _InputGate(guard, session, actions, limits)
        return RunnableLambda(gate.check, afunc=gate.acheck, name=name or "aimds_input_guard")
    if mode == "output":
        out = _OutputGate(guard, session, actions)
        return RunnableGenerator(out.transform, out.atransform, name=name or "aimds_output_guard")
    raise ValueError(f"mode must be 'input' or 'output', not {mode!r}")


class _InputGate:
    def __init__(self, guard: Guard, session: str | None, raise_on: frozenset[Action], limits: Limits | None) -> None:
        self.guard, self.session, self.raise_on, self.limits = guard, session, raise_on, limits

    def _view(self, value: Any) -> tuple[Any, Any]:
        """(what to flatten, how to rebuild the original type from a rewritten message list)."""
        if isinstance(value, str):
            return value, lambda v: v
        if isinstance(value, StringPromptValue):
            return value.text, lambda v: StringPromptValue(text=v)
        if isinstance(value, ChatPromptValue):
            return list(value.messages), lambda v: ChatPromptValue(messages=v)
        if isinstance(value, PromptValue):
            return list(value.to_messages()), lambda v: ChatPromptValue(messages=v)
        if isinstance(value, BaseMessage):
            return [value], lambda v: v[0]
        if isinstance(value, (list, tuple)):
            return list(value), (lambda v: v) if isinstance(value, list) else tuple
        if isinstance(value, Mapping) and "messages" in value:
            return list(value["messages"]), lambda v: {**value, "messages": v}
        raise TypeError(f"guard_runnable(mode='input') takes a str, prompt value, message or message list, "
                        f"not {type(value).__name__}")

    def _flatten(self, view: Any) -> Flattened:
        if isinstance(view, list):
            view = [_lc_view(m) if isinstance(m, BaseMessage) else m for m in view]
        return flatten_messages(view, self.limits)

    def _apply(self, value: Any, view: Any, rebuild: Any, scan: Any) -> Any:
        verdict = scan.verdict
        if verdict.action in self.raise_on:
            raise Blocked(verdict)
        if verdict.action is Action.ALLOW or not scan.findings:
            return value
        replacements: dict[tuple[Any, ...], str] = {}
        for piece, v in scan.findings:
            if v.action in self.raise_on or piece.path is None or v.sanitized is None:
                if v.action is not Action.ALLOW:
                    raise Blocked(v, "content must be sanitised but cannot be rewritten in place")
                continue
            replacements[piece.path] = v.sanitized
        if isinstance(view, str):
            return rebuild(replacements.get((), view))
        rewritten = _rewrite_lc(view, replacements)
        if rewritten is None:
            raise Blocked(verdict, "content must be sanitised but cannot be rewritten in place")
        return rebuild(rewritten)

    def _session(self, config: Any) -> str | None:
        meta = config.get("metadata") if isinstance(config, Mapping) else None
        value = meta.get(_SESSION_KEY) if isinstance(meta, Mapping) else None
        return value if isinstance(value, str) else self.session

    # RunnableLambda passes the run's config to a function that has a ``config`` parameter
    def check(self, value: Any, config: Any = None) -> Any:
        view, rebuild = self._view(value)
        scan = scan_pieces(self.guard, self._flatten(view), session=self._session(config))
        return self._apply(value, view, rebuild, scan)

    async def acheck(self, value: Any, config: Any = None) -> Any:
        view, rebuild = self._view(value)
        scan = await ascan_pieces(self.guard, self._flatten(view), session=self._session(config))
        return self._apply(value, view, rebuild, scan)


def _lc_view(m: BaseMessage) -> dict[str, Any]:
    role = getattr(m, "role", None)
    return {"role": role if isinstance(role, str) else m.type, "content": m.content,
            "tool_calls": getattr(m, "tool_calls", None) or None}


def _rewrite_lc(messages: list[Any], replacements: Mapping[tuple[Any, ...], str]) -> list[Any] | None:
    out = list(messages)
    by_index: dict[int, dict[tuple[Any, ...], str]] = {}
    for path, text in replacements.items():
        by_index.setdefault(path[0], {})[path[1:]] = text
    for i, repl in by_index.items():
        m = out[i]
        if isinstance(m, BaseMessage):
            content = m.content
            for sub, text in repl.items():
                if not sub or sub[0] != "content":
                    return None  # e.g. a string tool-call argument: not part of the message content
                content = rewrite(content, {sub[1:]: text}) if sub[1:] else text
            out[i] = m.model_copy(update={"content": content})
        else:
            out[i] = rewrite(m, repl)
    return out


class _OutputGate:
    def __init__(self, guard: Guard, session: str | None, raise_on: frozenset[Action]) -> None:
        self.guard, self.session, self.raise_on = guard, session, raise_on

    def _whole(self, value: Any, verdict: Verdict) -> Any:
        if verdict.action in self.raise_on:
            raise Blocked(verdict)
        if verdict.action is Action.SANITIZE:
            if verdict.sanitized is None or not _has_str_content(value):
                raise Blocked(verdict, "output must be sanitised but cannot be rewritten in place")
            return _with_text(value, verdict.sanitized)
        return value

    def _check_stream(self, s: Any) -> None:
        v = s.verdict
        if v is not None and v.action in self.raise_on:
            raise Blocked(v)

    def transform(self, chunks: Iterator[Any]) -> Iterator[Any]:
        s = None
        last = None
        for chunk in chunks:
            if _is_whole(chunk):
                yield self._whole(chunk, self.guard.inspect_output(_text(chunk), session=self.session))
                continue
            s = s or self.guard.output_stream(session=self.session)
            safe = s.feed(_text(chunk))
            self._check_stream(s)
            last = chunk
            yield _with_text(chunk, safe)
        if s is not None:
            tail = s.close()
            self._check_stream(s)
            if tail:
                yield _tail(last, tail)

    async def atransform(self, chunks: AsyncIterator[Any]) -> AsyncIterator[Any]:
        s = None
        last = None
        async for chunk in chunks:
            if _is_whole(chunk):
                v = await self.guard.ainspect_output(_text(chunk), session=self.session)
                yield self._whole(chunk, v)
                continue
            s = s or self.guard.output_stream(session=self.session)
            safe = s.feed(_text(chunk))
            self._check_stream(s)
            last = chunk
            yield _with_text(chunk, safe)
        if s is not None:
            tail = s.close()
            self._check_stream(s)
            if tail:
                yield _tail(last, tail)


def _is_whole(value: Any) -> bool:
    return isinstance(value, BaseMessage) and not isinstance(value, BaseMessageChunk)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, BaseMessage):
        return value.content if isinstance(value.content, str) else text_of(value.content)
    raise TypeError(f"guard_runnable(mode='output') takes str or message output, not {type(value).__name__}")


def _has_str_content(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, BaseMessage) and isinstance(value.content, str))


def _with_text(value: Any, text: str) -> Any:
    if isinstance(value, str):
        return text
    return value.model_copy(update={"content": text})


def _tail(last: Any, text: str) -> Any:
    if isinstance(last, str) or last is None:
        return text
    return AIMessageChunk(content=text, id=getattr(last, "id", None))
