"""GuardConfig: every engine setting, its default, and its validation.

Settings come from keyword arguments, a TOML file (``[guard]`` table or top level) or ``AIMDS_*``
environment variables. Invalid values raise :class:`ConfigError` naming the field — never an
``assert``, never a silent fallback.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from ._types import Action, Category
from .errors import ConfigError

__all__ = ["GuardConfig"]

_ON_ERROR = ("block", "allow")
_OVERSIZE = ("head_tail", "block")
_BYTES = ("refuse", "decode")
_IMPL = ("auto", "native", "python")
_SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class GuardConfig:
    """Engine configuration. All fields have production defaults.

    Thresholds: ``block_threshold``/``sanitize_threshold`` of None use the values trained with the
    shipped scorer weights (chosen at ~1% false-positive rate under leave-one-source-out).
    """

    # decision
    block_threshold: float | None = None
    sanitize_threshold: float | None = None
    #: action for a detection in untrusted data (tool output, retrieved docs): neutralise, not block
    untrusted_action: Action = Action.SANITIZE
    #: between the sanitize and the block threshold, only threats of at least this severity are
    #: cut from the text; with none, the verdict is ALLOW. A low-severity rule is evidence that
    #: counts together with others (a code question's brackets can look like an adversarial
    #: suffix), never a reason to edit a user's words by itself. Above the block threshold (a
    #: block turned into a sanitise for untrusted data) every threat is cut.
    sanitize_min_severity: str = "medium"
    #: in that grey zone, edit a user's (or system) text too. Off: their text is allowed with the
    #: threats listed — cutting words from a person's own request changes what they asked (the
    #: grey zone starts near 4% held-out FPR). Untrusted data (tool, retrieval, web) is always cut.
    sanitize_user_text: bool = False
    #: per-category override of the action, e.g. {"instruction_override": "review"}
    category_actions: Mapping[str, Action] = field(default_factory=dict)
    #: failure policy when the engine itself errs
    on_error: str = "block"
    # size and time limits
    max_input_chars: int = 1 << 20
    oversize_policy: str = "head_tail"
    budget_ms: float = 20.0
    decode_max_depth: int = 3
    decode_max_chars: int = 65536
    #: detection results kept by text digest, so a repeated text (a system prompt, the chat
    #: history every turn re-sends) costs a hash and a lookup; 0 turns the cache off
    result_cache_entries: int = 4096
    #: MiB that RE2 may use for the lazily built DFAs of the regex sets, all sets together. More
    #: is faster on diverse traffic (README: speed); the process grows by up to about this much
    regex_memory_mb: int = 256
    # stages
    fuzzy: bool = True
    recall: bool = True
    #: directory of the attack memory (vector index); None = the seed memory shipped in the package
    memory_path: str | None = None
    packs: tuple[str, ...] = ("builtin",)
    extra_pack_paths: tuple[str, ...] = ()
    # input handling
    bytes_policy: str = "refuse"
    implementation: str = "auto"
    #: log raw text (off: only sizes, scores and categories are logged)
    log_text: bool = False

    def __post_init__(self) -> None:
        _check_unit("block_threshold", self.block_threshold, allow_none=True)
        _check_unit("sanitize_threshold", self.sanitize_threshold, allow_none=True)
        if (
            self.block_threshold is not None
            and self.sanitize_threshold is not None
            and self.sanitize_threshold > self.block_threshold
        ):
            raise ConfigError("sanitize_threshold", "must not exceed block_threshold")
        object.__setattr__(self, "untrusted_action", _action("untrusted_action", self.untrusted_action))
        cats = {}
        if not isinstance(self.category_actions, Mapping):
            raise ConfigError("category_actions", "must be a mapping of category to action")
        for k, v in self.category_actions.items():
            try:
                Category(str(k))
            except ValueError:
                raise ConfigError("category_actions", f"unknown category {k!r}") from None
            cats[str(k)] = _action(f"category_actions.{k}", v)
        object.__setattr__(self, "category_actions", cats)
        _check_choice("on_error", self.on_error, _ON_ERROR)
        _check_choice("sanitize_min_severity", self.sanitize_min_severity, _SEVERITIES)
        _check_choice("oversize_policy", self.oversize_policy, _OVERSIZE)
        _check_choice("bytes_policy", self.bytes_policy, _BYTES)
        _check_choice("implementation", self.implementation, _IMPL)
        _check_int("max_input_chars", self.max_input_chars, 64, 1 << 28)
        _check_int("result_cache_entries", self.result_cache_entries, 0, 1 << 20)
        _check_int("regex_memory_mb", self.regex_memory_mb, 32, 1 << 16)
        _check_int("decode_max_depth", self.decode_max_depth, 0, 8)
        _check_int("decode_max_chars", self.decode_max_chars, 0, 1 << 24)
        if isinstance(self.budget_ms, bool) or not isinstance(self.budget_ms, (int, float)) or not (
            0 < self.budget_ms <= 60_000
        ):
            raise ConfigError("budget_ms", f"must be a number in (0, 60000], got {self.budget_ms!r}")
        for name in ("fuzzy", "recall", "log_text", "sanitize_user_text"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(name, f"must be true or false, got {getattr(self, name)!r}")
        if self.memory_path is not None and not isinstance(self.memory_path, str):
            raise ConfigError("memory_path", "must be a directory path (str) or None")
        for name in ("packs", "extra_pack_paths"):
            val = getattr(self, name)
            if isinstance(val, str) or not all(isinstance(p, str) for p in val):
                raise ConfigError(name, "must be a list of strings")
            object.__setattr__(self, name, tuple(val))

    # ---- loading -------------------------------------------------------------------------
    def replace(self, **changes: Any) -> "GuardConfig":
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "GuardConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(unknown[0], "unknown setting")
        return cls(**dict(data))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "GuardConfig":
        raw = read_toml(path)
        data = raw.get("guard", raw) if isinstance(raw.get("guard"), dict) else raw
        data = {k: v for k, v in data.items() if not isinstance(v, dict) or k == "category_actions"}
        return cls.from_mapping(data)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, base: "GuardConfig | None" = None) -> "GuardConfig":
        """Overlay ``AIMDS_<FIELD>`` variables on ``base`` (or defaults)."""
        return env_overlay(base or cls(), environ, _parse_env)


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file is a ConfigError naming it."""
    import tomllib  # here, not at the top: 12 ms of every import, for a file few deployments have

    p = Path(path)
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config_file", f"{p} does not exist") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config_file", f"{p} is not valid TOML: {exc}") from None


def env_overlay(base: Any, environ: Mapping[str, str] | None, parse: Any) -> Any:
    """``base`` (a config dataclass) with each ``AIMDS_<FIELD>`` variable parsed over its field."""
    env = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    for f in fields(base):
        key = "AIMDS_" + f.name.upper()
        if key in env:
            changes[f.name] = parse(f.name, env[key], getattr(base, f.name))
    return dataclasses.replace(base, **changes) if changes else base


def parse_env_scalar(name: str, raw: str, current: Any) -> Any:
    """An environment string as the type of the field's current value (bool, int, float, str)."""
    raw = raw.strip()
    if isinstance(current, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(name, f"expected a boolean, got {raw!r}")
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(name, f"expected an integer, got {raw!r}") from None
    if isinstance(current, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(name, f"expected a number, got {raw!r}") from None
    return raw


def _parse_env(name: str, raw: str, current: Any) -> Any:
    """GuardConfig's fields: scalars, plus optional thresholds, lists and category=action maps."""
    raw = raw.strip()
    if name.endswith("threshold"):
        if raw.lower() in ("", "none", "default"):
            return None
        return parse_env_scalar(name, raw, 0.0)
    if isinstance(current, tuple):
        return tuple(p.strip() for p in raw.split(",") if p.strip())
    if isinstance(current, Mapping):
        pairs = [p.split("=", 1) for p in raw.split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise ConfigError(name, "expected category=action,category=action")
        return {k.strip(): v.strip() for k, v in pairs}
    return parse_env_scalar(name, raw, current)


def _check_unit(name: str, v: Any, allow_none: bool = False) -> None:
    if v is None and allow_none:
        return
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (0.0 <= v <= 1.0):
        raise ConfigError(name, f"must be a number in [0, 1], got {v!r}")


def _check_int(name: str, v: Any, lo: int, hi: int) -> None:
    if isinstance(v, bool) or not isinstance(v, int) or not (lo <= v <= hi):
        raise ConfigError(name, f"must be an integer in [{lo}, {hi}], got {v!r}")


def _check_choice(name: str, v: Any, choices: tuple[str, ...]) -> None:
    if v not in choices:
        raise ConfigError(name, f"must be one of {', '.join(choices)}; got {v!r}")


def _action(name: str, v: Any) -> Action:
    try:
        return v if isinstance(v, Action) else Action(str(v).lower())
    except ValueError:
        raise ConfigError(name, f"unknown action {v!r}; one of {', '.join(a.value for a in Action)}") from None
