"""Telemetry hooks: OpenTelemetry spans, Prometheus metrics, JSON logs — all optional.

The engine talks to one :class:`Telemetry` object. The default one only logs through the
standard ``logging`` module (never raw text) and counts errors in memory; it imports nothing.
``Telemetry(prometheus=True, otel=True)`` adds metrics and spans when the ``prometheus`` /
``otel`` extras are installed; when they are not, it warns once and carries on without them.

Spans are built from ``verdict.timings`` after the fact (explicit start/end times), so the engine's
hot path carries no tracing calls; they nest under whatever span is current (e.g. the gateway's
request span). Attributes are action, score, categories, sizes and timings — never the text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from ._types import Verdict

__all__ = ["METRIC_NAMES", "JsonFormatter", "Telemetry", "configure_logging", "request_id"]

log = logging.getLogger("aimds_middleware")

#: the current request's id, set by the gateway; JSON log lines carry it
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("aimds_request_id", default=None)

#: stage latencies run from microseconds (literal match) to tens of milliseconds (budget)
_STAGE_BUCKETS = (5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 0.1)
_HTTP_BUCKETS = (2.5e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 1.0)
_SIZE_BUCKETS = (64, 256, 1024, 2048, 4096, 16384, 65536, 262144, 1048576)

#: every metric name this module exports (the deploy dashboard is checked against it)
METRIC_NAMES = (
    "aimds_inspections_total",
    "aimds_stage_seconds",
    "aimds_input_chars",
    "aimds_errors_total",
    "aimds_learned_entries",
    "aimds_rate_limited_total",
    "aimds_http_requests_total",
    "aimds_http_request_seconds",
    "aimds_store_up",
    "aimds_outbox_pending",
)


class Telemetry:
    """Engine and gateway hooks. ``Telemetry()`` is the no-cost default.

    ``prometheus``: False, True (a private registry) or a ``CollectorRegistry``.
    ``otel``: False, True (the global tracer provider) or a ``TracerProvider``.
    """

    def __init__(self, *, prometheus: Any = False, otel: Any = False, service: str = "aimds") -> None:
        self._lock = threading.Lock()
        self.errors: dict[str, int] = {}
        self.inspections: dict[tuple[str, str], int] = {}
        self.registry: Any = None
        self.tracer: Any = None
        self._m: dict[str, Any] = {}
        self._children: dict[Any, Any] = {}
        if prometheus:
            self._init_prometheus(None if prometheus is True else prometheus)
        if otel:
            self._init_otel(None if otel is True else otel, service)

    # ---- engine hooks (called by Guard) ----------------------------------------------------
    def on_verdict(self, verdict: "Verdict", size: int) -> None:
        key = (verdict.action.value, verdict.source)
        with self._lock:
            self.inspections[key] = self.inspections.get(key, 0) + 1
        if self._m:
            self._child("aimds_inspections_total", key).inc()
            self._child("aimds_input_chars", ()).observe(size)
            for stage, ns in verdict.timings.items():
                self._child("aimds_stage_seconds", (stage,)).observe(ns / 1e9)
        if self.tracer is not None:
            self._span_from_verdict(verdict, size)

    def on_error(self, stage: str, exc: BaseException, **fields: Any) -> None:
        with self._lock:
            self.errors[stage] = self.errors.get(stage, 0) + 1
        if self._m:
            self._child("aimds_errors_total", (stage, "error")).inc()
        log.error(
            "aimds internal error in %s: %s: %s",
            stage,
            type(exc).__name__,
            exc,
            extra={"aimds_stage": stage, **fields},
        )

    def on_warning(self, what: str, message: str, **fields: Any) -> None:
        with self._lock:
            self.errors[what] = self.errors.get(what, 0) + 1
        if self._m:
            self._child("aimds_errors_total", (what, "warning")).inc()
        log.warning("aimds %s: %s", what, message, extra={"aimds_stage": what, **fields})

    # ---- gateway hooks ---------------------------------------------------------------------
    def on_request(self, route: str, method: str, status: int, seconds: float) -> None:
        if self._m:
            self._child("aimds_http_requests_total", (route, method, str(status))).inc()
            self._child("aimds_http_request_seconds", (route,)).observe(seconds)

    def on_rate_limited(self, scope: str) -> None:
        if self._m:
            self._child("aimds_rate_limited_total", (scope,)).inc()

    def set_learned(self, n: int) -> None:
        if self._m:
            self._m["aimds_learned_entries"].set(n)

    def set_store(self, up: bool, pending: int) -> None:
        if self._m:
            self._m["aimds_store_up"].set(1 if up else 0)
            self._m["aimds_outbox_pending"].set(pending)

    def metrics_text(self) -> tuple[bytes, str]:
        """The Prometheus exposition of this instance's registry (empty when disabled)."""
        if self.registry is None:
            return b"", "text/plain; version=0.0.4; charset=utf-8"
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    @contextmanager
    def span(self, name: str, **attributes: Any) -> Iterator[Any]:
        """A live span (e.g. one HTTP request) when tracing is on; otherwise a no-op."""
        if self.tracer is None:
            yield None
            return
        with self.tracer.start_as_current_span(name, attributes=_attrs(attributes)) as sp:
            yield sp

    # ---- internals -------------------------------------------------------------------------
    def _child(self, name: str, labels: tuple[str, ...]) -> Any:
        key = (name, labels)
        c = self._children.get(key)
        if c is None:
            metric = self._m[name]
            c = metric.labels(*labels) if labels else metric
            self._children[key] = c
        return c

    def _init_prometheus(self, registry: Any) -> None:
        try:
            from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
        except ImportError:
            self.on_warning(
                "telemetry", 'prometheus metrics need: pip install "aimds-middleware[prometheus]"'
            )
            return
        reg = registry if registry is not None else CollectorRegistry(auto_describe=True)
        self.registry = reg
        self._m = {
            "aimds_inspections_total": Counter(
                "aimds_inspections",
                "Texts inspected, by verdict action and source",
                ["action", "source"],
                registry=reg,
            ),
            "aimds_stage_seconds": Histogram(
                "aimds_stage_seconds",
                "Engine stage latency (from verdict timings)",
                ["stage"],
                buckets=_STAGE_BUCKETS,
                registry=reg,
            ),
            "aimds_input_chars": Histogram(
                "aimds_input_chars",
                "Size of inspected texts in characters",
                buckets=_SIZE_BUCKETS,
                registry=reg,
            ),
            "aimds_errors_total": Counter(
                "aimds_errors", "Internal errors and warnings, by stage", ["stage", "kind"], registry=reg
            ),
            "aimds_learned_entries": Gauge(
                "aimds_learned_entries", "Learned attack entries known to this replica", registry=reg
            ),
            "aimds_rate_limited_total": Counter(
                "aimds_rate_limited", "Requests refused by a rate limit", ["scope"], registry=reg
            ),
            "aimds_http_requests_total": Counter(
                "aimds_http_requests", "Gateway HTTP requests", ["route", "method", "status"], registry=reg
            ),
            "aimds_http_request_seconds": Histogram(
                "aimds_http_request_seconds",
                "Gateway request latency",
                ["route"],
                buckets=_HTTP_BUCKETS,
                registry=reg,
            ),
            "aimds_store_up": Gauge("aimds_store_up", "1 when the state store answers", registry=reg),
            "aimds_outbox_pending": Gauge(
                "aimds_outbox_pending", "Store writes waiting in the local outbox", registry=reg
            ),
        }

    def _init_otel(self, provider: Any, service: str) -> None:
        try:
            from opentelemetry import trace
        except ImportError:
            self.on_warning("telemetry", 'tracing needs: pip install "aimds-middleware[otel]"')
            return
        from . import __version__

        self.tracer = (
            provider.get_tracer(service, __version__)
            if provider is not None
            else trace.get_tracer(service, __version__)
        )

    def _span_from_verdict(self, verdict: "Verdict", size: int) -> None:
        end = time.time_ns()
        stages = {k: int(v) for k, v in verdict.timings.items() if k != "total"}
        total = int(verdict.timings.get("total", sum(stages.values())))
        start = end - total
        attrs = {
            "aimds.verdict_id": verdict.id,
            "aimds.action": verdict.action.value,
            "aimds.score": float(verdict.score),
            "aimds.categories": list(verdict.categories),
            "aimds.source": verdict.source,
            "aimds.input_chars": size,
            "aimds.threats": len(verdict.threats),
            "aimds.backend": verdict.backend,
            "aimds.truncated": verdict.truncated,
        }
        attrs.update({f"aimds.timing_ns.{k}": int(v) for k, v in verdict.timings.items()})
        if verdict.error:
            attrs["aimds.error"] = verdict.error
        sp = self.tracer.start_span("aimds.inspect", attributes=attrs, start_time=start)
        try:
            from opentelemetry import trace

            ctx = trace.set_span_in_context(sp)
            t = start
            for stage, ns in stages.items():  # stages ran in this order, one after another
                child = self.tracer.start_span(
                    f"aimds.stage.{stage}",
                    context=ctx,
                    start_time=t,
                    attributes={"aimds.stage": stage, "aimds.duration_ns": ns},
                )
                t += ns
                child.end(end_time=min(t, end))
        finally:
            sp.end(end_time=end)


def _attrs(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if isinstance(v, (str, bool, int, float))}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and ``aimds_*`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            out["request_id"] = rid
        for k, v in record.__dict__.items():
            if k.startswith("aimds_"):
                out[k[6:]] = v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
        if record.exc_info and record.exc_info[0] is not None:
            out["exc_type"] = record.exc_info[0].__name__
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(fmt: str = "json", level: str = "info") -> None:
    """Route the ``aimds_middleware`` and ``uvicorn`` loggers to stderr in ``fmt`` (json|text)."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    for name in ("aimds_middleware", "uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers[:] = [handler]
        lg.setLevel(level.upper())
        lg.propagate = False
