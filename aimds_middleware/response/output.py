"""Output checks: canary leaks, secrets, PII and exfiltration links in model output.

:class:`OutputScanner` is what ``Guard.inspect_output``, ``Guard.canary`` and the streaming
checker (:mod:`.stream`) call. Its settings are an :class:`OutputPolicy`, taken from
``guard.output_policy`` when the guard has one, else the defaults below.

Decisions, per category (``GuardConfig.category_actions`` overrides them, as for input):

* ``canary_leak`` → BLOCK: the system prompt is leaking; nothing of the answer is safe.
* ``secret_leak`` and ``data_exfiltration`` → SANITIZE: the secret is redacted and the image or
  link is turned into inert text, the rest of the answer survives (``secret_action`` /
  ``exfil_action`` = "block" to refuse instead).
* ``pii`` → SANITIZE (redacted) when ``redact_pii``, else reported with ALLOW.

The verdict's ``sanitized`` carries the redacted text when the action is SANITIZE.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from .._types import Action, Category, Severity, Threat, Verdict
from ..detection.secrets import DEFAULT_COLLECTOR_HOSTS, LeakScanner, redact
from ..errors import ConfigError
from .canary import CanaryRegistry

__all__ = ["OutputPolicy", "OutputScanner", "redact"]

_PII_KINDS = ("email", "credit_card", "iban", "ssn", "phone")
#: most threats (and change lines) one verdict lists; redaction always covers all of them
_MAX_REPORTED = 1000


@dataclass(frozen=True)
class OutputPolicy:
    """Settings of the output checks. Invalid values raise :class:`ConfigError` naming the field."""

    #: hosts (and their subdomains) whose links and images are never treated as exfiltration
    allow_hosts: tuple[str, ...] = ()
    #: request-logging services; any data-carrying link to them is exfiltration
    collector_hosts: tuple[str, ...] = DEFAULT_COLLECTOR_HOSTS
    #: redact PII (SANITIZE); False reports it with ALLOW
    redact_pii: bool = True
    pii_kinds: tuple[str, ...] = _PII_KINDS
    canary_action: Action = Action.BLOCK
    secret_action: Action = Action.SANITIZE
    exfil_action: Action = Action.SANITIZE
    #: live canary tokens kept in memory (oldest retire first)
    max_canaries: int = 10000
    #: streaming: characters always held back (≥ the longest pattern that contains whitespace)
    stream_window: int = 256
    #: streaming: most characters held while a link, tag or key block is still open
    stream_max_hold: int = 16384
    #: streaming: text emitted once when the stream is blocked
    stream_replacement: str = ""

    def __post_init__(self) -> None:
        for name in ("allow_hosts", "collector_hosts", "pii_kinds"):
            val = getattr(self, name)
            if isinstance(val, str) or not isinstance(val, Iterable) or not all(isinstance(h, str) for h in val):
                raise ConfigError(name, "must be a list of strings")
            object.__setattr__(self, name, tuple(h.strip().lower().strip(".") for h in val if h.strip()))
        bad = sorted(set(self.pii_kinds) - set(_PII_KINDS))
        if bad:
            raise ConfigError("pii_kinds", f"unknown kind {bad[0]!r}; one of {', '.join(_PII_KINDS)}")
        for name in ("canary_action", "secret_action", "exfil_action"):
            val = getattr(self, name)
            try:
                object.__setattr__(self, name, val if isinstance(val, Action) else Action(str(val).lower()))
            except ValueError:
                raise ConfigError(name, f"unknown action {val!r}") from None
        if not isinstance(self.redact_pii, bool):
            raise ConfigError("redact_pii", f"must be true or false, got {self.redact_pii!r}")
        for name, lo, hi in (("max_canaries", 1, 10_000_000), ("stream_window", 64, 65536),
                             ("stream_max_hold", 256, 1 << 22)):
            val = getattr(self, name)
            if isinstance(val, bool) or not isinstance(val, int) or not lo <= val <= hi:
                raise ConfigError(name, f"must be an integer in [{lo}, {hi}], got {val!r}")
        if self.stream_max_hold < self.stream_window:
            raise ConfigError("stream_max_hold", "must be at least stream_window")
        if not isinstance(self.stream_replacement, str) or len(self.stream_replacement) > 4096:
            raise ConfigError("stream_replacement", "must be a string of at most 4096 characters")

    @classmethod
    def from_mapping(cls, data: Any) -> OutputPolicy:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(unknown[0], "unknown output setting")
        return cls(**dict(data))


class OutputScanner:
    """Per-guard output checker (created lazily by the guard)."""

    def __init__(self, guard: Any) -> None:
        self.guard = guard
        policy = getattr(guard, "output_policy", None)
        if policy is None:
            policy = OutputPolicy()
        elif isinstance(policy, dict):
            policy = OutputPolicy.from_mapping(policy)
        elif not isinstance(policy, OutputPolicy):
            raise ConfigError("output_policy", f"must be an OutputPolicy, not {type(policy).__name__}")
        self.policy = policy
        self.leaks = LeakScanner(pii_kinds=policy.pii_kinds, allow_hosts=policy.allow_hosts,
                                 collector_hosts=policy.collector_hosts)
        telemetry = getattr(guard, "telemetry", None)
        self.canaries = CanaryRegistry(
            max_tokens=policy.max_canaries, store=self._store,
            warn=(telemetry.on_warning if telemetry is not None else None))
        cfg = getattr(guard, "config", None)
        overrides = dict(getattr(cfg, "category_actions", None) or {})
        self._actions = {
            Category.CANARY_LEAK: policy.canary_action,
            Category.SECRET_LEAK: policy.secret_action,
            Category.DATA_EXFILTRATION: policy.exfil_action,
            Category.PII: Action.SANITIZE if policy.redact_pii else Action.ALLOW,
        }
        for cat in list(self._actions):
            if cat.value in overrides:
                self._actions[cat] = Action(overrides[cat.value])

    def _store(self) -> Any:
        try:
            return self.guard.store
        except ImportError:  # no store back end available: the in-memory registry is enough
            return None

    # ---- API used by the guard -----------------------------------------------------------
    def new_canary(self, session: str | None = None) -> str:
        if session is not None and not isinstance(session, str):
            raise TypeError(f"session must be a str or None, not {type(session).__name__}")
        return self.canaries.new(session)

    def inspect(self, vid: str, text: str, session: str | None) -> Verdict:
        t0 = time.perf_counter_ns()
        cfg = getattr(self.guard, "config", None)
        limit = getattr(cfg, "max_input_chars", None)
        if limit is not None and len(text) > limit and getattr(cfg, "oversize_policy", "") == "block":
            too_big = Threat(Category.POLICY_VIOLATION, "output.too-large", None, 1.0, "budget", Severity.CRITICAL)
            return Verdict(id=vid, action=Action.BLOCK, score=1.0, threats=(too_big,), source="output",
                           session=session, backend="re2", truncated=True,
                           timings={"output": time.perf_counter_ns() - t0})
        # otherwise the whole text is scanned even past max_input_chars: every pattern is linear
        # and redaction must not skip the middle of an answer (head_tail would)
        threats = self.scan(text, session)
        action = self.decide(threats)
        sanitized, changes = None, ()
        if action is Action.SANITIZE:
            sanitized, changes = redact(text, [t for t in threats if self.action_for(t).rank >= Action.SANITIZE.rank])
        score = max((t.confidence for t in threats), default=0.0)
        if len(threats) > _MAX_REPORTED:  # everything was redacted; the verdict lists a bounded sample
            changes = changes[:_MAX_REPORTED] + (f"{len(threats) - _MAX_REPORTED} more findings not listed",)
            threats = threats[:_MAX_REPORTED]
        return Verdict(
            id=vid,
            action=action,
            score=score,
            threats=tuple(threats),
            sanitized=sanitized,
            timings={"output": time.perf_counter_ns() - t0},
            source="output",
            session=session,
            backend="re2",
            changes=changes,
        )

    # ---- building blocks (also used by the stream) -------------------------------------------
    def scan(self, text: str, session: str | None) -> list[Threat]:
        threats = self.canaries.find(text, session) + self.leaks.scan(text)
        threats.sort(key=lambda t: (t.span[0], -t.span[1]) if t.span else (-1, 0))
        return threats

    def action_for(self, threat: Threat) -> Action:
        return self._actions.get(threat.category, Action.SANITIZE)

    def decide(self, threats: Sequence[Threat]) -> Action:
        action = Action.ALLOW
        for t in threats:
            a = self.action_for(t)
            if a.rank > action.rank:
                action = a
        return action
