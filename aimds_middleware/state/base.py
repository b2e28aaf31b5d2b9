"""The Store protocol: everything that must outlive a request or be shared between replicas.

Two back ends implement it — :class:`~aimds_middleware.state.memory.MemoryStore` (embedded
default: bounded, TTL-expiring, thread-safe) and :class:`~aimds_middleware.state.redis.RedisStore`
(several replicas) — and both pass one contract test suite (``tests/state/test_store_contract.py``).

Naming follows the Guard: ``add_feedback`` is synchronous, ``aadd_feedback`` its async twin. The
gateway uses the async forms only; library code (``Guard.feedback``) uses the sync ones.

Record kinds:

* **token buckets** (rate limits): ``take_tokens([(key, rate, burst), ...])`` spends one token from
  every bucket or from none, and says how long to wait and which bucket refused;
* **sessions**: numeric fields incremented atomically, expiring after ``ttl`` seconds;
* **quarantine**: keys (sessions, clients) refused until their entry expires;
* **learned entries**: confirmed attacks, keyed by ``fingerprint``; a new entry is announced to
  every replica (``subscribe_learned``) so their memories converge without restart;
* **audit** and **feedback**: append-only capped logs of dicts with an ``id``. Writes are
  at-least-once: if the back end is unreachable they wait in a local outbox and are replayed;
* **verdict records**: short-lived lookups so feedback sent to any replica finds its verdict;
* **counters**: named integers, summed across replicas.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Any, Awaitable, Callable, Iterable, Mapping, Protocol, runtime_checkable

__all__ = [
    "Bucket",
    "LearnedCallback",
    "Store",
    "TokenResult",
    "check_buckets",
    "check_key",
    "check_record",
    "fingerprint",
]

#: (bucket key, refill rate in tokens/second, burst capacity)
Bucket = tuple[str, float, float]
#: (allowed, seconds to wait before retrying when refused else 0.0, key of the first refusing bucket or "")
TokenResult = tuple[bool, float, str]
LearnedCallback = Callable[[dict[str, Any]], Any]


def fingerprint(text: str) -> str:
    """Stable identity of a text for exact-match learning: NFKC, casefolded, whitespace collapsed.

    The same attack pasted with different spacing or letter case maps to one entry, while the
    fingerprint itself reveals nothing about the text.
    """
    norm = unicodedata.normalize("NFKC", text).casefold()
    # already collapsed? (printable = no whitespace but the ASCII space) — the common one-line
    # message skips building a list of its words (7 of the 12 us on 2 KiB)
    if not (norm.isprintable() and "  " not in norm and norm[:1] != " " and norm[-1:] != " "):
        # str.split() with no argument splits on any whitespace run at C speed (a regex costs ~4x)
        norm = " ".join(norm.split())
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def check_buckets(buckets: Iterable[Bucket]) -> list[Bucket]:
    out = []
    for key, rate, burst in buckets:
        if not isinstance(key, str) or not key:
            raise ValueError("bucket key must be a non-empty str")
        if not (rate > 0 and burst >= 1):
            raise ValueError(f"bucket {key!r}: rate must be > 0 and burst >= 1")
        out.append((key, float(rate), float(burst)))
    return out


def check_key(what: str, key: Any) -> None:
    if not isinstance(key, str) or not key:
        raise ValueError(f"{what} must be a non-empty str")


def check_record(kind: str, record: Mapping[str, Any]) -> None:
    if not isinstance(record, Mapping):
        raise TypeError(f"{kind} record must be a dict, not {type(record).__name__}")


@runtime_checkable
class Store(Protocol):
    """What the engine and the gateway need from a state back end."""

    backend: str  # "memory" | "redis"

    # rate limits
    def take_tokens(self, buckets: Iterable[Bucket]) -> TokenResult: ...
    def atake_tokens(self, buckets: Iterable[Bucket]) -> Awaitable[TokenResult]: ...

    # sessions
    def session_update(self, session: str, incr: Mapping[str, float], ttl: float) -> dict[str, float]: ...
    def asession_update(
        self, session: str, incr: Mapping[str, float], ttl: float
    ) -> Awaitable[dict[str, float]]: ...
    def session_get(self, session: str) -> dict[str, float] | None: ...
    def asession_get(self, session: str) -> Awaitable[dict[str, float] | None]: ...

    # quarantine
    def quarantine(self, key: str, ttl: float, reason: str = "") -> None: ...
    def aquarantine(self, key: str, ttl: float, reason: str = "") -> Awaitable[None]: ...
    def is_quarantined(self, key: str) -> bool: ...
    def ais_quarantined(self, key: str) -> Awaitable[bool]: ...
    def release(self, key: str) -> bool: ...
    def arelease(self, key: str) -> Awaitable[bool]: ...
    def quarantined(self) -> dict[str, str]: ...
    def aquarantined(self) -> Awaitable[dict[str, str]]: ...

    # learned attack entries
    def add_learned(self, entry: Mapping[str, Any]) -> bool: ...
    def aadd_learned(self, entry: Mapping[str, Any]) -> Awaitable[bool]: ...
    def learned(self) -> list[dict[str, Any]]: ...
    def alearned(self) -> Awaitable[list[dict[str, Any]]]: ...
    def subscribe_learned(self, callback: LearnedCallback) -> Callable[[], None]: ...

    # audit, feedback (at-least-once, outbox-backed)
    # index_ttl: also keep the event under its "id" for that many seconds (get_verdict finds it)
    def append_audit(self, event: Mapping[str, Any], index_ttl: float | None = None) -> None: ...
    def aappend_audit(self, event: Mapping[str, Any], index_ttl: float | None = None) -> Awaitable[None]: ...
    def audit_tail(self, n: int = 100) -> list[dict[str, Any]]: ...
    def aaudit_tail(self, n: int = 100) -> Awaitable[list[dict[str, Any]]]: ...
    def add_feedback(self, record: Mapping[str, Any]) -> None: ...
    def aadd_feedback(self, record: Mapping[str, Any]) -> Awaitable[None]: ...
    def feedback_tail(self, n: int = 100) -> list[dict[str, Any]]: ...
    def afeedback_tail(self, n: int = 100) -> Awaitable[list[dict[str, Any]]]: ...

    # verdict records
    def put_verdict(self, verdict_id: str, record: Mapping[str, Any], ttl: float) -> None: ...
    def aput_verdict(self, verdict_id: str, record: Mapping[str, Any], ttl: float) -> Awaitable[None]: ...
    def get_verdict(self, verdict_id: str) -> dict[str, Any] | None: ...
    def aget_verdict(self, verdict_id: str) -> Awaitable[dict[str, Any] | None]: ...

    # counters
    def incr(self, name: str, amount: int = 1) -> None: ...
    def aincr(self, name: str, amount: int = 1) -> Awaitable[None]: ...
    def counters(self) -> dict[str, int]: ...
    def acounters(self) -> Awaitable[dict[str, int]]: ...

    # lifecycle
    @property
    def healthy(self) -> bool: ...  # last known state, without a round trip
    def ping(self) -> bool: ...
    def aping(self) -> Awaitable[bool]: ...
    def aflush(self) -> Awaitable[int]: ...
    def pending(self) -> int: ...
    def close(self) -> None: ...
    def aclose(self) -> Awaitable[None]: ...
