"""LiteLLM integration: a proxy guardrail and guarded ``completion`` / ``acompletion`` for the SDK.

Proxy (``config.yaml``)::

    guardrails:
      - guardrail_name: aimds
        litellm_params:
          guardrail: aimds_middleware.integrations.litellm.AimdsGuardrail
          mode: [pre_call, post_call]
          default_on: true
          on_error: block          # any GuardConfig field, or config_file: /etc/aimds.toml

SDK::

    from aimds_middleware.integrations.litellm import acompletion
    resp = await acompletion(model="gpt-4o-mini", messages=msgs, guard=guard)

``AimdsGuardrail`` implements LiteLLM's own lifecycle hooks (``async_pre_call_hook``,
``async_moderation_hook``, ``async_post_call_success_hook``,
``async_post_call_streaming_iterator_hook``) and deliberately does not define
``apply_guardrail``: recent LiteLLM routes every mode through ``apply_guardrail`` when a guardrail
has one, which would bypass the message-aware checks (sources, rewriting, hold-back) here.

A refusal is an HTTP 400 (``fastapi.HTTPException``, which the proxy passes to the client and
records as a guardrail intervention) whose detail names the verdict id, action and threat
categories — never the matched text. The SDK wrapper raises :class:`~aimds_middleware.errors.Blocked`.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

try:
    import litellm
    from litellm.integrations.custom_guardrail import CustomGuardrail
    from litellm.types.guardrails import GuardrailEventHooks
except ImportError as exc:  # pragma: no cover - exercised by the missing-host test
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("litellm", "litellm", exc) from exc

from .._config import GuardConfig
from .._guard import Guard
from .._types import Action, Verdict
from ..errors import Blocked, ConfigError
from ._llm import (
    Limits,
    ascan_pieces,
    error_verdict,
    flatten_messages,
    flatten_request,
    scan_pieces,
    strictest,
)

__all__ = ["AimdsGuardrail", "GuardrailSetupError", "acompletion", "completion"]

_GUARD_FIELDS = frozenset(f.name for f in dataclasses.fields(GuardConfig))
_OWN_OPTIONS = frozenset({"guard", "config_file", "block_status_code", "limits"})
_SUPPORTED_HOOKS = [GuardrailEventHooks.pre_call, GuardrailEventHooks.during_call, GuardrailEventHooks.post_call]
_SESSION_KEYS = ("aimds_session", "session_id", "litellm_session_id")


_GUARDS: dict[str, Guard] = {}
_GUARDS_LOCK = threading.Lock()


def _fields(cfg: GuardConfig) -> dict[str, Any]:
    return {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)}


def _shared_guard(cfg: GuardConfig) -> Guard:
    """One Guard per distinct configuration in a process: a proxy config usually lists an input
    and an output guardrail, and they should share session history and canaries."""
    key = repr(sorted(_fields(cfg).items()))
    with _GUARDS_LOCK:
        guard = _GUARDS.get(key)
        if guard is None:
            guard = _GUARDS[key] = Guard(cfg)
        return guard


class GuardrailSetupError(RuntimeError):
    """The guardrail's configuration is invalid.

    Deliberately not a ``ValueError``: the LiteLLM proxy logs a guardrail whose constructor raises
    ``ValueError``/``TypeError`` and starts *without* it. A security control that fails to
    configure must stop the proxy from starting instead (``__cause__`` is the ConfigError).
    """


def _litellm_param_names() -> frozenset[str]:
    """Keys the proxy may pass from ``litellm_params`` that belong to LiteLLM, not to us."""
    names: set[str] = set()
    try:
        from litellm.types.guardrails import LitellmParams

        names |= set(LitellmParams.model_fields)
    except (ImportError, AttributeError):  # older LiteLLM: the constructor signatures below
        pass
    for cls in CustomGuardrail.__mro__:
        init = cls.__dict__.get("__init__")
        if init is not None:
            names |= {p for p in inspect.signature(init).parameters if p not in ("self", "kwargs")}
    return frozenset(names)


def _session(data: Mapping[str, Any]) -> str | None:
    for bucket in ("metadata", "litellm_metadata"):
        meta = data.get(bucket)
        if isinstance(meta, Mapping):
            for key in _SESSION_KEYS:
                if isinstance(meta.get(key), str) and meta[key]:
                    return meta[key]
    val = data.get("litellm_session_id")
    return val if isinstance(val, str) and val else None


# ---- output: whole responses and streams ----------------------------------------------------

def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _response_targets(response: Any) -> Iterator[tuple[str, Any, Any]]:
    """(text, owner, key) for every model-written text in a response: chat and text completions
    (``choices``), the Responses API (``output`` items) and Anthropic messages (``content``
    blocks). ``owner[key]`` / ``owner.key`` is where a sanitised text goes back; key None means
    it cannot (tool-call arguments: rewriting inside JSON could break them)."""
    for choice in _list(_get(response, "choices")):
        msg = _get(choice, "message")
        if msg is not None:
            if isinstance(_get(msg, "content"), str):
                yield msg.content if not isinstance(msg, Mapping) else msg["content"], msg, "content"
            for call in _list(_get(msg, "tool_calls")):
                args = _get(_get(call, "function"), "arguments")
                if isinstance(args, str) and args:
                    yield args, call, None
        elif isinstance(_get(choice, "text"), str):
            yield _get(choice, "text"), choice, "text"
    for item in _list(_get(response, "output")):
        for part in _list(_get(item, "content")):
            if isinstance(_get(part, "text"), str):
                yield _get(part, "text"), part, "text"
        if isinstance(_get(item, "arguments"), str):
            yield _get(item, "arguments"), item, None
    content = _get(response, "content") if isinstance(response, Mapping) or hasattr(response, "stop_reason") else None
    if isinstance(content, list):
        for block in content:
            if isinstance(_get(block, "text"), str):
                yield _get(block, "text"), block, "text"
            elif _get(block, "type") == "tool_use" and _get(block, "input") is not None:
                yield json.dumps(_get(block, "input"), ensure_ascii=False, default=str)[:1 << 20], block, None


def _put(owner: Any, key: str, text: str) -> None:
    if isinstance(owner, dict):
        owner[key] = text
    else:
        setattr(owner, key, text)


def _apply(targets: list[tuple[str, Any, Any]], verdicts: list[Verdict]) -> Verdict | None:
    """Write sanitised texts back where possible; return the verdict to enforce (None when all
    is allowed). A SANITIZE that could not be applied is returned so the caller refuses."""
    unresolved: list[Verdict] = []
    for (_, owner, key), v in zip(targets, verdicts):
        if v.action is Action.ALLOW:
            continue
        if v.action is Action.SANITIZE and key is not None and v.sanitized is not None:
            _put(owner, key, v.sanitized)
            continue
        unresolved.append(v)
    return strictest(unresolved)


def _response_error(guard: Guard, exc: BaseException, session: str | None) -> Verdict | None:
    v = error_verdict(guard, "litellm.response", exc, session)
    return v if v.action is not Action.ALLOW else None


def _check_response(guard: Guard, response: Any, session: str | None) -> Verdict | None:
    """Inspect a whole response, redact in place, return what to enforce (see :func:`_apply`)."""
    try:
        targets = list(_response_targets(response))
        return _apply(targets, [guard.inspect_output(t, session=session) for t, _, _ in targets])
    except Exception as exc:  # noqa: BLE001 - a response shape we did not foresee must not crash the host
        return _response_error(guard, exc, session)


async def _acheck_response(guard: Guard, response: Any, session: str | None) -> Verdict | None:
    """Async twin of :func:`_check_response` (large texts are inspected off the event loop)."""
    try:
        targets = list(_response_targets(response))
        return _apply(targets, [await guard.ainspect_output(t, session=session) for t, _, _ in targets])
    except Exception as exc:  # noqa: BLE001 - as above
        return _response_error(guard, exc, session)


class _StreamGuard:
    """Per-choice output streams over LiteLLM chunks, with hold-back.

    Chunks are delayed by one so the text a stream holds back at the end can be appended to the
    last chunk that carries its choice (before ``finish_reason`` reaches the client)."""

    def __init__(self, guard: Guard, session: str | None, refuse: Callable[[Verdict], BaseException]) -> None:
        self.guard, self.session, self.refuse = guard, session, refuse
        self.streams: dict[tuple[Any, ...], Any] = {}
        self.templates: dict[tuple[Any, ...], tuple[Any, Any]] = {}
        self.pending: Any = None
        self.unchecked: dict[str, int] = {}  # chunk types we cannot read (e.g. raw SSE bytes)

    def _feed(self, key: tuple[Any, ...], text: str) -> str:
        s = self.streams.get(key)
        if s is None:
            s = self.streams[key] = self.guard.output_stream(session=self.session)
        try:
            safe = s.feed(text)
            verdict = s.verdict
        except Exception as exc:  # noqa: BLE001 - decided by on_error (allow passes the text unchecked)
            verdict = error_verdict(self.guard, "litellm.stream", exc, self.session)
            safe = text if verdict.action is Action.ALLOW else ""
        self._enforce(verdict)
        return safe

    def _enforce(self, verdict: Verdict | None) -> None:
        if verdict is not None and verdict.action not in (Action.ALLOW, Action.SANITIZE):
            raise self.refuse(verdict)

    def process(self, chunk: Any) -> list[Any]:
        if not hasattr(chunk, "choices"):
            # e.g. the bytes of an Anthropic /v1/messages pass-through stream: not silently
            # "checked" — counted and reported once at the end of the stream
            name = type(chunk).__name__
            self.unchecked[name] = self.unchecked.get(name, 0) + 1
        for choice in getattr(chunk, "choices", None) or []:
            idx = getattr(choice, "index", 0)
            delta = getattr(choice, "delta", None)
            if delta is None:
                continue
            if isinstance(getattr(delta, "content", None), str) and delta.content:
                delta.content = self._feed((idx, "content"), delta.content)
                self.templates[(idx, "content")] = (chunk, None)
            for call in getattr(delta, "tool_calls", None) or []:
                fn = getattr(call, "function", None)
                if isinstance(getattr(fn, "arguments", None), str) and fn.arguments:
                    key = (idx, "tool", getattr(call, "index", 0))
                    fn.arguments = self._feed(key, fn.arguments)
                    self.templates[key] = (chunk, call)
        out = [self.pending] if self.pending is not None else []
        self.pending = chunk
        return out

    def finish(self) -> list[Any]:
        if self.unchecked:
            kinds = ", ".join(f"{n} x{c}" for n, c in sorted(self.unchecked.items()))
            self.guard.telemetry.on_warning("litellm.stream_unchecked",
                                            f"stream chunks of unsupported types passed unchecked: {kinds}")
        before: list[Any] = []
        for key, s in self.streams.items():
            try:
                tail = s.close()
                verdict = s.verdict
            except Exception as exc:  # noqa: BLE001 - decided by on_error
                verdict = error_verdict(self.guard, "litellm.stream", exc, self.session)
                tail = ""
            self._enforce(verdict)
            if tail and not self._append(self.pending, key, tail):
                before.append(self._tail_chunk(key, tail))
        out = before + ([self.pending] if self.pending is not None else [])
        self.pending = None
        return out

    @staticmethod
    def _choice(chunk: Any, idx: Any) -> Any:
        for c in getattr(chunk, "choices", None) or []:
            if getattr(c, "index", 0) == idx:
                return c
        return None

    def _append(self, chunk: Any, key: tuple[Any, ...], tail: str) -> bool:
        choice = self._choice(chunk, key[0]) if chunk is not None else None
        delta = getattr(choice, "delta", None)
        if delta is None:
            return False
        if key[1] == "content":
            delta.content = (delta.content or "") + tail
            return True
        for call in getattr(delta, "tool_calls", None) or []:
            if getattr(call, "index", 0) == key[2] and getattr(call, "function", None) is not None:
                call.function.arguments = (call.function.arguments or "") + tail
                return True
        return False

    def _tail_chunk(self, key: tuple[Any, ...], tail: str) -> Any:
        template, call = self.templates[key]
        chunk = copy.deepcopy(template)
        choice = copy.deepcopy(self._choice(template, key[0]))
        choice.finish_reason = None
        if key[1] == "content":
            choice.delta.content = tail
            choice.delta.tool_calls = None
        else:
            tc = copy.deepcopy(call)
            tc.function.arguments = tail
            choice.delta.content = None
            choice.delta.tool_calls = [tc]
        chunk.choices = [choice]
        return chunk


# ---- the proxy guardrail -------------------------------------------------------------------

class AimdsGuardrail(CustomGuardrail):
    """LiteLLM guardrail backed by an aimds :class:`Guard`.

    Modes: ``pre_call`` (inspect the request; sanitisable content is rewritten, the rest
    refused), ``during_call`` (inspect in parallel with the model call; it cannot rewrite, so a
    sanitise verdict refuses), ``post_call`` (inspect the response, streamed responses through a
    hold-back window). Keyword arguments: any :class:`GuardConfig` field (``on_error``,
    ``block_threshold``, …), ``config_file`` (a TOML file for GuardConfig), ``guard`` (a ready
    Guard, Python use only), ``block_status_code`` (default 400), plus LiteLLM's own guardrail
    arguments.
    """

    def __init__(self, guard: Guard | None = None, *, config_file: str | None = None,
                 block_status_code: int = 400, limits: Limits | None = None, **kwargs: Any) -> None:
        guard_options = {k: kwargs.pop(k) for k in list(kwargs) if k in _GUARD_FIELDS}
        unknown = sorted(set(kwargs) - _litellm_param_names())
        try:
            if unknown:
                raise ConfigError(unknown[0], "unknown AimdsGuardrail setting (not a GuardConfig field, "
                                              "not a LiteLLM guardrail parameter)")
            if isinstance(block_status_code, bool) or not isinstance(block_status_code, int) or not (
                400 <= block_status_code <= 499
            ):
                raise ConfigError("block_status_code", f"must be a 4xx status, got {block_status_code!r}")
            if guard is not None:
                if not isinstance(guard, Guard):
                    raise ConfigError("guard", f"must be an aimds_middleware.Guard, not {type(guard).__name__}")
                if guard_options or config_file:
                    raise ConfigError("guard", "pass either a Guard or its settings, not both")
            else:
                base = GuardConfig.from_file(config_file) if config_file else GuardConfig()
                guard = _shared_guard(GuardConfig.from_mapping({**_fields(base), **guard_options}))
        except ConfigError as exc:
            raise GuardrailSetupError(f"aimds guardrail {kwargs.get('guardrail_name')!r}: {exc}") from exc
        self.guard = guard
        self.block_status_code = block_status_code
        self.limits = limits
        kwargs.setdefault("supported_event_hooks", list(_SUPPORTED_HOOKS))
        super().__init__(**kwargs)

    # -- refusals --------------------------------------------------------------------------
    def _refusal(self, verdict: Verdict, stage: str) -> Exception:
        cats = ", ".join(verdict.categories) or "policy"
        detail = {
            "error": f"Violated guardrail policy: {stage} refused by aimds ({cats})",
            "aimds": {"verdict_id": verdict.id, "action": verdict.action.value, "stage": stage,
                      "categories": list(verdict.categories), "score": round(verdict.score, 4)},
        }
        try:
            from fastapi import HTTPException
        except ImportError:  # the proxy always has fastapi; a bare SDK install may not
            from litellm.exceptions import GuardrailRaisedException

            try:
                return GuardrailRaisedException(guardrail_name=self.guardrail_name, message=detail["error"],
                                                should_wrap_with_default_message=False,
                                                status_code=self.block_status_code, blocked_content=True)
            except TypeError:  # older LiteLLM without status_code/blocked_content
                return GuardrailRaisedException(guardrail_name=self.guardrail_name, message=detail["error"])
        return HTTPException(status_code=self.block_status_code, detail=detail)

    @staticmethod
    def _passes(verdict: Verdict) -> bool:
        return verdict.action is Action.ALLOW

    # -- hooks -----------------------------------------------------------------------------
    async def _scan(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return None
        return await ascan_pieces(self.guard, flatten_request(data, self.limits), session=_session(data))

    async def async_pre_call_hook(self, user_api_key_dict: Any, cache: Any, data: dict, call_type: Any) -> Any:
        scan = await self._scan(data)
        if scan is None or self._passes(scan.verdict):
            return data
        if scan.verdict.action is Action.SANITIZE:
            new, complete = scan.sanitized(data)
            if complete:
                return new
        raise self._refusal(scan.verdict, "request")

    async def async_moderation_hook(self, data: dict, user_api_key_dict: Any, call_type: Any) -> Any:
        # runs beside the model call: nothing can be rewritten any more, so sanitise refuses too
        scan = await self._scan(data)
        if scan is not None and not self._passes(scan.verdict):
            raise self._refusal(scan.verdict, "request")
        return None

    async def async_post_call_success_hook(self, data: dict, user_api_key_dict: Any, response: Any) -> Any:
        session = _session(data) if isinstance(data, Mapping) else None
        verdict = await _acheck_response(self.guard, response, session)
        if verdict is not None:
            raise self._refusal(verdict, "response")
        return response

    async def async_post_call_streaming_iterator_hook(self, user_api_key_dict: Any, response: Any,
                                                      request_data: dict) -> AsyncIterator[Any]:
        session = _session(request_data) if isinstance(request_data, Mapping) else None
        sg = _StreamGuard(self.guard, session, lambda v: self._refusal(v, "response"))
        async for chunk in response:
            for out in sg.process(chunk):
                yield out
        for out in sg.finish():
            yield out


# ---- SDK wrappers ----------------------------------------------------------------------------

def _messages_of(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if "messages" in kwargs:
        return kwargs["messages"]
    return args[1] if len(args) > 1 else None  # completion(model, messages, ...)


def _with_messages(args: tuple[Any, ...], kwargs: dict[str, Any], new: Any) -> tuple[Any, ...]:
    if "messages" in kwargs:
        kwargs["messages"] = new
        return args
    return (args[0], new, *args[2:]) if len(args) > 1 else args


def _input_verdict(scan: Any, messages: Any) -> tuple[Any, Verdict | None]:
    v = scan.verdict
    if v.action is Action.ALLOW:
        return messages, None
    if v.action is Action.SANITIZE:
        new, complete = scan.sanitized(messages)
        if complete:
            return new, None
    return messages, v


def _guard_arg(guard: Any) -> Guard:
    if not isinstance(guard, Guard):
        raise TypeError("pass guard=aimds_middleware.Guard(...) to the guarded completion")
    return guard


def _prepare(args: tuple[Any, ...], kwargs: dict[str, Any], scan: Any, messages: Any) -> tuple[Any, ...]:
    new, refused = _input_verdict(scan, messages)
    if refused is not None:
        raise Blocked(refused)
    return _with_messages(args, kwargs, new) if new is not messages else args


def _refuse_blocked(v: Verdict) -> BaseException:
    return Blocked(v)


def completion(*args: Any, guard: Guard, session: str | None = None, limits: Limits | None = None,
               **kwargs: Any) -> Any:
    """``litellm.completion`` with the input messages and the output guarded.

    Raises :class:`Blocked` on a refusal. With ``stream=True`` returns an iterator of chunks that
    passes through the guard's hold-back window.
    """
    guard = _guard_arg(guard)
    messages = _messages_of(args, kwargs)
    scan = scan_pieces(guard, flatten_messages(messages, limits), session=session)
    args = _prepare(args, kwargs, scan, messages)
    response = litellm.completion(*args, **kwargs)
    if kwargs.get("stream"):
        return _sync_stream(guard, session, response)
    verdict = _check_response(guard, response, session)
    if verdict is not None:
        raise Blocked(verdict)
    return response


async def acompletion(*args: Any, guard: Guard, session: str | None = None, limits: Limits | None = None,
                      **kwargs: Any) -> Any:
    """Async twin of :func:`completion` around ``litellm.acompletion``."""
    guard = _guard_arg(guard)
    messages = _messages_of(args, kwargs)
    scan = await ascan_pieces(guard, flatten_messages(messages, limits), session=session)
    args = _prepare(args, kwargs, scan, messages)
    response = await litellm.acompletion(*args, **kwargs)
    if kwargs.get("stream"):
        return _async_stream(guard, session, response)
    verdict = await _acheck_response(guard, response, session)
    if verdict is not None:
        raise Blocked(verdict)
    return response


def _sync_stream(guard: Guard, session: str | None, response: Any) -> Iterator[Any]:
    sg = _StreamGuard(guard, session, _refuse_blocked)
    for chunk in response:
        yield from sg.process(chunk)
    yield from sg.finish()


async def _async_stream(guard: Guard, session: str | None, response: Any) -> AsyncIterator[Any]:
    sg = _StreamGuard(guard, session, _refuse_blocked)
    async for chunk in response:
        for out in sg.process(chunk):
            yield out
    for out in sg.finish():
        yield out
