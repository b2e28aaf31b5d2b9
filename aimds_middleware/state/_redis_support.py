"""Support for RedisStore: its Lua scripts, URL redaction, and the private loop of the sync API."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Coroutine, TypeVar
from urllib.parse import urlsplit, urlunsplit

__all__ = ["FLUSH", "LEARN", "SESSION", "TAKE_MANY", "LoopThread", "Spool", "lease_size", "redact_url"]

T = TypeVar("T")

# Rate limits for many requests in one call (requests coalesced by the client, see _take_batch).
# KEYS = every request's bucket keys, in order; ARGV = n_requests, then per request: n_buckets,
# then rate, burst, want per bucket. Each request is all-or-nothing: when every bucket holds at
# least one token, each grants min(want, whole tokens held); otherwise none grants anything.
# Returns per request: allowed (1/0), wait seconds (a string: Lua numbers would be truncated to
# integers), index of the first refusing bucket (0 = none), then the grant of each bucket.
# Requests are applied in order, so two requests for one bucket in a batch see each other.
TAKE_MANY = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local out, ki, ai = {}, 1, 2
for r = 1, tonumber(ARGV[1]) do
  local nb = tonumber(ARGV[ai]); ai = ai + 1
  local st, wait, refused = {}, 0, 0
  for b = 1, nb do
    local rate, burst = tonumber(ARGV[ai + 3*b - 3]), tonumber(ARGV[ai + 3*b - 2])
    local v = redis.call('HMGET', KEYS[ki + b - 1], 'tk', 'ts')
    local tokens = burst
    if v[1] then tokens = math.min(burst, tonumber(v[1]) + math.max(0, now - tonumber(v[2])) * rate) end
    if tokens < 1 then
      wait = math.max(wait, (1 - tokens) / rate)
      if refused == 0 then refused = b end
    end
    st[b] = tokens
  end
  local ok = 0
  if wait == 0 then ok = 1 end
  out[#out + 1] = ok; out[#out + 1] = tostring(wait); out[#out + 1] = refused
  for b = 1, nb do
    local rate, burst = tonumber(ARGV[ai + 3*b - 3]), tonumber(ARGV[ai + 3*b - 2])
    local want = tonumber(ARGV[ai + 3*b - 1])
    local grant = 0
    if ok == 1 then grant = math.min(want, math.floor(st[b])) end
    local left = st[b] - grant
    redis.call('HSET', KEYS[ki + b - 1], 'tk', tostring(left), 'ts', tostring(now))
    redis.call('PEXPIRE', KEYS[ki + b - 1], math.ceil((burst - left) / rate * 1000) + 1000)
    out[#out + 1] = grant
  end
  ki = ki + nb; ai = ai + 3 * nb
end
return out
"""

# The outbox, one call per batch. KEYS = audit stream, feedback stream, counters hash;
# ARGV = audit_max, feedback_max, log_ttl_ms, verdict key prefix, then 4 values per operation:
#   a, payload, id|-, ttl_ms|-  append to the audit stream (and index it by id when given)
#   f, payload, -, -            append to the feedback stream
#   v, id, payload, ttl_ms      verdict record
#   c, name, n, -               counter increment
# Verdict keys are built here from the prefix: fine on one Redis, not for Redis Cluster.
FLUSH = """
local touched = {}
for i = 5, #ARGV, 4 do
  local kind = ARGV[i]
  if kind == 'a' then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'd', ARGV[i + 1]); touched[1] = true
    if ARGV[i + 2] ~= '' then redis.call('SET', ARGV[4] .. ARGV[i + 2], ARGV[i + 1], 'PX', ARGV[i + 3]) end
  elseif kind == 'f' then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'd', ARGV[i + 1]); touched[2] = true
  elseif kind == 'v' then
    redis.call('SET', ARGV[4] .. ARGV[i + 1], ARGV[i + 2], 'PX', ARGV[i + 3])
  elseif kind == 'c' then
    redis.call('HINCRBY', KEYS[3], ARGV[i + 1], ARGV[i + 2]); touched[3] = true
  end
end
for k = 1, 3 do if touched[k] then redis.call('PEXPIRE', KEYS[k], ARGV[3]) end end
return 1
"""

# KEYS[1] = session hash; ARGV = ttl_ms, field1, incr1, ...
SESSION = """
for i = 2, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], ARGV[i+1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
"""

# KEYS = learned hash, channel; ARGV = fingerprint, json, ttl_ms -> 1 when new
LEARN = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PUBLISH', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable redis url>"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class LoopThread:
    """A private event loop on a daemon thread, for the sync API."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="aimds-redis-sync", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        fut: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return fut.result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=2)


class Spool:
    """The outbox on disk (JSONL), so unsent entries survive a restart. Replaced atomically."""

    KINDS = ("audit", "feedback", "verdict")

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, ops: list[list[Any]]) -> None:
        if not ops:
            if self.path.exists():
                self.path.unlink()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for op in ops:
                fh.write(json.dumps(op) + "\n")
        os.replace(tmp, self.path)

    def load(self) -> list[list[Any]]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                op = json.loads(line)
            except ValueError:
                continue  # a torn last line from a crash; the rest is still good
            if isinstance(op, list) and op and op[0] in self.KINDS:
                out.append(op)
        return out


def lease_size(rate: float, burst: float) -> int:
    """Tokens fetched per round trip: 50 ms of the rate, at most 10% of the burst, at most 50.

    This bounds the error of a shared limit: a replica can hold at most this many tokens it has
    not spent yet; limits where it comes to less than 2 tokens are enforced exactly."""
    return max(1, min(int(rate * 0.05), int(burst * 0.1), 50))
