"""Gateway: what the HTTP routes do, independent of HTTP.

It owns the Guard, the shared store (memory or Redis), a local fallback store, the API keys and
telemetry. Policies that matter for safety are explicit here:

* **Learned attacks**: feedback ``is_attack=true`` through any replica becomes a learned entry
  keyed by the text's fingerprint; every replica mirrors the set (store pub/sub) and blocks an
  exact repeat, and feeds the text to the Guard's vector memory when it has one.
* **Sessions**: a session that collects ``quarantine_after`` blocked requests is quarantined for
  ``quarantine_ttl_s``; every request in a quarantined session gets ``action=quarantine``.
* **Store outage**: ``on_store_error="degrade"`` answers from the local fallback (rate limits
  become per replica) while audit/feedback wait in the outbox; ``"reject"`` answers 503.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import time
import uuid
from collections import OrderedDict
from typing import Any, Callable

from .. import __version__
from .._types import Action, Category, Severity, Threat, Verdict
from ..errors import ConfigError, StoreError
from ..state import MemoryStore, fingerprint
from ..telemetry import Telemetry
from .config import ServerConfig
from .keys import ApiKey, KeyFile, role_allows
from .problems import ApiError

__all__ = ["Gateway"]

_RECENT_TEXTS = 4096
_MAINTENANCE_S = 1.0


class Gateway:
    def __init__(
        self, config: ServerConfig, guard: Any, store: Any, keys: KeyFile, telemetry: Telemetry
    ) -> None:
        self.config = config
        self.guard = guard
        self.store = store
        # the local store answers when the shared one is down, and keeps this replica's own verdict
        # records so feedback on them works even then
        self.local = (
            store
            if isinstance(store, MemoryStore)
            else MemoryStore(max_verdicts=config.max_local_verdicts, max_audit=1000, max_feedback=1000)
        )
        self.keys = keys
        self.telemetry = telemetry
        self.learned: dict[str, dict[str, Any]] = {}
        self.replica = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.started_at = time.time()
        self._texts: OrderedDict[str, str] = OrderedDict()  # verdict id -> text, for learning
        self._learn_retry: list[dict[str, Any]] = []
        self._task: asyncio.Task[Any] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._started = False

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.store is not self.local and not await self.store.aping():
            if self.config.redis_at_start == "fail":
                self._started = False
                raise StoreError(
                    "the state store does not answer at start (set redis_at_start = "
                    '"degraded" to start anyway)'
                )
            self.telemetry.on_warning(
                "store_unavailable", "starting degraded: the state store does not answer"
            )
        self._unsubscribe = self.store.subscribe_learned(self._apply_learned)
        self._task = asyncio.get_running_loop().create_task(self._maintenance())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._unsubscribe is not None:
            self._unsubscribe()
        await self.store.aclose()
        self._started = False

    async def _maintenance(self) -> None:
        """Refresh health gauges and retry learned entries that could not be shared yet."""
        while True:
            await asyncio.sleep(_MAINTENANCE_S)
            up = await self.store.aping()
            self.telemetry.set_store(up, self.store.pending())
            self.telemetry.set_learned(len(self.learned))
            if up and self._learn_retry:
                retry, self._learn_retry = self._learn_retry, []
                for entry in retry:
                    await self._share_learned(entry)

    # ---- shared-store calls under the outage policy ----------------------------------------
    async def _shared(self, op: str, *args: Any, critical: bool = True) -> Any:
        """Call the shared store; on an outage apply the policy (non-critical calls always degrade)."""
        try:
            return await getattr(self.store, op)(*args)
        except StoreError:
            if (critical and self.config.on_store_error == "reject") or self.store is self.local:
                raise ApiError(
                    503,
                    "store-unavailable",
                    "the state store is unavailable; retry shortly",
                    headers={"Retry-After": "1"},
                ) from None
            return await getattr(self.local, op)(*args)

    # ---- authentication, authorisation, rate limits ------------------------------------------
    async def authorize(
        self, authorization: str | None, ip: str, needed: str, critical: bool = True
    ) -> ApiKey:
        """Check the bearer key and the rate limits; raise 401/403/429 problems.

        ``critical`` routes (inspection, feedback) answer 503 under the "reject" policy while the
        store is known to be down; monitoring routes keep working with local rate limits.
        """
        if critical and self.config.on_store_error == "reject" and not self.store.healthy:
            raise ApiError(
                503,
                "store-unavailable",
                "the state store is unavailable; retry shortly",
                headers={"Retry-After": "1"},
            )
        if not authorization:
            raise ApiError(
                401,
                "missing-key",
                "send an API key: Authorization: Bearer <key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401,
                "invalid-key",
                "the Authorization header must be: Bearer <key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        token = token.strip()
        ip_bucket = (f"ip:{ip}", self.config.ip_rate, self.config.ip_burst) if self.config.ip_rate else None
        try:
            key = self.keys.cached(token)
            if key is None:
                # an unknown key costs a scrypt hash; charge the client's IP first so guessing is throttled
                if ip_bucket:
                    await self._limit([ip_bucket], critical)
                    ip_bucket = None
                key = await asyncio.to_thread(self.keys.verify, token)
        except ConfigError:
            # fail closed: a keys file that cannot be read must not fall back to stale keys
            raise ApiError(
                503, "keys-unavailable", "the API keys file cannot be read", headers={"Retry-After": "5"}
            ) from None
        if key is None:
            raise ApiError(
                401,
                "invalid-key",
                "the API key is not valid or has been revoked",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not role_allows(key.role, needed):
            raise ApiError(403, "forbidden", f"this route needs the {needed} role; the key has {key.role}")
        buckets = [ip_bucket] if ip_bucket else []
        if self.config.key_rate:
            buckets.append((f"key:{key.id}", self.config.key_rate, self.config.key_burst))
        if buckets:
            await self._limit(buckets, critical)
        return key

    async def _limit(self, buckets: list[tuple[str, float, float]], critical: bool = True) -> None:
        ok, wait, refused = await self._shared("atake_tokens", buckets, critical=critical)
        if not ok:
            scope = refused.split(":", 1)[0] or "key"
            self.telemetry.on_rate_limited(scope)
            raise ApiError(
                429,
                "rate-limited",
                f"{scope} rate limit exceeded; retry after the given delay",
                headers={"Retry-After": str(max(1, int(wait + 0.999)))},
            )

    # ---- inspection ------------------------------------------------------------------------
    async def inspect(
        self, texts: list[str], source: str, session: str | None, explain: bool, key: ApiKey, ip: str
    ) -> list[dict[str, Any]]:
        quarantined = bool(session) and await self._shared("ais_quarantined", session)
        out = []
        for text in texts:
            v = await self.guard.ainspect(text, source=source, session=session)
            fp = fingerprint(text)
            v = self._escalate(v, fp, len(text), quarantined)
            if session and not quarantined:
                quarantined = await self._track_session(session, v)
            await self._record(v, fp, len(text), key, ip, text)
            out.append(v.to_dict(explain))
        return out

    async def inspect_output(
        self, text: str, session: str | None, explain: bool, key: ApiKey, ip: str
    ) -> dict[str, Any]:
        v = await self.guard.ainspect_output(text, session=session)
        await self._record(v, fingerprint(text), len(text), key, ip, None)
        return v.to_dict(explain)

    def _escalate(self, v: Verdict, fp: str, size: int, quarantined: bool) -> Verdict:
        if quarantined:
            t = Threat(
                Category.SESSION_BEHAVIOR, "gateway.session.quarantined", None, 1.0, "gateway", Severity.HIGH
            )
            return dataclasses.replace(v, action=Action.QUARANTINE, score=1.0, threats=v.threats + (t,))
        if fp in self.learned and not v.blocked:  # never soften a block or quarantine
            t = Threat(
                Category.KNOWN_ATTACK, "gateway.learned.exact", (0, size), 1.0, "gateway", Severity.HIGH
            )
            return dataclasses.replace(
                v, action=Action.BLOCK, score=1.0, sanitized=None, threats=v.threats + (t,)
            )
        return v

    async def _track_session(self, session: str, v: Verdict) -> bool:
        rec = await self._shared(
            "asession_update",
            session,
            {"turns": 1, "blocked": 1 if v.blocked else 0},
            self.config.session_ttl_s,
        )
        n = self.config.quarantine_after
        if v.action is Action.QUARANTINE or (n and rec.get("blocked", 0) >= n):
            await self._shared(
                "aquarantine",
                session,
                self.config.quarantine_ttl_s,
                f"{int(rec.get('blocked', 0))} blocked requests",
            )
            return True
        return False

    async def _record(self, v: Verdict, fp: str, size: int, key: ApiKey, ip: str, text: str | None) -> None:
        event = {
            "id": v.id,
            "kind": "inspect",
            "ts": time.time(),
            "key": key.id,
            "ip": ip,
            "chars": size,
            "fingerprint": fp,
            "source": v.source,
            "action": v.action.value,
            "score": round(v.score, 4),
            "categories": list(v.categories),
            "session": v.session,
            "replica": self.replica,
        }
        # the audit event doubles as the verdict record (indexed by id, for feedback through any
        # replica); both go through the store's write-behind outbox: no round trip on this request
        await self._shared("aappend_audit", event, self.config.verdict_ttl_s)
        if self.local is not self.store:
            self.local.put_verdict(v.id, event, self.config.verdict_ttl_s)
        await self._shared("aincr", f"inspections.{v.action.value}")
        if text is not None and self.config.learn_text:
            self._texts[v.id] = text[:65536]
            if len(self._texts) > _RECENT_TEXTS:
                self._texts.popitem(last=False)

    # ---- feedback and learning -------------------------------------------------------------
    async def feedback(
        self, verdict_id: str, is_attack: bool, note: str | None, text: str | None, key: ApiKey
    ) -> tuple[dict[str, Any], bool]:
        """Record feedback; returns (record, persisted). Unknown verdicts need ``text``."""
        rec = await self._find_verdict(verdict_id)
        if rec is None and text is None:
            raise ApiError(
                404,
                "unknown-verdict",
                "no verdict with this id (expired or never seen); send the text with the feedback",
            )
        text = text if text is not None else self._texts.get(verdict_id)
        fp = fingerprint(text) if text is not None and rec is None else rec["fingerprint"]  # type: ignore[index]
        record: dict[str, Any] = {
            "id": uuid.uuid4().hex,
            "verdict_id": verdict_id,
            "is_attack": is_attack,
            "ts": time.time(),
            "key": key.id,
            "fingerprint": fp,
            "replica": self.replica,
        }
        if rec is not None:
            record.update(
                source=rec.get("source"),
                action=rec.get("action"),
                score=rec.get("score"),
                categories=rec.get("categories"),
            )
        if note:
            record["note"] = note
        await self._shared("aadd_feedback", record)
        await self._shared(
            "aappend_audit",
            {
                "id": record["id"],
                "kind": "feedback",
                "ts": record["ts"],
                "key": key.id,
                "verdict_id": verdict_id,
                "is_attack": is_attack,
            },
        )
        await self._shared("aincr", "feedback.attack" if is_attack else "feedback.benign")
        if is_attack:
            entry = {
                "fingerprint": fp,
                "verdict_id": verdict_id,
                "ts": record["ts"],
                "by": key.id,
                "source": record.get("source"),
                "categories": record.get("categories") or [],
            }
            if text is not None and self.config.learn_text:
                entry["text"] = text
            self._apply_learned(entry)
            await self._share_learned(entry)
        try:
            await self.store.aflush()  # feedback is rare and precious: confirm it reached the store
            persisted = True
        except StoreError:
            persisted = False
        return record, persisted

    async def _find_verdict(self, verdict_id: str) -> dict[str, Any] | None:
        rec = self.local.get_verdict(verdict_id)  # this replica's own verdicts first
        if rec is not None:
            return rec
        rec = await self._shared("aget_verdict", verdict_id)
        if rec is None and self.store is not self.local and self.store.healthy:
            # another replica writes its verdict records behind (within milliseconds): look again
            for _ in range(5):
                await asyncio.sleep(0.05)
                rec = await self._shared("aget_verdict", verdict_id)
                if rec is not None:
                    break
        return rec

    async def _share_learned(self, entry: dict[str, Any]) -> None:
        try:
            await self.store.aadd_learned(entry)
        except StoreError:
            self._learn_retry.append(entry)  # the maintenance task shares it once the store is back

    def _apply_learned(self, entry: dict[str, Any]) -> None:
        fp = entry.get("fingerprint")
        if not isinstance(fp, str) or fp in self.learned:
            return
        self.learned[fp] = entry
        self.telemetry.set_learned(len(self.learned))
        mem = getattr(self.guard, "memory", None)
        # feedback sent through another replica carries no text; this one may have inspected it
        text = entry.get("text") or self._texts.get(str(entry.get("verdict_id")))
        if mem is not None and isinstance(text, str) and text:
            mem.add(text, label=1, meta={"source": "feedback", "verdict_id": entry.get("verdict_id")})

    # ---- read-only views -------------------------------------------------------------------
    async def stats(self) -> dict[str, Any]:
        up = await self.store.aping()
        counters = await self._shared("acounters", critical=False)
        quarantined = await self._shared("aquarantined", critical=False)
        return {
            "version": __version__,
            "replica": self.replica,
            "uptime_s": round(time.time() - self.started_at, 3),
            "store": {
                "backend": self.store.backend,
                "up": up,
                "pending": self.store.pending(),
                "policy": self.config.on_store_error,
            },
            "counters": counters,
            "learned_entries": len(self.learned),
            "quarantined_sessions": len(quarantined),
            "engine_backend": getattr(self.guard, "backend", "python"),
        }

    async def ready(self) -> tuple[bool, str]:
        if await self.store.aping():
            return True, "ready"
        return (self.config.on_store_error == "degrade", "degraded")

    async def audit(self, n: int) -> list[dict[str, Any]]:
        try:  # the audit stream lives in the store: no local stand-in would be truthful
            return await self.store.aaudit_tail(n)
        except StoreError:
            raise ApiError(
                503,
                "store-unavailable",
                "the audit stream is in the state store, which is unavailable",
                headers={"Retry-After": "1"},
            ) from None
