"""The sync twins of RedisStore's methods: the same coroutines, run on its private event loop.

Kept apart so ``redis.py`` holds one implementation of every operation and nothing else.
"""

from __future__ import annotations

from typing import Any, Coroutine, Iterable, Mapping

from ..errors import StoreError
from .base import Bucket, TokenResult

__all__ = ["SyncTwins"]


class SyncTwins:
    """Mixin: requires ``_run(coro)`` and the ``a``-prefixed coroutine methods."""

    _run: Any
    aflush: Any
    aping: Any
    acounters: Any
    aget_verdict: Any
    afeedback_tail: Any
    aaudit_tail: Any
    aincr: Any
    aput_verdict: Any
    aadd_feedback: Any
    aappend_audit: Any
    alearned: Any
    aadd_learned: Any
    aquarantined: Any
    arelease: Any
    ais_quarantined: Any
    aquarantine: Any
    asession_get: Any
    asession_update: Any
    atake_tokens: Any

    def take_tokens(self, buckets: Iterable[Bucket]) -> TokenResult:
        return self._run(self.atake_tokens(list(buckets)))

    def session_update(self, session: str, incr: Mapping[str, float], ttl: float) -> dict[str, float]:
        return self._run(self.asession_update(session, incr, ttl))

    def session_get(self, session: str) -> dict[str, float] | None:
        return self._run(self.asession_get(session))

    def quarantine(self, key: str, ttl: float, reason: str = "") -> None:
        self._run(self.aquarantine(key, ttl, reason))

    def is_quarantined(self, key: str) -> bool:
        return self._run(self.ais_quarantined(key))

    def release(self, key: str) -> bool:
        return self._run(self.arelease(key))

    def quarantined(self) -> dict[str, str]:
        return self._run(self.aquarantined())

    def add_learned(self, entry: Mapping[str, Any]) -> bool:
        return self._run(self.aadd_learned(entry))

    def learned(self) -> list[dict[str, Any]]:
        return self._run(self.alearned())

    def _write_sync(self, coro: Coroutine[Any, Any, None]) -> None:
        # enqueue + one flush attempt; when Redis is down the entry stays in the outbox
        async def go() -> None:
            await coro
            try:
                await self.aflush()
            except StoreError:
                pass

        self._run(go())

    def append_audit(self, event: Mapping[str, Any], index_ttl: float | None = None) -> None:
        self._write_sync(self.aappend_audit(event, index_ttl))

    def add_feedback(self, record: Mapping[str, Any]) -> None:
        self._write_sync(self.aadd_feedback(record))

    def put_verdict(self, verdict_id: str, record: Mapping[str, Any], ttl: float) -> None:
        self._write_sync(self.aput_verdict(verdict_id, record, ttl))

    def incr(self, name: str, amount: int = 1) -> None:
        self._write_sync(self.aincr(name, amount))

    def audit_tail(self, n: int = 100) -> list[dict[str, Any]]:
        return self._run(self.aaudit_tail(n))

    def feedback_tail(self, n: int = 100) -> list[dict[str, Any]]:
        return self._run(self.afeedback_tail(n))

    def get_verdict(self, verdict_id: str) -> dict[str, Any] | None:
        return self._run(self.aget_verdict(verdict_id))

    def counters(self) -> dict[str, int]:
        return self._run(self.acounters())

    def ping(self) -> bool:
        return self._run(self.aping())
