"""The Starlette app behind ``aimds serve``.

Routes (role needed; roles are ordered viewer < inspector < operator < admin):

    POST /v1/inspect          inspector  one text or a batch, with source and session
    POST /v1/inspect/output   inspector  model output: canaries, secrets, exfiltration links
    POST /v1/feedback         operator   ground truth for a verdict; attacks are learned
    GET  /v1/stats            viewer     counters, learned entries, store health
    GET  /v1/audit            admin      the tail of the audit stream
    GET  /metrics             viewer     Prometheus exposition
    GET  /healthz  /readyz  /openapi.json   public

Every error is ``application/problem+json`` (RFC 9457), an unexpected exception included: the
client gets a 500 problem with the request id, the traceback goes to the log. The outermost layer
is a small pure-ASGI class (no BaseHTTPMiddleware) that assigns the request id, opens the request
span, records request metrics and logs what escaped the app.
"""

from __future__ import annotations

import gc

import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

try:
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("aimds serve", "server", exc) from exc

from .._types import Source
from ..errors import StoreError
from ..telemetry import request_id as request_id_var
from .gateway import Gateway
from .openapi import openapi_document
from .problems import ApiError, Field, problem, validate

__all__ = ["build_app", "create_app", "make_store"]

log = logging.getLogger("aimds_middleware.server")
access_log = logging.getLogger("aimds_middleware.access")

_SOURCES = tuple(s.value for s in Source if s is not Source.OUTPUT)
_SAFE_RID = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
_ROUTES = frozenset(
    {
        "/v1/inspect",
        "/v1/inspect/output",
        "/v1/feedback",
        "/v1/stats",
        "/v1/audit",
        "/metrics",
        "/healthz",
        "/readyz",
        "/openapi.json",
    }
)


class _Edge:
    """Request id, timing, metrics and the last-resort 500 for every HTTP request."""

    def __init__(self, app: ASGIApp, gateway: Gateway) -> None:
        self.app = app
        self.gateway = gateway
        self.access_log = gateway.config.access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        rid = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        token = request_id_var.set(rid)
        status = 500
        started = False

        async def send_wrapped(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        path = scope.get("path", "")
        route = path if path in _ROUTES else "other"
        try:
            with self.gateway.telemetry.span(
                "aimds.http",
                **{"http.method": scope.get("method", ""), "http.route": route, "aimds.request_id": rid},
            ) as sp:
                await self.app(scope, receive, send_wrapped)
                if sp is not None:
                    sp.set_attribute("http.status_code", status)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                resp = problem(
                    500,
                    "internal-error",
                    "the gateway failed to handle this request",
                    instance=scope.get("path"),
                    request_id=rid,
                )
                await resp(scope, receive, send_wrapped)
        finally:
            request_id_var.reset(token)
            elapsed = time.perf_counter() - t0
            self.gateway.telemetry.on_request(route, scope.get("method", ""), status, elapsed)
            if self.access_log:
                access_log.info(
                    "%s %s %d",
                    scope.get("method", ""),
                    route,
                    status,
                    extra={
                        "aimds_method": scope.get("method", ""),
                        "aimds_route": route,
                        "aimds_status": status,
                        "aimds_ms": round(elapsed * 1000, 3),
                        "request_id": rid,
                    },
                )


def _request_id(scope: Scope) -> str:
    for k, v in scope.get("headers", ()):
        if k == b"x-request-id":
            s = v.decode("latin-1")
            if 0 < len(s) <= 64 and set(s) <= _SAFE_RID:
                return s
            break
    return uuid.uuid4().hex[:16]


class JSONResponse(Response):
    """JSON with non-ASCII escaped: a lone surrogate a client sent (in a session id, say) is echoed
    as ``\\udXXX`` instead of failing to encode as UTF-8 (Starlette's default would answer 500)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, separators=(",", ":"), allow_nan=False).encode("ascii")


def _client_ip(request: Request, trust_forwarded: bool) -> str:
    if trust_forwarded:
        fwd = request.headers.get("x-forwarded-for")
        if fwd:
            return fwd.split(",")[0].strip()[:64] or "unknown"
    return request.client.host if request.client else "unknown"


async def _read_json(request: Request, limit: int) -> Any:
    ctype = request.headers.get("content-type", "")
    mt = ctype.split(";")[0].strip().lower()
    if mt != "application/json" and not mt.endswith("+json"):
        raise ApiError(415, "unsupported-media-type", "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiError(400, "bad-content-length", "Content-Length must be a non-negative integer")
        if int(declared) > limit:
            raise ApiError(413, "body-too-large", f"the body exceeds the limit of {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():  # counts the real bytes: Content-Length may be absent or lie
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body-too-large", f"the body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ApiError(400, "malformed-json", "the body is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            400, "malformed-json", f"the body is not valid JSON ({exc.msg} at position {exc.pos})"
        ) from None
    except RecursionError:
        raise ApiError(400, "malformed-json", "the JSON body is nested too deeply") from None


def build_app(gateway: Gateway, *, freeze_gc_after_start: bool = False) -> ASGIApp:
    cfg = gateway.config
    max_text = getattr(gateway.guard.config, "max_input_chars", 1 << 20)

    inspect_schema = {
        "text": Field(str),
        "texts": Field(list, max_len=cfg.max_batch, items=str),
        "source": Field(str, choices=_SOURCES, default="user"),
        "session": Field((str, type(None)), max_len=128),
        "explain": Field(bool, default=False),
    }
    output_schema = {
        "text": Field(str, required=True),
        "session": Field((str, type(None)), max_len=128),
        "explain": Field(bool, default=False),
    }
    feedback_schema = {
        "verdict_id": Field(str, required=True, max_len=64),
        "is_attack": Field(bool, required=True),
        "note": Field((str, type(None)), max_len=1000),
        "text": Field((str, type(None)), max_len=max_text),
    }

    async def started() -> None:
        try:
            await gateway.start()  # no-op once started (also covers servers that skip lifespan)
        except StoreError:
            raise ApiError(
                503,
                "store-unavailable",
                "the state store did not answer at start",
                headers={"Retry-After": "1"},
            ) from None

    async def auth(request: Request, role: str, critical: bool = True) -> Any:
        await started()
        return await gateway.authorize(
            request.headers.get("authorization"), _client_ip(request, cfg.trust_forwarded), role, critical
        )

    async def inspect(request: Request) -> Response:
        key = await auth(request, "inspector")
        body = validate(await _read_json(request, cfg.max_body_bytes), inspect_schema)
        if (body["text"] is None) == (body["texts"] is None):
            raise ApiError(
                422,
                "invalid-body",
                "send exactly one of 'text' or 'texts'",
                errors=[{"field": "text", "message": "exactly one of text/texts"}],
            )
        texts = [body["text"]] if body["text"] is not None else body["texts"]
        if not texts:
            raise ApiError(
                422,
                "invalid-body",
                "'texts' must not be empty",
                errors=[{"field": "texts", "message": "at least 1 item"}],
            )
        results = await gateway.inspect(
            texts,
            body["source"],
            body["session"],
            body["explain"],
            key,
            _client_ip(request, cfg.trust_forwarded),
        )
        return JSONResponse(results[0] if body["text"] is not None else {"results": results})

    async def inspect_output(request: Request) -> Response:
        key = await auth(request, "inspector")
        body = validate(await _read_json(request, cfg.max_body_bytes), output_schema)
        result = await gateway.inspect_output(
            body["text"], body["session"], body["explain"], key, _client_ip(request, cfg.trust_forwarded)
        )
        return JSONResponse(result)

    async def feedback(request: Request) -> Response:
        key = await auth(request, "operator")
        body = validate(await _read_json(request, cfg.max_body_bytes), feedback_schema)
        record, persisted = await gateway.feedback(
            body["verdict_id"], body["is_attack"], body["note"], body["text"], key
        )
        out = {
            "id": record["id"],
            "verdict_id": record["verdict_id"],
            "is_attack": record["is_attack"],
            "persisted": persisted,
        }
        # 202: accepted into the local outbox, written to the store when it is back
        return JSONResponse(out, status_code=201 if persisted else 202)

    async def stats(request: Request) -> Response:
        await auth(request, "viewer", critical=False)
        return JSONResponse(await gateway.stats())

    async def audit(request: Request) -> Response:
        await auth(request, "admin", critical=False)
        raw = request.query_params.get("limit", "100")
        if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
            raise ApiError(
                422,
                "invalid-query",
                "limit must be an integer in [1, 10000]",
                errors=[{"field": "limit", "message": "integer in [1, 10000]"}],
            )
        return JSONResponse({"events": await gateway.audit(int(raw))})

    async def metrics(request: Request) -> Response:
        await auth(request, "viewer", critical=False)
        gateway.telemetry.set_store(gateway.store.healthy, gateway.store.pending())
        gateway.telemetry.set_learned(len(gateway.learned))
        body, ctype = gateway.telemetry.metrics_text()
        return Response(body, media_type=ctype)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        await started()
        ok, state = await gateway.ready()
        if not ok:
            raise ApiError(
                503, "store-unavailable", "the state store does not answer", headers={"Retry-After": "1"}
            )
        return JSONResponse({"status": state})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(cfg.max_batch, _SOURCES))

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return problem(
            exc.status,
            exc.slug,
            exc.detail,
            instance=request.url.path,
            request_id=request.scope.get("state", {}).get("request_id"),
            headers=exc.headers,
            errors=exc.errors,
        )

    async def on_internal_error(request: Request, exc: Exception) -> Response:
        # Starlette's outermost layer answers with this, then re-raises: _Edge logs the traceback
        return problem(
            500,
            "internal-error",
            "the gateway failed to handle this request",
            instance=request.url.path,
            request_id=request.scope.get("state", {}).get("request_id"),
        )

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        detail = {404: "no such route", 405: f"{request.method} is not allowed on this route"}.get(
            exc.status_code, str(exc.detail)
        )
        return problem(
            exc.status_code,
            slug,
            detail,
            instance=request.url.path,
            request_id=request.scope.get("state", {}).get("request_id"),
            headers=exc.headers,
        )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await gateway.start()
        if freeze_gc_after_start:
            # the engine's tables and the server's own modules are tens of thousands of
            # long-lived objects: move them out of the collector's sight (after the server has
            # loaded, and after one inspection has loaded what requests need), so a full
            # collection under load — a pause for every in-flight request — scans only what
            # requests leave behind (bench/gateway_load.py, memory store, p99 at half load:
            # 16-84 ms when frozen before uvicorn started, 5-11 ms now, 3 ms with collection off)
            gateway.guard.inspect("warm-up: load what the first request would load")
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            await gateway.stop()

    routes = [
        Route("/v1/inspect", inspect, methods=["POST"]),
        Route("/v1/inspect/output", inspect_output, methods=["POST"]),
        Route("/v1/feedback", feedback, methods=["POST"]),
        Route("/v1/stats", stats, methods=["GET"]),
        Route("/v1/audit", audit, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            ApiError: on_api_error,
            HTTPException: on_http_error,
            Exception: on_internal_error,
        },
    )
    app.state.gateway = gateway
    edge = _Edge(app, gateway)
    edge.state = app.state  # type: ignore[attr-defined]  # tests reach the gateway via app.state
    return edge


def make_store(cfg: Any, telemetry: Any) -> Any:
    """The shared store the config asks for: Redis when ``redis_url`` is set, else in-memory."""
    from ..state import MemoryStore

    if not cfg.redis_url:
        return MemoryStore(max_verdicts=cfg.max_local_verdicts)
    from ..state.redis import RedisStore

    return RedisStore(
        cfg.redis_url,
        prefix=cfg.redis_prefix,
        socket_timeout=cfg.redis_timeout_s,
        retry_interval=max(0.1, cfg.redis_timeout_s),
        outbox_max=cfg.outbox_max,
        outbox_path=cfg.outbox_path or None,
        on_warning=telemetry.on_warning,
    )


def create_app(
    config: Any = None,
    *,
    guard: Any = None,
    guard_config: Any = None,
    store: Any = None,
    keys: Any = None,
    telemetry: Any = None,
    freeze_gc_after_start: bool = False,
) -> ASGIApp:
    """Build the gateway app. Everything not given is made from ``config`` (a ServerConfig).

    ``freeze_gc_after_start`` (set by ``aimds serve``, which owns its process): once the server
    has started, collect and ``gc.freeze()`` what exists, so full collections under load only
    scan what requests leave behind."""
    from .. import Guard
    from ..telemetry import Telemetry
    from .config import ServerConfig
    from .keys import KeyFile

    cfg = config or ServerConfig()
    if telemetry is None:
        telemetry = (
            guard.telemetry
            if guard is not None and getattr(guard.telemetry, "registry", None) is not None
            else Telemetry(prometheus=cfg.metrics, otel=cfg.tracing)
        )
    if store is None:
        store = make_store(cfg, telemetry)
    if guard is None:
        guard = Guard(guard_config, store=store, telemetry=telemetry)
    keys = keys if keys is not None else KeyFile(cfg.keys_file)
    return build_app(Gateway(cfg, guard, store, keys, telemetry), freeze_gc_after_start=freeze_gc_after_start)
