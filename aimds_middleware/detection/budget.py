"""Per-request latency budget.

Stages run cheapest first. Before an optional stage (decoding, fuzzy matching, vector recall) the
engine asks the budget whether the stage's *estimated* cost still fits; a stage that does not is
skipped and named in ``Verdict.skipped``, so a caller can always tell a clean verdict from a
partial one. Estimates start conservative and follow what runs: a fixed cost per stage, learned
from short texts, plus a cost per character beyond it, learned from longer ones (exponential
moving averages shared by all requests of one engine).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Iterator

__all__ = ["SHORT_TEXT", "Budget", "CostModel", "warming_up"]

#: time this thread spent compiling what is compiled once, on first use (RE2 sets, single rules)
_WARMUP = threading.local()


@contextmanager
def warming_up() -> Iterator[None]:
    """Marks one-time work (a lazily compiled regex set). The budget does not charge it to the
    request that happened to come first: a cold process would otherwise skip decoding on its first
    scans (the CLI's one scan), only because it was the one to compile."""
    t = time.perf_counter_ns()
    try:
        yield
    finally:
        _WARMUP.ns = getattr(_WARMUP, "ns", 0) + time.perf_counter_ns() - t


#: below this many characters a stage's cost is taken as fixed, not as a rate per character
SHORT_TEXT = 1024


class CostModel:
    """Nanoseconds per character for each optional stage, learned from what runs."""

    __slots__ = ("ns_per_char", "fixed_ns")

    def __init__(self) -> None:
        # conservative starting points, replaced by measurements after the first requests
        self.ns_per_char: dict[str, float] = {"decode": 60.0, "fuzzy": 40.0, "recall": 40.0, "obfuscation": 60.0}
        self.fixed_ns: dict[str, float] = {"decode": 20_000.0, "fuzzy": 20_000.0, "recall": 60_000.0, "obfuscation": 10_000.0}

    def estimate(self, stage: str, chars: int) -> float:
        return self.fixed_ns.get(stage, 0.0) + self.ns_per_char.get(stage, 0.0) * chars

    def observe(self, stage: str, chars: int, ns: int) -> None:
        if chars <= 0 or stage not in self.ns_per_char:
            return
        # A short text's cost is its fixed part (decoding matches each decoded view through the rule
        # sets: milliseconds for a few hundred characters of attack). Read as a rate per character it
        # made a 2 KB text look ten times dearer than it was, and busy engines skipped its decoding.
        # So short texts teach the fixed part, longer ones the rate beyond it; benign races are harmless.
        if chars < SHORT_TEXT:
            self.fixed_ns[stage] = 0.9 * self.fixed_ns[stage] + 0.1 * ns
        else:
            per = max(ns - self.fixed_ns[stage], 0) / chars
            self.ns_per_char[stage] = 0.9 * self.ns_per_char[stage] + 0.1 * per


class Budget:
    """Deadline for one request."""

    __slots__ = ("start", "warm", "limit_ns", "costs", "skipped")

    def __init__(self, limit_ms: float, costs: CostModel) -> None:
        self.start = time.perf_counter_ns()
        self.warm = getattr(_WARMUP, "ns", 0)
        self.limit_ns = int(limit_ms * 1e6)
        self.costs = costs
        self.skipped: list[str] = []

    def elapsed(self) -> int:
        """Wall-clock nanoseconds since the request started."""
        return time.perf_counter_ns() - self.start

    def charged(self) -> int:
        """What the request is charged: :meth:`elapsed` less one-time compiling done meanwhile."""
        return self.elapsed() - (getattr(_WARMUP, "ns", 0) - self.warm)

    def allows(self, stage: str, chars: int) -> bool:
        """True if ``stage`` over ``chars`` characters should fit in what is left; else record a skip."""
        if self.charged() + self.costs.estimate(stage, chars) <= self.limit_ns:
            return True
        self.skipped.append(stage)
        return False
