"""Flask: an ``AIMDS(app)`` / ``init_app`` extension and a ``guard`` view decorator.

Like flask-cors: one core (``_http``) and two thin surfaces::

    aimds = AIMDS(app, guard=Guard(), paths=["/chat"])       # every guarded request
    # or, application factory style
    aimds = AIMDS(guard=Guard()); aimds.init_app(app)

    @app.post("/ask")
    @guard(json_paths=["question"])                          # one view
    def ask(): ...

Options: ``guard``, ``paths``/``exclude_paths`` (path prefixes) and every HttpPolicy field
(``max_body_bytes``, ``json_paths``, ``block_status``, ``on_error`` …). ``app.config["AIMDS"]`` (a
dict) supplies defaults; keyword arguments win. Invalid options raise ConfigError in ``init_app``.
Refusals are ``application/problem+json`` responses; SANITIZE rewrites the body that
``request.get_json()`` / ``request.form`` then read.
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from collections.abc import Callable
from typing import Any

try:
    from flask import Flask, Response, current_app, request
    from werkzeug.exceptions import ClientDisconnected
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by tests/test_missing_hosts.py
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("flask", "flask", exc) from exc

from ..errors import ConfigError
from . import _http

__all__ = ["AIMDS", "guard"]

_EXT_KEY = "aimds"


class _Conf:
    def __init__(self, guard: Any, options: dict[str, Any]) -> None:
        options = dict(options)
        paths = options.pop("paths", None)
        exclude = options.pop("exclude_paths", ())
        policy_opts, unknown = _http.split_options(options)
        if unknown:
            raise ConfigError(min(unknown), "unknown aimds option")
        self.policy = _http.HttpPolicy(**policy_opts)
        self.paths = _prefixes("paths", paths) if paths is not None else None
        self.exclude_paths = _prefixes("exclude_paths", exclude)
        if guard is None:
            from .._guard import Guard

            guard = Guard()
        elif not hasattr(guard, "ainspect"):
            raise ConfigError("guard", f"must be an aimds_middleware.Guard, got {type(guard).__name__}")
        self.guard = guard

    def guarded(self, path: str) -> bool:
        if any(path.startswith(p) for p in self.exclude_paths):
            return False
        return self.paths is None or any(path.startswith(p) for p in self.paths)


def _prefixes(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(p, str) and p.startswith("/") for p in value):
        raise ConfigError(name, "must be a list of path prefixes starting with '/'")
    return tuple(value)


def _validate(options: dict[str, Any]) -> None:
    """Fail at decoration time on bad options; the Guard itself is built on first use."""
    opts = {k: v for k, v in options.items() if k not in ("guard", "paths", "exclude_paths")}
    policy_opts, unknown = _http.split_options(opts)
    if unknown:
        raise ConfigError(min(unknown), "unknown aimds option")
    _http.HttpPolicy(**policy_opts)


class AIMDS:
    """Flask extension: checks the body of every guarded request in a ``before_request`` hook."""

    def __init__(self, app: Flask | None = None, guard: Any | None = None, **options: Any) -> None:
        self.guard = guard
        self.options = options
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, **options: Any) -> None:
        base = app.config.get("AIMDS") or {}
        if not isinstance(base, dict):
            raise ConfigError("AIMDS", "app.config['AIMDS'] must be a dict")
        merged = {**base, **self.options, **options}
        from_config = merged.pop("guard", None)
        # init_app(guard=...) wins over AIMDS(guard=...), which wins over app.config["AIMDS"]["guard"]
        chosen = options.get("guard", self.guard if self.guard is not None else from_config)
        conf = _Conf(chosen, merged)
        app.extensions[_EXT_KEY] = conf
        app.before_request(_before_request)


def _before_request() -> Response | None:
    conf: _Conf = current_app.extensions[_EXT_KEY]
    if request.method not in conf.policy.methods or not conf.guarded(request.path):
        return None
    return _check_sync(conf)


def _read(policy: _http.HttpPolicy) -> bytes:
    _http.check_length(request.headers.get("content-length"), policy)
    # A bounded read, then cached where get_data()/get_json()/form read from, so the view still
    # sees the body (and an over-limit chunked body is never read in full).
    cached = getattr(request, "_cached_data", None)  # e.g. the extension and @guard both run
    try:
        data = cached if cached is not None else request.stream.read(policy.max_body_bytes + 1)
    except ClientDisconnected:  # the input ended before Content-Length: the client went away
        raise _http.PayloadError(400, "incomplete-body", "Incomplete body", "the client disconnected mid-body") from None
    if len(data) > policy.max_body_bytes:
        raise _http.too_large(policy)
    request._cached_data = data  # type: ignore[attr-defined]
    return data


def _meta(policy: _http.HttpPolicy) -> tuple[str, str | None]:
    rid = _http.request_id(request.headers.get(policy.request_id_header))
    session = request.headers.get(policy.session_header) if policy.session_header else None
    return rid, session


def _apply(outcome: _http.Outcome) -> Response | None:
    if outcome.kind == "problem":
        return Response(outcome.body, status=outcome.status, content_type=_http.PROBLEM_CONTENT_TYPE,
                        headers=outcome.headers)
    if outcome.kind == "rewrite":
        # Werkzeug reads the body for get_data/get_json/form from ``_cached_data``; the length is
        # updated so form parsing reads the whole rewritten body.
        request._cached_data = outcome.body  # type: ignore[attr-defined]
        request.environ["CONTENT_LENGTH"] = str(len(outcome.body))
    return None


def _check_sync(conf: _Conf) -> Response | None:
    rid, session = _meta(conf.policy)
    try:
        body = _read(conf.policy)
    except _http.PayloadError as exc:
        return _apply(_http.problem_outcome(exc, rid, conf.policy))
    return _apply(_http.check(conf.guard, conf.policy, request.headers.get("content-type"), body, rid=rid,
                              session=session, content_encoding=request.headers.get("content-encoding")))


async def _check_async(conf: _Conf) -> Response | None:
    rid, session = _meta(conf.policy)
    try:
        body = _read(conf.policy)
    except _http.PayloadError as exc:
        return _apply(_http.problem_outcome(exc, rid, conf.policy))
    return _apply(await _http.acheck(conf.guard, conf.policy, request.headers.get("content-type"), body, rid=rid,
                                     session=session, content_encoding=request.headers.get("content-encoding")))


def guard(view: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Guard one view: ``@guard`` or ``@guard(guard=my_guard, json_paths=["question"])``.

    Without options it uses the app's ``AIMDS`` extension when present; otherwise
    ``app.config["AIMDS"]`` overlaid with the options (and the extension's guard, if any).
    Sync views stay sync, async views stay async.
    """
    if view is None:
        return functools.partial(guard, **options)
    _validate(options)
    per_app: weakref.WeakKeyDictionary[Flask, _Conf] = weakref.WeakKeyDictionary()
    lock = threading.Lock()

    def conf() -> _Conf:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        ext = app.extensions.get(_EXT_KEY)
        if not options and ext is not None:
            return ext
        c = per_app.get(app)
        if c is None:
            with lock:
                # app.config["AIMDS"] gives the defaults, the decorator's options win; path
                # filters do not apply to an explicitly decorated view
                base = {k: v for k, v in (app.config.get("AIMDS") or {}).items()
                        if k not in ("paths", "exclude_paths")}
                merged = {**base, **options}
                g = merged.pop("guard", None) or (ext.guard if ext is not None else None)
                c = per_app.setdefault(app, _Conf(g, merged))
        return c

    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            c = conf()
            if request.method in c.policy.methods:
                refused = await _check_async(c)
                if refused is not None:
                    return refused
            return await view(*args, **kwargs)

        return async_wrapper

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        c = conf()
        if request.method in c.policy.methods:
            refused = _check_sync(c)
            if refused is not None:
                return refused
        return view(*args, **kwargs)

    return wrapper
