"""Value types shared by every layer: Action, Category, Threat, Verdict.

All frozen dataclasses / str enums so they are hashable, JSON-friendly and safe to share between
threads. Nothing here imports the engine.
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = ["Action", "Category", "Severity", "Source", "Threat", "Verdict", "new_id"]


def new_id() -> str:
    """A random 128-bit id as 32 hex characters (verdict and request ids): ``uuid4().hex``'s
    shape at a fifth of its cost, on every request."""
    return os.urandom(16).hex()


class Action(str, enum.Enum):
    """What the host should do with the content. Ordered from mildest to strictest."""

    ALLOW = "allow"
    SANITIZE = "sanitize"
    REVIEW = "review"  # hold for a human
    THROTTLE = "throttle"
    QUARANTINE = "quarantine"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]

    def __str__(self) -> str:  # "block", not "Action.BLOCK", in logs and f-strings
        return self.value


_ACTION_RANK = {a: i for i, a in enumerate(Action)}


class Category(str, enum.Enum):
    """Threat families. Detection families first, then output/leakage, then analysis."""

    INSTRUCTION_OVERRIDE = "instruction_override"
    PERSONA_JAILBREAK = "persona_jailbreak"
    PROMPT_EXTRACTION = "prompt_extraction"
    DELIMITER_INJECTION = "delimiter_injection"
    TOOL_HIJACK = "tool_hijack"
    DATA_EXFILTRATION = "data_exfiltration"
    ENCODING_EVASION = "encoding_evasion"
    INVISIBLE_TEXT = "invisible_text"
    ADVERSARIAL_SUFFIX = "adversarial_suffix"
    HARMFUL_REQUEST = "harmful_request"
    KNOWN_ATTACK = "known_attack"  # vector recall of a remembered attack
    SECRET_LEAK = "secret_leak"
    PII = "pii"
    CANARY_LEAK = "canary_leak"
    SESSION_BEHAVIOR = "session_behavior"
    POLICY_VIOLATION = "policy_violation"
    ENGINE_ERROR = "engine_error"

    def __str__(self) -> str:
        return self.value


class Severity(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class Source(str, enum.Enum):
    """Where a text came from. Untrusted sources (tool, retrieval, web) are scanned as data."""

    USER = "user"
    SYSTEM = "system"
    TOOL = "tool"
    RETRIEVAL = "retrieval"
    WEB = "web"
    OUTPUT = "output"  # model output

    @property
    def untrusted_data(self) -> bool:
        return self in (Source.TOOL, Source.RETRIEVAL, Source.WEB)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Threat:
    """One finding. ``span`` is ``(start, end)`` in the caller's original text, or None."""

    category: Category
    rule_id: str
    span: tuple[int, int] | None
    confidence: float
    detector: str
    severity: Severity = Severity.MEDIUM

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category.value,
            "rule_id": self.rule_id,
            "span": list(self.span) if self.span else None,
            "confidence": round(self.confidence, 4),
            "detector": self.detector,
            "severity": self.severity.name.lower(),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's answer for one text.

    ``score`` is a calibrated probability-like value in [0, 1]. ``sanitized`` is set when
    ``action`` is SANITIZE. ``timings`` maps stage name to nanoseconds. ``skipped`` names stages
    the latency budget or size limits skipped or truncated; ``truncated`` is True when only part of
    the input was scanned. ``error`` is set when an internal error decided the verdict (per
    ``on_error``).
    """

    id: str
    action: Action
    score: float
    threats: tuple[Threat, ...] = ()
    sanitized: str | None = None
    timings: Mapping[str, int] = field(default_factory=dict)
    source: str = "user"
    session: str | None = None
    backend: str = "python"
    skipped: tuple[str, ...] = ()
    truncated: bool = False
    error: str | None = None
    changes: tuple[str, ...] = ()  # what the sanitizer changed, human-readable

    @property
    def blocked(self) -> bool:
        return self.action in (Action.BLOCK, Action.QUARANTINE)

    @property
    def allowed(self) -> bool:
        return self.action is Action.ALLOW

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({t.category.value for t in self.threats}))

    def to_dict(self, explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "action": self.action.value,
            "blocked": self.blocked,
            "score": round(self.score, 4),
            "categories": list(self.categories),
            "source": self.source,
        }
        if self.session is not None:
            d["session"] = self.session
        if self.sanitized is not None:
            d["sanitized"] = self.sanitized
        if self.truncated:
            d["truncated"] = True
        if self.skipped:
            d["skipped"] = list(self.skipped)
        if self.error:
            d["error"] = self.error
        if explain:
            d["threats"] = [t.to_dict() for t in self.threats]
            d["timings_ns"] = dict(self.timings)
            d["backend"] = self.backend
            if self.changes:
                d["changes"] = list(self.changes)
        return d
