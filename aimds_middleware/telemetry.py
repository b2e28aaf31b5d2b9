"""Telemetry hooks: OpenTelemetry spans, Prometheus metrics, JSON logs — all optional.

The engine talks to one :class:`Telemetry` object. The default one only logs through the
standard ``logging`` module (never raw text) and counts errors in memory; richer back ends plug
in when their extras are installed. Nothing here raises when an extra is missing.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ._types import Verdict

__all__ = ["Telemetry"]

log = logging.getLogger("aimds_middleware")


class Telemetry:
    """No-cost default: counters in memory, warnings to ``logging``. Subclass or replace freely."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.errors: dict[str, int] = {}
        self.inspections: dict[tuple[str, str], int] = {}

    def on_verdict(self, verdict: "Verdict", size: int) -> None:
        key = (verdict.action.value, verdict.source)
        with self._lock:
            self.inspections[key] = self.inspections.get(key, 0) + 1

    def on_error(self, stage: str, exc: BaseException, **fields: Any) -> None:
        with self._lock:
            self.errors[stage] = self.errors.get(stage, 0) + 1
        log.error("aimds internal error in %s: %s: %s", stage, type(exc).__name__, exc,
                  extra={"aimds_stage": stage, **fields})

    def on_warning(self, what: str, message: str, **fields: Any) -> None:
        with self._lock:
            self.errors[what] = self.errors.get(what, 0) + 1
        log.warning("aimds %s: %s", what, message, extra={"aimds_stage": what, **fields})
