"""ServerConfig: the gateway's own settings (engine settings stay in GuardConfig).

Sources, later wins: defaults → the ``[server]`` table of a TOML file → ``AIMDS_<FIELD>``
environment variables (e.g. ``AIMDS_REDIS_URL``, ``AIMDS_PORT``). The same TOML file may hold a
``[guard]`` table for the engine. Every value is validated at start; a bad one raises
:class:`~aimds_middleware.errors.ConfigError` naming the field, and ``aimds serve`` prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any, Mapping


from .._config import env_overlay, parse_env_scalar, read_toml
from ..errors import ConfigError

__all__ = ["ServerConfig"]


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    #: API keys (salted hashes), JSON; created with a first admin key when missing
    keys_file: str = "aimds-keys.json"
    #: empty: in-memory state (one replica). redis://host:port/db: shared state for several
    redis_url: str = ""
    redis_prefix: str = "aimds"
    redis_timeout_s: float = 0.5
    #: Redis not answering at start: "fail" (exit with a clear error) or "degraded" (start anyway)
    redis_at_start: str = "fail"
    #: Redis lost while running: "degrade" (local rate limits, writes kept in the outbox) or "reject" (503)
    on_store_error: str = "degrade"
    #: JSONL file that keeps unsent audit/feedback entries across a restart (empty: memory only)
    outbox_path: str = ""
    outbox_max: int = 100_000
    # request limits
    max_body_bytes: int = 1 << 20
    max_batch: int = 64
    # token buckets: requests per second and burst; 0 disables that limit
    key_rate: float = 200.0
    key_burst: int = 400
    ip_rate: float = 100.0
    ip_burst: int = 200
    #: take the client IP from X-Forwarded-For (only behind a proxy you control)
    trust_forwarded: bool = False
    # sessions and learning
    session_ttl_s: float = 3600.0
    quarantine_after: int = 5
    quarantine_ttl_s: float = 900.0
    verdict_ttl_s: float = 3600.0
    #: verdict records this replica keeps in memory (bounded; the shared store keeps them too)
    max_local_verdicts: int = 20_000
    #: keep the text of confirmed attacks with the learned entry (needed by vector recall)
    learn_text: bool = True
    # telemetry
    metrics: bool = True
    tracing: bool = False
    log_format: str = "json"
    log_level: str = "info"
    #: one log line per request (method, route, status, duration, request id; never bodies or keys)
    access_log: bool = False

    def __post_init__(self) -> None:
        _str("host", self.host)
        _int("port", self.port, 0, 65535)
        _str("keys_file", self.keys_file)
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(
                "redis_url", "must start with redis://, rediss:// or unix:// (or be empty for memory)"
            )
        _str("redis_prefix", self.redis_prefix)
        _num("redis_timeout_s", self.redis_timeout_s, 0.01, 60)
        _choice("redis_at_start", self.redis_at_start, ("fail", "degraded"))
        _choice("on_store_error", self.on_store_error, ("degrade", "reject"))
        _int("outbox_max", self.outbox_max, 1, 10_000_000)
        _int("max_body_bytes", self.max_body_bytes, 1024, 64 << 20)
        _int("max_batch", self.max_batch, 1, 10_000)
        _num("key_rate", self.key_rate, 0, 1e9)
        _num("ip_rate", self.ip_rate, 0, 1e9)
        _int("key_burst", self.key_burst, 1, 10**9)
        _int("ip_burst", self.ip_burst, 1, 10**9)
        _num("session_ttl_s", self.session_ttl_s, 1, 30 * 86400)
        _int("quarantine_after", self.quarantine_after, 0, 10**6)
        _num("quarantine_ttl_s", self.quarantine_ttl_s, 1, 30 * 86400)
        _num("verdict_ttl_s", self.verdict_ttl_s, 1, 30 * 86400)
        _int("max_local_verdicts", self.max_local_verdicts, 1, 10_000_000)
        for name in ("trust_forwarded", "learn_text", "metrics", "tracing", "access_log"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(name, f"must be true or false, got {getattr(self, name)!r}")
        _choice("log_format", self.log_format, ("json", "text"))
        _choice("log_level", self.log_level, ("debug", "info", "warning", "error"))

    # ---- loading -------------------------------------------------------------------------
    @classmethod
    def env_names(cls) -> dict[str, str]:
        """field name -> environment variable."""
        return {f.name: "AIMDS_" + f.name.upper() for f in fields(cls)}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ServerConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"server.{unknown[0]}", "unknown setting")
        return cls(**dict(data))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "ServerConfig":
        table = read_toml(path).get("server", {})
        if not isinstance(table, dict):
            raise ConfigError("server", "must be a TOML table")
        return cls.from_mapping(table)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, base: "ServerConfig | None" = None
    ) -> "ServerConfig":
        return env_overlay(base or cls(), environ, parse_env_scalar)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
    ) -> "ServerConfig":
        base = cls.from_file(path) if path else cls()
        return cls.from_env(environ, base)


def _str(name: str, v: Any) -> None:
    if not isinstance(v, str) or not v:
        raise ConfigError(name, f"must be a non-empty string, got {v!r}")


def _int(name: str, v: Any, lo: int, hi: int) -> None:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ConfigError(name, f"must be an integer in [{lo}, {hi}], got {v!r}")


def _num(name: str, v: Any, lo: float, hi: float) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
        raise ConfigError(name, f"must be a number in [{lo}, {hi}], got {v!r}")


def _choice(name: str, v: Any, choices: tuple[str, ...]) -> None:
    if v not in choices:
        raise ConfigError(name, f"must be one of {', '.join(choices)}; got {v!r}")
