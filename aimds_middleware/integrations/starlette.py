"""Starlette and FastAPI conveniences on top of the pure ASGI middleware.

Whole app (every route, problem responses, SANITIZE rewrites the body the route reads)::

    from aimds_middleware.integrations.starlette import GuardMiddleware
    app.add_middleware(GuardMiddleware, guard=guard, paths=["/v1/"], scan_response=True)

One route, as a FastAPI dependency (the route sees the checked — possibly sanitised — body)::

    from aimds_middleware.integrations.starlette import guard_dependency, GuardedBody, install_problem_handler
    checked = guard_dependency(guard)
    install_problem_handler(app)            # refusals render as application/problem+json

    @app.post("/chat")
    async def chat(body: GuardedBody = Depends(checked)):
        data = body.json()                  # use this, not a second read of the request

The dependency raises :class:`GuardRefused` (a Starlette ``HTTPException``); without the handler,
FastAPI still answers with the right status and ``{"detail": <problem object>}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

try:
    from starlette.exceptions import HTTPException
    from starlette.requests import ClientDisconnect, Request
    from starlette.responses import Response
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by tests/test_missing_hosts.py
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("starlette", "starlette", exc) from exc

from .._types import Verdict
from ..errors import ConfigError
from . import _http
from .asgi import GuardMiddleware

__all__ = ["GuardMiddleware", "GuardRefused", "GuardedBody", "add_guard", "guard_dependency",
           "install_problem_handler", "problem_handler"]


def add_guard(app: Any, guard: Any | None = None, **options: Any) -> None:
    """``app.add_middleware(GuardMiddleware, guard=guard, **options)``, validating options now."""
    if guard is None:  # one Guard for the check below and the real middleware
        from .._guard import Guard

        guard = Guard()
    GuardMiddleware(_noop_app, guard, **options)  # raises ConfigError here, not at first request
    app.add_middleware(GuardMiddleware, guard=guard, **options)


async def _noop_app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never called
    return None


class GuardRefused(HTTPException):
    """The guard refused a request; ``problem`` is the RFC 9457 body, ``status_code`` its status."""

    def __init__(self, outcome: _http.Outcome) -> None:
        self.outcome = outcome
        self.problem: dict[str, Any] = json.loads(outcome.body)
        super().__init__(outcome.status, detail=self.problem, headers=dict(outcome.headers))  # type: ignore[arg-type]


@dataclass
class GuardedBody:
    """A checked request body. ``body`` is what the route should read (rewritten on SANITIZE)."""

    body: bytes
    request_id: str
    sanitized: bool = False
    verdicts: list[Verdict] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def text(self) -> str:
        return self.body.decode("utf-8")


def guard_dependency(guard: Any | None = None, **options: Any) -> Callable[[Request], Awaitable[GuardedBody]]:
    """A FastAPI dependency (also callable from any Starlette endpoint) that checks the body.

    Options are the HttpPolicy fields (``max_body_bytes``, ``json_paths``, ``block_status`` …).
    """
    if guard is None:
        from .._guard import Guard

        guard = Guard()
    policy_opts, unknown = _http.split_options(options)
    if unknown:
        raise ConfigError(min(unknown), "unknown guard_dependency option")
    policy = _http.HttpPolicy(**policy_opts)

    async def aimds_guard(request: Request) -> GuardedBody:
        rid = _http.request_id(request.headers.get(policy.request_id_header))
        session = request.headers.get(policy.session_header) if policy.session_header else None
        try:
            _http.check_length(request.headers.get("content-length"), policy)
            body = await _read_limited(request, policy)
        except _http.PayloadError as exc:
            raise GuardRefused(_http.problem_outcome(exc, rid, policy)) from None
        except ClientDisconnect:  # nobody will read the answer, but it must not be a 500 traceback
            exc = _http.PayloadError(400, "incomplete-body", "Incomplete body", "the client disconnected mid-body")
            raise GuardRefused(_http.problem_outcome(exc, rid, policy)) from None
        outcome = await _http.acheck(guard, policy, request.headers.get("content-type"), body, rid=rid,
                                     session=session, content_encoding=request.headers.get("content-encoding"))
        if outcome.kind == "problem":
            raise GuardRefused(outcome)
        if outcome.kind == "rewrite":
            return GuardedBody(outcome.body, rid, True, outcome.verdicts)
        return GuardedBody(body, rid, False, outcome.verdicts)

    return aimds_guard


async def _read_limited(request: Request, policy: _http.HttpPolicy) -> bytes:
    chunks: list[bytes] = []
    total = 0
    async for chunk in request.stream():  # raises ClientDisconnect if the client goes away
        total += len(chunk)
        if total > policy.max_body_bytes:
            raise _http.too_large(policy)
        chunks.append(chunk)
    return b"".join(chunks)


async def problem_handler(request: Request, exc: Exception) -> Response:
    """Exception handler rendering :class:`GuardRefused` as ``application/problem+json``."""
    if not isinstance(exc, GuardRefused):
        raise exc
    out = exc.outcome
    return Response(out.body, status_code=out.status, media_type=_http.PROBLEM_CONTENT_TYPE,
                    headers=dict(out.headers))


def install_problem_handler(app: Any) -> None:
    """Register :func:`problem_handler` for :class:`GuardRefused` on a Starlette/FastAPI app."""
    app.add_exception_handler(GuardRefused, problem_handler)
