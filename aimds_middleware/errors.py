"""Exceptions raised by aimds-middleware.

The whole tree, so callers can catch exactly what they mean::

    AimdsError                      base of everything this package raises on purpose
    ├── ConfigError(ValueError)     invalid configuration; ``.field`` names the offending setting
    ├── Blocked                     an adapter refused content; ``.verdict`` is the Verdict
    ├── InspectionError             the engine failed internally and ``on_error="block"`` is set
    ├── StoreError                  the state back end (memory/Redis) failed or is unreachable
    ├── AttackIndexError            a vector index file is corrupt, truncated or mismatched
    └── IntegrationUnavailable(ImportError)
                                    an adapter's host framework is not installed; the message
                                    names the extra: ``pip install "aimds-middleware[flask]"``

``TypeError`` (not an AimdsError) is raised for arguments of the wrong type, e.g.
``Guard().inspect(b"bytes")`` without ``bytes_policy="decode"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ._types import Verdict

__all__ = [
    "AimdsError",
    "AttackIndexError",
    "Blocked",
    "ConfigError",
    "InspectionError",
    "IntegrationUnavailable",
    "StoreError",
]


class AimdsError(Exception):
    """Base class of every error aimds-middleware raises on purpose."""


class ConfigError(AimdsError, ValueError):
    """A configuration value is invalid. ``field`` names the setting."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


class Blocked(AimdsError):
    """Content was refused by the guard. ``verdict`` carries the full Verdict."""

    def __init__(self, verdict: "Verdict", message: str | None = None) -> None:
        self.verdict = verdict
        cats = ",".join(sorted({t.category.value for t in verdict.threats})) or "policy"
        super().__init__(message or f"blocked by aimds ({cats}; score={verdict.score:.2f})")


class InspectionError(AimdsError):
    """The engine failed internally and the configuration says to fail closed."""


class StoreError(AimdsError):
    """The state store failed (e.g. Redis unreachable)."""


class AttackIndexError(AimdsError):
    """A vector index file is corrupt, truncated or built by another embedder."""

    def __init__(self, path: Any, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class IntegrationUnavailable(AimdsError, ImportError):
    """An adapter's host framework is missing; the message names the extra to install."""

    def __init__(self, integration: str, extra: str | None = None, cause: BaseException | None = None) -> None:
        extra = extra or integration
        self.integration = integration
        self.extra = extra
        msg = (
            f"the {integration} integration needs its host framework: "
            f'pip install "aimds-middleware[{extra}]"'
        )
        if cause is not None:
            msg += f" ({cause})"
        super().__init__(msg, name=integration)
