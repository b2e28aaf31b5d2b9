"""Django: a middleware (sync and async capable) and a ``guard`` view decorator.

settings.py::

    INSTALLED_APPS += ["aimds_middleware.integrations.django.AimdsConfig"]   # system checks
    MIDDLEWARE += ["aimds_middleware.integrations.django.GuardMiddleware"]
    AIMDS = {
        "guard": {"on_error": "block"},          # GuardConfig fields, or a dotted path to a Guard
        "paths": ["/api/chat/"],                 # path prefixes to guard (default: all)
        "exclude_paths": ["/admin/"],
        "max_body_bytes": 262144,                # …and any other HttpPolicy field
    }

Settings are read lazily, on the first request, and re-read when a test overrides them; they are
validated by Django's system checks (``manage.py check``) with ids ``aimds.E001``–``aimds.E003``.
Like django-cors-headers, one class serves both request paths: ``sync_capable`` and
``async_capable`` are set and ``markcoroutinefunction`` marks the instance when the next handler is
async, so Django never wraps it in a thread. Refusals are ``application/problem+json`` responses.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from typing import Any

try:
    from asgiref.sync import iscoroutinefunction, markcoroutinefunction
    from django.apps import AppConfig
    from django.conf import settings
    from django.core import checks
    from django.core.exceptions import RequestDataTooBig
    from django.core.signals import setting_changed
    from django.http import HttpRequest, HttpResponse
    from django.http.request import RawPostDataException
    from django.utils.module_loading import import_string
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by tests/test_missing_hosts.py
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("django", "django", exc) from exc

from .._config import GuardConfig
from ..errors import ConfigError
from . import _http

__all__ = ["AimdsConfig", "GuardMiddleware", "check_settings", "guard"]

_ADAPTER_KEYS = {"guard", "paths", "exclude_paths"}


class _Conf:
    """The parsed ``settings.AIMDS``: a Guard, an HttpPolicy and the path filters."""

    def __init__(self, raw: Any, overrides: dict[str, Any] | None = None, *, build: bool = True) -> None:
        if not isinstance(raw, dict) and raw is not None:
            raise ConfigError("AIMDS", "must be a dict")
        data = dict(raw or {})
        data.update(overrides or {})
        unknown = set(data) - _ADAPTER_KEYS - set(_http.HttpPolicy.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"AIMDS[{min(unknown)!r}]", "unknown setting")
        self.guard = _make_guard(data.get("guard"), build)
        self.policy = _http.HttpPolicy(**{k: v for k, v in data.items() if k not in _ADAPTER_KEYS})
        self.paths = _prefixes("paths", data.get("paths"))
        self.exclude_paths = _prefixes("exclude_paths", data.get("exclude_paths")) or ()

    def guarded(self, request: HttpRequest) -> bool:
        path = request.path_info
        if request.method not in self.policy.methods or any(path.startswith(p) for p in self.exclude_paths):
            return False
        return self.paths is None or any(path.startswith(p) for p in self.paths)


def _make_guard(spec: Any, build: bool = True) -> Any:
    """The Guard ``spec`` describes; with ``build=False`` only validated (system checks)."""
    from .._guard import Guard

    if spec is None:
        return Guard() if build else None
    if isinstance(spec, dict):
        cfg = GuardConfig.from_mapping(spec)
        return Guard(cfg) if build else None
    if isinstance(spec, str):
        try:
            obj = import_string(spec)
        except ImportError as exc:
            raise ConfigError("AIMDS['guard']", f"cannot import {spec!r}: {exc}") from None
        if callable(obj) and not hasattr(obj, "ainspect"):  # a factory
            if not build:
                return None
            obj = obj()
        if not hasattr(obj, "ainspect"):
            raise ConfigError("AIMDS['guard']", f"{spec!r} is not a Guard")
        return obj
    if hasattr(spec, "ainspect"):
        return spec
    raise ConfigError("AIMDS['guard']", "must be a dict of GuardConfig fields, a dotted path or a Guard")


def _prefixes(name: str, value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(p, str) and p.startswith("/") for p in value):
        raise ConfigError(f"AIMDS[{name!r}]", "must be a list of path prefixes starting with '/'")
    return tuple(value)


_conf_lock = threading.Lock()
_conf: _Conf | None = None


def _settings() -> _Conf:
    global _conf
    if _conf is None:
        with _conf_lock:
            if _conf is None:
                _conf = _Conf(getattr(settings, "AIMDS", None))
    return _conf


def _reset(*, setting: str, **kwargs: Any) -> None:
    global _conf
    if setting == "AIMDS":
        _conf = None


setting_changed.connect(_reset, dispatch_uid="aimds_middleware.django.reset")


# ---- system checks ---------------------------------------------------------------------------
@checks.register(checks.Tags.security)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check``: AIMDS must be a dict of known, valid settings."""
    raw = getattr(settings, "AIMDS", None)
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [checks.Error("AIMDS must be a dict.", id="aimds.E001")]
    try:
        _Conf(raw, build=False)  # validate only: no Guard is built by `manage.py check`
    except ConfigError as exc:
        return [checks.Error(f"AIMDS setting is invalid: {exc}", id="aimds.E002")]
    except (TypeError, ValueError) as exc:
        return [checks.Error(f"AIMDS setting is invalid: {exc}", id="aimds.E003")]
    return []


class AimdsConfig(AppConfig):
    """Add to INSTALLED_APPS so ``manage.py check`` validates ``settings.AIMDS`` at start-up."""

    name = "aimds_middleware"
    label = "aimds"
    verbose_name = "aimds-middleware"
    default = False


# ---- request handling ------------------------------------------------------------------------
def _read(request: HttpRequest, policy: _http.HttpPolicy) -> bytes:
    _http.check_length(request.META.get("CONTENT_LENGTH") or None, policy)
    try:
        body = request.body
    except RequestDataTooBig:
        raise _http.too_large(policy) from None
    except RawPostDataException:  # an earlier middleware streamed it (multipart): not inspectable
        if policy.unsupported_media == "pass":
            return b""
        raise _http.PayloadError(415, "unsupported-media-type", "Unsupported media type",
                                 "the body was already consumed as a stream") from None
    if len(body) > policy.max_body_bytes:
        raise _http.too_large(policy)
    return body


def _meta(request: HttpRequest, policy: _http.HttpPolicy) -> tuple[str, str | None]:
    rid = _http.request_id(request.headers.get(policy.request_id_header))
    session = request.headers.get(policy.session_header) if policy.session_header else None
    return rid, session


def _apply(request: HttpRequest, outcome: _http.Outcome) -> HttpResponse | None:
    if outcome.kind == "problem":
        response = HttpResponse(outcome.body, status=outcome.status, content_type=_http.PROBLEM_CONTENT_TYPE)
        for k, v in outcome.headers:
            response[k] = v
        return response
    if outcome.kind == "rewrite":
        # Django has no public way to replace a read body. HttpRequest.body caches in ``_body`` and
        # POST/FILES parse from ``_stream``; both are swapped so every later reader sees the rewrite.
        request._body = outcome.body  # type: ignore[attr-defined]
        request._stream = io.BytesIO(outcome.body)  # type: ignore[attr-defined]
        request.META["CONTENT_LENGTH"] = str(len(outcome.body))
        for attr in ("_post", "_files"):
            if hasattr(request, attr):
                delattr(request, attr)
    return None


def _check_sync(request: HttpRequest, conf: _Conf) -> HttpResponse | None:
    rid, session = _meta(request, conf.policy)
    try:
        body = _read(request, conf.policy)
    except _http.PayloadError as exc:
        return _apply(request, _http.problem_outcome(exc, rid, conf.policy))
    outcome = _http.check(conf.guard, conf.policy, _full_content_type(request), body, rid=rid, session=session,
                          content_encoding=request.headers.get("content-encoding"))
    return _apply(request, outcome)


async def _check_async(request: HttpRequest, conf: _Conf) -> HttpResponse | None:
    rid, session = _meta(request, conf.policy)
    try:
        # ASGIRequest bodies are already spooled by the handler: reading is memory/tempfile only
        body = _read(request, conf.policy)
    except _http.PayloadError as exc:
        return _apply(request, _http.problem_outcome(exc, rid, conf.policy))
    outcome = await _http.acheck(conf.guard, conf.policy, _full_content_type(request), body, rid=rid, session=session,
                                 content_encoding=request.headers.get("content-encoding"))
    return _apply(request, outcome)


def _full_content_type(request: HttpRequest) -> str:
    return request.META.get("CONTENT_TYPE", "")


class GuardMiddleware:
    """Inspect the body of guarded requests; refuse with problem details, rewrite on SANITIZE."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(self.get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        conf = _settings()
        if conf.guarded(request):
            refused = _check_sync(request, conf)
            if refused is not None:
                return refused
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> Any:
        conf = _settings()
        if conf.guarded(request):
            refused = await _check_async(request, conf)
            if refused is not None:
                return refused
        return await self.get_response(request)


def guard(view: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Guard one view: ``@guard`` or ``@guard(json_paths=["query"], guard=my_guard)``.

    Options override ``settings.AIMDS`` for this view (``guard``, any HttpPolicy field). The
    decorator keeps the view sync or async, as it was.
    """
    if view is None:
        return functools.partial(guard, **options)
    unknown = set(options) - _ADAPTER_KEYS - set(_http.HttpPolicy.__dataclass_fields__)
    if unknown:  # fail at decoration time; the Guard itself is built on first use
        raise ConfigError(min(unknown), "unknown aimds option")
    local: list[_Conf] = []
    lock = threading.Lock()

    def conf() -> _Conf:
        if not options:
            return _settings()
        if not local:  # lazy too: settings may not be configured when the module is imported
            with lock:
                if not local:
                    local.append(_Conf(getattr(settings, "AIMDS", None), options))
        return local[0]

    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            c = conf()
            if request.method in c.policy.methods:
                refused = await _check_async(request, c)
                if refused is not None:
                    return refused
            return await view(request, *args, **kwargs)

        return async_wrapper

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        c = conf()
        if request.method in c.policy.methods:
            refused = _check_sync(request, c)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return wrapper
