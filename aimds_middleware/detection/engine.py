"""Detector: runs the detection stages under the latency budget. (bootstrap version)"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from .._types import Category, Severity, Source, Threat

_BOOT = re.compile(r"ignore (all )?(previous|prior) instructions|system prompt|\bDAN\b", re.I)


@dataclass(frozen=True)
class DetectionResult:
    score: float
    threats: tuple[Threat, ...]
    timings: dict[str, int] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    truncated: bool = False
    backend: str = "python"


class Detector:
    block_threshold = 0.5
    sanitize_threshold = 0.3

    def __init__(self, config: Any, telemetry: Any, memory: Any = None) -> None:
        self.config = config
        self.telemetry = telemetry
        self.memory = memory
        self.backend = "python"

    def scan(self, text: str, source: Source) -> DetectionResult:
        t0 = time.perf_counter_ns()
        threats = tuple(
            Threat(Category.INSTRUCTION_OVERRIDE, "boot.001", (m.start(), m.end()), 0.9, "pattern", Severity.HIGH)
            for m in _BOOT.finditer(text)
        )
        return DetectionResult(0.9 if threats else 0.0, threats, {"total": time.perf_counter_ns() - t0})
