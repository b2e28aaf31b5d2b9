"""RedisStore: shared state for several replicas (redis-py asyncio).

* Multi-step operations run as Lua scripts, so each is atomic and one round trip.
* Every key lives under ``<prefix>:`` and expires (buckets when full again, sessions/verdicts/
  quarantine after their TTL, logs and learned entries after a long idle TTL).
* Learned entries are published on ``<prefix>:learned:events``; every replica that subscribed
  applies them at once, and re-reads the whole set after each (re)subscription so an entry
  published while it was disconnected is not missed.
* Audit, feedback, verdict records and counters are written behind: they go to a local outbox
  first and a flusher sends them in one script call per batch (after a short linger). While Redis
  is down the outbox keeps them (bounded, optionally spooled to a JSONL file that survives a
  restart) and replays them when Redis answers again — delivery is at-least-once, and every entry
  carries its ``id``.
* Rate limits: concurrent checks share one script call, and a replica leases a few tokens per call
  (``lease_size``) so a busy key costs one round trip per lease rather than per request.
* Reads and rate-limit checks need Redis: while it is down they fail fast with
  :class:`~aimds_middleware.errors.StoreError` (a short circuit-breaker avoids a connect timeout
  per request) and the caller applies its policy (the gateway degrades or rejects).

The sync API (used by ``Guard.feedback``) runs the same coroutines on a private event-loop thread,
so there is one implementation of every operation.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Awaitable, Callable, Coroutine, Iterable, Mapping, TypeVar

try:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("redis store", "redis", exc) from exc

from ..errors import StoreError
from ._redis_support import FLUSH as _FLUSH
from ._redis_support import LEARN as _LEARN
from ._redis_support import SESSION as _SESSION
from ._redis_support import TAKE_MANY as _TAKE_MANY
from ._redis_support import LoopThread as _LoopThread
from ._redis_support import Spool, lease_size, redact_url
from ._redis_sync import SyncTwins
from .base import Bucket, LearnedCallback, TokenResult, check_buckets, check_key, check_record

__all__ = ["RedisStore", "lease_size", "redact_url"]

T = TypeVar("T")
_DAY_MS = 86_400_000
_BATCH = 512  # outbox entries per flush call
_MAX_TAKES = 256  # rate-limit checks per coalesced call
_SPOOL_EVERY_S = 2.0
_MAX_LEASES = 100_000
_LEASE_TTL_S = 1.0  # a lease not spent within a second expires (its tokens are forfeited)
_LINGER_S = 0.02  # write-behind delay: at most ~50 flush calls/s per replica under load


class RedisStore(SyncTwins):
    """State in Redis, shared by every replica that uses the same URL and prefix."""

    backend = "redis"

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "aimds",
        socket_timeout: float = 0.5,
        retry_interval: float = 0.5,
        audit_max: int = 100_000,
        feedback_max: int = 100_000,
        log_ttl_days: float = 30.0,
        learned_ttl_days: float = 90.0,
        outbox_max: int = 100_000,
        outbox_path: str | os.PathLike[str] | None = None,
        on_warning: Callable[[str, str], Any] | None = None,
    ) -> None:
        if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("redis url must start with redis://, rediss:// or unix://")
        if not isinstance(prefix, str) or not prefix or any(c.isspace() for c in prefix):
            raise ValueError("prefix must be a non-empty str without spaces")
        self.url = url
        self.prefix = prefix
        self._timeout = float(socket_timeout)
        self._retry = float(retry_interval)
        self._audit_max, self._feedback_max = int(audit_max), int(feedback_max)
        self._log_ttl = int(log_ttl_days * _DAY_MS)
        self._learned_ttl = int(learned_ttl_days * _DAY_MS)
        self._outbox_max = int(outbox_max)
        self._warn = on_warning or (lambda what, msg: None)
        self._lock = threading.Lock()
        self._clients: dict[asyncio.AbstractEventLoop, aioredis.Redis] = {}
        self._scripts: dict[tuple[asyncio.AbstractEventLoop, str], Any] = {}
        self._outbox: deque[list[Any]] = deque()
        self._counts: dict[str, int] = {}
        self._dropped = 0
        self._inflight = 0
        self._spooled_at = -_SPOOL_EVERY_S
        self._down_until = 0.0  # no call before this moment (retry pacing while Redis is down)
        self._up = True  # last known state: false from a failure until Redis answers again
        self._subscribers: list[LearnedCallback] = []
        self._delivered: set[str] = set()
        self._tasks: list[asyncio.Task[Any]] = []
        self._wake: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}
        self._flush_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self._leases: dict[str, tuple[float, float]] = {}  # bucket -> (tokens left, expiry)
        self._takes: dict[asyncio.AbstractEventLoop, list[tuple[list[Bucket], asyncio.Future[Any]]]] = {}
        self._sync: _LoopThread | None = None
        self._closed = False
        self._k_learned = f"{prefix}:learned"
        self._k_chan = f"{prefix}:learned:events"
        self._spoolfile = Spool(Path(outbox_path)) if outbox_path else None
        if self._spoolfile is not None:
            self._outbox.extend(self._spoolfile.load())

    def __repr__(self) -> str:
        return f"RedisStore({redact_url(self.url)!r}, prefix={self.prefix!r})"

    # ---- connection plumbing -------------------------------------------------------------
    def _client(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        c = self._clients.get(loop)
        if c is None:
            # no client-side retries: the breaker and the outbox decide what happens when down
            c = aioredis.Redis.from_url(
                self.url,
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
                retry_on_timeout=False,
                retry=None,
                health_check_interval=0,
            )
            self._clients[loop] = c
        return c

    def _script(self, name: str, text: str) -> Any:
        loop = asyncio.get_running_loop()
        s = self._scripts.get((loop, name))
        if s is None:
            s = self._scripts[(loop, name)] = self._client().register_script(text)
        return s

    async def _call(self, fn: Callable[[aioredis.Redis], Awaitable[T]]) -> T:
        self._check_up()
        try:
            result = await fn(self._client())
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self._mark_down(exc)
            raise StoreError(f"redis at {redact_url(self.url)} failed: {type(exc).__name__}") from None
        self._up = True
        return result

    def _check_up(self) -> None:
        if self._closed:
            raise StoreError("the redis store is closed")
        if time.monotonic() < self._down_until:
            raise StoreError(f"redis at {redact_url(self.url)} is unreachable (retrying)")

    def _mark_down(self, exc: BaseException) -> None:
        first = self._up
        self._up = False
        self._down_until = time.monotonic() + self._retry
        if first:
            self._warn("store_unavailable", f"redis at {redact_url(self.url)}: {type(exc).__name__}")

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        with self._lock:
            if self._sync is None:
                self._sync = _LoopThread()
        if threading.current_thread() is self._sync.thread:
            coro.close()  # waiting for our own loop from inside it would deadlock
            raise RuntimeError("sync RedisStore methods cannot be called from its learned-entry callbacks")
        try:
            return self._sync.run(coro, timeout=self._timeout * 4 + 5)
        except TimeoutError:
            raise StoreError("redis operation timed out") from None

    @property
    def healthy(self) -> bool:
        """Whether Redis answered the last call. It stays false after a failure until a call or
        a ping succeeds, not just until the retry pause ends: a request served from a local
        lease in between must not count as "Redis is back" for ``on_store_error="reject"``."""
        return self._up

    # ---- rate limits ---------------------------------------------------------------------
    async def atake_tokens(self, buckets: Iterable[Bucket]) -> TokenResult:
        """Rate-limit check with leases: a replica takes a few tokens per round trip and spends them
        locally (see ``lease_size``), so busy keys cost one Redis call per lease, not per request.
        Small limits (rate * 50 ms < 2 tokens) get leases of one token: exact, as without leasing."""
        bs = check_buckets(buckets)
        for _ in range(3):
            self._check_up()
            now = time.monotonic()
            with self._lock:
                need = [(k, r, b) for k, r, b in bs if self._lease_left(k, now) < 1]
                if not need:
                    for k, _, _ in bs:
                        tok, exp = self._leases[k]
                        self._leases[k] = (tok - 1, exp)
                    return True, 0.0, ""
            ok, wait, refused, grants = await self._take_remote(
                [(k, r, b, lease_size(r, b)) for k, r, b in need]
            )
            if not ok:
                return False, wait, refused
            with self._lock:
                if len(self._leases) > _MAX_LEASES:
                    self._leases.clear()  # bounded: dropping leases only makes the limit stricter
                for (k, _, _), g in zip(need, grants):
                    self._leases[k] = (self._lease_left(k, now) + g, now + _LEASE_TTL_S)
            # loop: spend under the lock, or fetch again if concurrent requests drained a lease
        return await self._take_exact(bs)

    def _lease_left(self, key: str, now: float) -> float:
        tok, exp = self._leases.get(key, (0.0, 0.0))
        return tok if exp > now else 0.0

    async def _take_exact(self, bs: list[Bucket]) -> TokenResult:
        ok, wait, refused, _ = await self._take_remote([(k, r, b, 1) for k, r, b in bs])
        return ok, wait, refused

    async def _take_remote(
        self, bs: list[tuple[str, float, float, int]]
    ) -> tuple[bool, float, str, list[int]]:
        """One all-or-nothing take of ``want`` tokens per bucket; concurrent calls share a round trip."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        queue = self._takes.setdefault(loop, [])
        queue.append((bs, fut))
        if len(queue) == 1:
            loop.create_task(self._take_batch(loop))
        return await fut

    async def _take_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        batch, self._takes[loop] = self._takes[loop][:_MAX_TAKES], self._takes[loop][_MAX_TAKES:]
        if self._takes[loop]:
            loop.create_task(self._take_batch(loop))
        keys: list[str] = []
        args: list[Any] = [len(batch)]
        for bs, _ in batch:
            args.append(len(bs))
            for k, r, b, want in bs:
                keys.append(f"{self.prefix}:bucket:{k}")
                args += (repr(r), repr(b), want)
        script = self._script("take_many", _TAKE_MANY)
        try:
            flat = await self._call(lambda c: script(keys=keys, args=args))
        except BaseException as exc:
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc if isinstance(exc, StoreError) else StoreError(str(exc)))
            if not isinstance(exc, Exception):
                raise
            return
        i = 0
        for bs, fut in batch:
            ok, wait, refused = int(flat[i]), float(flat[i + 1]), int(flat[i + 2])
            grants = [int(g) for g in flat[i + 3 : i + 3 + len(bs)]]
            i += 3 + len(bs)
            if not fut.done():
                fut.set_result((bool(ok), wait, bs[refused - 1][0] if refused else "", grants))

    # ---- sessions ------------------------------------------------------------------------
    async def asession_update(self, session: str, incr: Mapping[str, float], ttl: float) -> dict[str, float]:
        check_key("session", session)
        args: list[Any] = [int(float(ttl) * 1000)]
        for k, v in incr.items():
            args += [k, repr(float(v))]
        script = self._script("session", _SESSION)
        flat = await self._call(lambda c: script(keys=[f"{self.prefix}:session:{session}"], args=args))
        return {flat[i].decode(): float(flat[i + 1]) for i in range(0, len(flat), 2)}

    async def asession_get(self, session: str) -> dict[str, float] | None:
        check_key("session", session)
        raw = await self._call(lambda c: c.hgetall(f"{self.prefix}:session:{session}"))
        return {k.decode(): float(v) for k, v in raw.items()} if raw else None

    # ---- quarantine ----------------------------------------------------------------------
    async def aquarantine(self, key: str, ttl: float, reason: str = "") -> None:
        check_key("quarantine key", key)
        await self._call(
            lambda c: c.set(f"{self.prefix}:q:{key}", str(reason)[:200], px=int(float(ttl) * 1000))
        )

    async def ais_quarantined(self, key: str) -> bool:
        return bool(await self._call(lambda c: c.exists(f"{self.prefix}:q:{key}")))

    async def arelease(self, key: str) -> bool:
        return bool(await self._call(lambda c: c.delete(f"{self.prefix}:q:{key}")))

    async def aquarantined(self) -> dict[str, str]:
        head = f"{self.prefix}:q:"

        async def scan(c: aioredis.Redis) -> dict[str, str]:
            keys = [k async for k in c.scan_iter(match=head + "*", count=500)]
            vals = await c.mget(keys) if keys else []
            return {k.decode()[len(head) :]: v.decode() for k, v in zip(keys, vals) if v is not None}

        return await self._call(scan)

    # ---- learned entries -----------------------------------------------------------------
    async def aadd_learned(self, entry: Mapping[str, Any]) -> bool:
        check_record("learned", entry)
        fp = entry.get("fingerprint")
        if not isinstance(fp, str) or not fp:
            raise ValueError("a learned entry needs a non-empty 'fingerprint'")
        payload = json.dumps(dict(entry), separators=(",", ":"))
        script = self._script("learn", _LEARN)
        new = await self._call(
            lambda c: script(keys=[self._k_learned, self._k_chan], args=[fp, payload, self._learned_ttl])
        )
        return bool(int(new))

    async def alearned(self) -> list[dict[str, Any]]:
        raw = await self._call(lambda c: c.hvals(self._k_learned))
        return [json.loads(v) for v in raw]

    def subscribe_learned(self, callback: LearnedCallback) -> Callable[[], None]:
        """Call ``callback(entry)`` for every learned entry, existing ones first, then new ones.

        The listener runs on the caller's event loop when there is one (the gateway), else on the
        store's private loop thread; it reconnects and resynchronises by itself.
        """
        with self._lock:
            self._subscribers.append(callback)
            start = len(self._subscribers) == 1
        if start:
            try:
                loop = asyncio.get_running_loop()
                self._tasks.append(loop.create_task(self._listen()))
            except RuntimeError:
                with self._lock:
                    if self._sync is None:
                        self._sync = _LoopThread()
                asyncio.run_coroutine_threadsafe(self._listen(), self._sync.loop)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def _deliver(self, entry: dict[str, Any]) -> None:
        fp = entry.get("fingerprint")
        with self._lock:
            if not isinstance(fp, str) or fp in self._delivered:
                return
            self._delivered.add(fp)
            subs = list(self._subscribers)
        for cb in subs:
            try:
                cb(dict(entry))
            except Exception as exc:  # one bad subscriber must not stop the listener
                self._warn("learned_callback", f"{type(exc).__name__}: {exc}")

    async def _listen(self) -> None:
        while not self._closed:
            ps = None
            try:
                ps = self._client().pubsub()
                await ps.subscribe(self._k_chan)
                for v in await self._client().hvals(self._k_learned):
                    self._deliver(json.loads(v))
                while not self._closed:
                    msg = await ps.get_message(ignore_subscribe_messages=True, timeout=0.5)
                    if msg and msg.get("type") == "message":
                        self._deliver(json.loads(msg["data"]))
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, asyncio.TimeoutError, ValueError) as exc:
                self._mark_down(exc)
                await asyncio.sleep(self._retry)
            finally:
                if ps is not None:
                    try:
                        await ps.aclose()
                    except (RedisError, OSError):
                        pass

    # ---- audit / feedback / verdicts: write-behind through the outbox ---------------------
    def _enqueue(self, op: list[Any]) -> None:
        with self._lock:
            if len(self._outbox) >= self._outbox_max:
                self._outbox.popleft()
                self._dropped += 1
                dropped = True
            else:
                dropped = False
            self._outbox.append(op)
        if dropped:
            self._warn("outbox_full", f"outbox full ({self._outbox_max}); oldest entry dropped")
        self._kick()

    def _kick(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        ev = self._wake.get(loop)
        if ev is None:
            ev = self._wake[loop] = asyncio.Event()
            self._tasks.append(loop.create_task(self._flusher(ev)))
        ev.set()

    async def _flusher(self, ev: asyncio.Event) -> None:
        while not self._closed:
            try:
                await asyncio.wait_for(ev.wait(), timeout=self._retry)
            except asyncio.TimeoutError:
                pass
            ev.clear()
            if self.pending():
                if len(self._outbox) < _BATCH:
                    # linger: under load one call carries many entries instead of one per request
                    await asyncio.sleep(_LINGER_S)
                try:
                    await self.aflush()
                except StoreError:
                    await asyncio.sleep(self._retry)

    def _flush_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lk = self._flush_locks.get(loop)
        if lk is None:
            lk = self._flush_locks[loop] = asyncio.Lock()
        return lk

    async def aflush(self) -> int:
        """Send everything waiting in the outbox; returns how many entries were written."""
        async with self._flush_lock():
            return await self._flush()

    async def _flush(self) -> int:
        written = 0
        while True:
            with self._lock:
                batch = [self._outbox.popleft() for _ in range(min(_BATCH, len(self._outbox)))]
                counts, self._counts = self._counts, {}
                self._inflight = len(batch) + (1 if counts else 0)
            if not batch and not counts:
                break

            args: list[Any] = [self._audit_max, self._feedback_max, self._log_ttl, f"{self.prefix}:verdict:"]
            for op in batch:
                if op[0] == "verdict":
                    args += ("v", op[1], op[2], op[3])
                elif op[0] == "audit" and len(op) == 4:
                    args += ("a", op[1], op[2], op[3])
                else:
                    args += ("a" if op[0] == "audit" else "f", op[1], "", "")
            for name, n in counts.items():
                args += ("c", name, n, "")
            keys = [f"{self.prefix}:audit", f"{self.prefix}:feedback", f"{self.prefix}:counters"]
            script = self._script("flush", _FLUSH)

            async def send(c: aioredis.Redis) -> None:
                await script(keys=keys, args=args)

            try:
                await self._call(send)
            except StoreError:
                with self._lock:
                    self._outbox.extendleft(reversed(batch))
                    for name, n in counts.items():
                        self._counts[name] = self._counts.get(name, 0) + n
                    self._inflight = 0
                self._spool()
                raise
            except BaseException:  # cancelled mid-flight: keep the batch for the next flush
                with self._lock:
                    self._outbox.extendleft(reversed(batch))
                    for name, n in counts.items():
                        self._counts[name] = self._counts.get(name, 0) + n
                    self._inflight = 0
                raise
            with self._lock:
                self._inflight = 0
            written += len(batch)
        if written:
            self._clear_spool()
        return written

    async def aappend_audit(self, event: Mapping[str, Any], index_ttl: float | None = None) -> None:
        check_record("audit", event)
        op = ["audit", json.dumps(dict(event), separators=(",", ":"), default=str)]
        if index_ttl is not None:
            check_key("audit event id", event.get("id"))
            op += [event["id"], int(float(index_ttl) * 1000)]  # one payload serves both
        self._enqueue(op)

    async def aadd_feedback(self, record: Mapping[str, Any]) -> None:
        check_record("feedback", record)
        self._enqueue(["feedback", json.dumps(dict(record), separators=(",", ":"), default=str)])

    async def aput_verdict(self, verdict_id: str, record: Mapping[str, Any], ttl: float) -> None:
        check_key("verdict id", verdict_id)
        check_record("verdict", record)
        self._enqueue(["verdict", verdict_id, json.dumps(dict(record), default=str), int(float(ttl) * 1000)])

    async def _tail(self, kind: str, n: int) -> list[dict[str, Any]]:
        if n <= 0:
            return []
        rows = await self._call(lambda c: c.xrevrange(f"{self.prefix}:{kind}", count=n))
        return [json.loads(fields[b"d"]) for _, fields in reversed(rows)]

    async def aaudit_tail(self, n: int = 100) -> list[dict[str, Any]]:
        return await self._tail("audit", n)

    async def afeedback_tail(self, n: int = 100) -> list[dict[str, Any]]:
        return await self._tail("feedback", n)

    async def aget_verdict(self, verdict_id: str) -> dict[str, Any] | None:
        raw = await self._call(lambda c: c.get(f"{self.prefix}:verdict:{verdict_id}"))
        return json.loads(raw) if raw else None

    # ---- counters ------------------------------------------------------------------------
    async def aincr(self, name: str, amount: int = 1) -> None:
        check_key("counter", name)
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + int(amount)
        self._kick()

    async def acounters(self) -> dict[str, int]:
        # under the flush lock: a batch of counts is either still local or already in Redis
        async with self._flush_lock():
            raw = await self._call(lambda c: c.hgetall(f"{self.prefix}:counters"))
            out = {k.decode(): int(v) for k, v in raw.items()}
            with self._lock:  # this replica's increments not yet flushed
                for name, n in self._counts.items():
                    out[name] = out.get(name, 0) + n
        return out

    # ---- lifecycle -----------------------------------------------------------------------
    async def aping(self) -> bool:
        """True when Redis answers now (bypasses the breaker; a success closes it)."""
        try:
            ok = bool(await asyncio.wait_for(self._client().ping(), self._timeout * 2))
        except (RedisError, OSError, asyncio.TimeoutError) as exc:
            self._mark_down(exc)
            return False
        self._down_until = 0.0
        self._up = True
        if self.pending():
            self._kick()
        return ok

    def pending(self) -> int:
        with self._lock:
            return len(self._outbox) + (1 if self._counts else 0) + self._inflight

    @property
    def dropped(self) -> int:
        return self._dropped

    async def aclose(self) -> None:
        if self._closed:
            return
        try:
            if self.pending() and self.healthy:
                await self.aflush()
        except StoreError:
            pass
        self._spool(force=True)
        self._closed = True
        loop = asyncio.get_running_loop()
        for t in self._tasks:
            if t.get_loop() is loop:
                t.cancel()
        c = self._clients.pop(loop, None)
        if c is not None:
            await c.aclose()

    def close(self) -> None:
        """Flush what can be flushed, spool the rest, stop the private loop."""
        if self._sync is not None:
            try:
                self._sync.run(self.aclose(), timeout=self._timeout * 4 + 5)
            finally:
                self._sync.stop()
                self._sync = None
        else:
            self._spool(force=True)
            self._closed = True

    # ---- outbox spool file ---------------------------------------------------------------
    def _spool(self, force: bool = False) -> None:
        # rewriting the whole outbox on every failed retry would be O(outbox) per retry: at most
        # every few seconds while Redis is down, and always at close
        if self._spoolfile is None or (not force and time.monotonic() - self._spooled_at < _SPOOL_EVERY_S):
            return
        self._spooled_at = time.monotonic()
        with self._lock:
            ops = list(self._outbox)
        try:
            self._spoolfile.write(ops)
        except OSError as exc:
            self._warn("outbox_spool", f"cannot write {self._spoolfile.path}: {exc.strerror}")

    def _clear_spool(self) -> None:
        if self._spoolfile is not None and not self.pending():
            self._spoolfile.write([])
