"""Load benchmark for `aimds serve`: POST /v1/inspect with 2 KiB texts, one uvicorn worker.

    .venv/bin/python bench/gateway_load.py                 # memory and redis store, ~20 s per store
    .venv/bin/python bench/gateway_load.py --soak 60       # the issue's 60 s memory-flatness run
    .venv/bin/python bench/gateway_load.py --stores memory --duration 3

For each store it starts a real gateway process (uvicorn, one worker, pinned to CPU 0) and, for
redis, a private redis-server on a free port; the load generator runs in this process, pinned to
CPU 1, on keep-alive connections over 127.0.0.1 only. Phases:

1. closed loop, 32 connections: the maximum requests/s;
2. open loop at 50 % and 90 % of that maximum: latency measured from each request's *scheduled*
   send time, so a stalled server cannot hide queueing (no coordinated omission);
3. soak: steady 50 % load for --soak seconds, gateway RSS before and after.

Targets (issue 5): >= 2000 req/s; p99 <= 5 ms at 50 %; redis >= 80 % of memory; RSS growth <= 10 %.
Rate limits stay on (set very high) so their store round trip is part of the cost measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "the quarterly report shows revenue growth across regions while customer support tickets "
    "declined after the new onboarding flow shipped and the team plans further experiments"
).split()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def texts(n: int, size: int = 2048) -> list[str]:
    rnd = random.Random(7)
    out = []
    for _ in range(n):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < size:
            words.append(rnd.choice(WORDS))
        out.append(" ".join(words)[:size])
    return out


def wait_port(port: int, timeout: float = 20.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"the gateway exited ({proc.returncode}):\n{err[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (robust to other load on a shared machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.r, self.w = reader, writer

    async def post(self, raw: bytes) -> int:
        self.w.write(raw)
        head = await self.r.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        i = head.lower().find(b"content-length:")
        n = int(head[i + 15 : head.index(b"\r\n", i)])
        await self.r.readexactly(n)
        return status


def request_bytes(port: int, token: str, text: str) -> bytes:
    body = json.dumps({"text": text}).encode()
    return (
        f"POST /v1/inspect HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


class FreshRequests:
    """Request ``i`` carries base text ``i % n`` led by a per-run token and ``i`` (fixed width, so
    the length never changes): no text repeats, so the gateway's result cache never answers and
    every request is a full scan, as a new chat message is."""

    def __init__(self, port: int, token: str, bases: list[str]) -> None:
        run = os.urandom(4).hex()
        self.parts = [request_bytes(port, token, f"{run}-@@@@@@@@@@@@ {t[:-22]}").split(b"@@@@@@@@@@@@")
                      for t in bases]

    def __len__(self) -> int:
        return 1 << 62  # callers index with i % len(reqs)

    def __getitem__(self, i: int) -> bytes:
        head, tail = self.parts[i % len(self.parts)]
        return head + b"%012d" % i + tail


async def connect(port: int, n: int) -> list[Conn]:
    out = []
    for _ in range(n):
        r, w = await asyncio.open_connection("127.0.0.1", port)
        out.append(Conn(r, w))
    return out


async def closed_loop(port: int, reqs: FreshRequests, seconds: float, conns: int = 32) -> tuple[float, int]:
    cs = await connect(port, conns)
    done = errors = 0
    stop = time.perf_counter() + seconds

    async def worker(c: Conn, k: int) -> None:
        nonlocal done, errors
        i = k
        while time.perf_counter() < stop:
            if await c.post(reqs[i % len(reqs)]) != 200:
                errors += 1
            done += 1
            i += conns

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(c, k) for k, c in enumerate(cs)))
    elapsed = time.perf_counter() - t0
    for c in cs:
        c.w.close()
    return done / elapsed, errors


async def open_loop(
    port: int, reqs: FreshRequests, rate: float, seconds: float, conns: int = 32
) -> dict[str, float]:
    """Send at a fixed rate; latency from the scheduled time (includes any queueing).

    Request ``i`` is due at ``t0 + i / rate``. One dispatcher sleeps until each due time, takes
    a free connection (waiting for one counts as latency: that is the server being slow) and
    starts the request. Latency runs from the due time or, when the dispatcher's timer fired late,
    from when it fired: the event loop's timers have millisecond resolution, and that lateness is
    the generator's, not the server's. (Spinning instead starved a redis-server sharing the
    generator's core.) ``timer_lag_p99_ms`` reports it; if it grows beyond ~1 ms the generator
    itself is overloaded and the figures are not to be trusted."""
    cs = await connect(port, conns)
    free: asyncio.Queue[Conn] = asyncio.Queue()
    for c in cs:
        free.put_nowait(c)
    lat: list[float] = []
    lag: list[float] = []
    errors = 0
    interval = 1.0 / rate
    n = int(rate * seconds)
    live: set[asyncio.Task[None]] = set()

    async def one(c: Conn, i: int, start: float) -> None:
        nonlocal errors
        try:
            if await c.post(reqs[i]) != 200:
                errors += 1
        finally:
            lat.append(time.perf_counter() - start)
            free.put_nowait(c)

    t0 = time.perf_counter() + 0.05
    for i in range(n):
        due = t0 + i * interval
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        woke = time.perf_counter()
        lag.append(woke - due)
        c = await free.get()
        task = asyncio.ensure_future(one(c, i, max(due, woke)))
        live.add(task)
        task.add_done_callback(live.discard)
    await asyncio.gather(*live)
    for c in cs:
        c.w.close()
    lat.sort()
    lag.sort()
    return {
        "timer_lag_p99_ms": lag[int(len(lag) * 0.99)] * 1e3,
        "sent": n,
        "errors": errors,
        "achieved": n / (time.perf_counter() - t0),
        "p50_ms": lat[len(lat) // 2] * 1e3,
        "p99_ms": lat[int(len(lat) * 0.99)] * 1e3,
    }


@contextlib.contextmanager
def quiet_client_gc():
    """No cyclic collection in this (client) process while it measures. The open loop keeps
    thousands of finished tasks alive until it gathers them, and a full collection over them
    stalled the client for 10-50 ms (measured with gc.callbacks) — which the open loop then
    reported as server latency for every request in flight. Reference counting still frees
    everything non-cyclic; the collection runs once the phase is over."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def start_gateway(port: int, keys_file: str, redis_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "AIMDS_PORT": str(port),
        "AIMDS_KEYS_FILE": keys_file,
        "AIMDS_REDIS_URL": redis_url,
        "AIMDS_KEY_RATE": "1000000",
        "AIMDS_KEY_BURST": "1000000",
        "AIMDS_IP_RATE": "1000000",
        "AIMDS_IP_BURST": "1000000",
        "AIMDS_LOG_LEVEL": "warning",
    }
    cmd = [sys.executable, "-m", "aimds_middleware.server", "serve"]
    if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1:  # type: ignore[operator]
        cmd = ["taskset", "-c", "0", *cmd]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_store(store: str, duration: float, soak: float) -> dict[str, object]:
    from aimds_middleware.server.keys import KeyFile

    tmp = tempfile.mkdtemp(prefix="aimds-bench-")
    keys_file = os.path.join(tmp, "keys.json")
    _, token = KeyFile(keys_file).add("bench", "inspector")
    redis = None
    redis_url = ""
    if store == "redis":
        rport = free_port()
        redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(rport),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                tmp,
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_port(rport)
        redis_url = f"redis://127.0.0.1:{rport}/0"
    port = free_port()
    gw = start_gateway(port, keys_file, redis_url)
    try:
        wait_port(port, proc=gw)
        reqs = FreshRequests(port, token, texts(64))
        asyncio.run(closed_loop(port, reqs, 1.0))  # warm-up: imports, caches, connection pools
        # best of three windows: on a shared machine interference only ever lowers the figure
        best, errs, cpu_us = 0.0, 0, []
        for _ in range(3):
            c0 = cpu_seconds(gw.pid)
            window = duration * 0.1
            with quiet_client_gc():
                rps, e = asyncio.run(closed_loop(port, reqs, window))
            cpu_us.append((cpu_seconds(gw.pid) - c0) / (rps * window) * 1e6)
            best, errs = max(best, rps), errs + e
        max_rps = best
        res: dict[str, object] = {
            "store": store,
            "max_rps": max_rps,
            "max_errors": errs,
            "cpu_us": min(cpu_us),
        }
        for pct in (50, 90):
            with quiet_client_gc():
                res[f"at{pct}"] = asyncio.run(open_loop(port, reqs, max_rps * pct / 100, duration * 0.3))
        if soak > 0:
            before = rss_kib(gw.pid)
            with quiet_client_gc():
                asyncio.run(open_loop(port, reqs, max_rps * 0.5, soak))
            after = rss_kib(gw.pid)
            res["rss_kib"] = (before, after)
        return res
    finally:
        gw.terminate()
        gw.wait(timeout=10)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--duration", type=float, default=20.0, help="seconds per store for max + 50%% + 90%% phases"
    )
    ap.add_argument(
        "--soak", type=float, default=5.0, help="seconds of 50%% load for the RSS check (issue: 60)"
    )
    ap.add_argument("--stores", default="memory,redis")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {1})  # the load generator stays off the gateway's core
    stores = [s for s in args.stores.split(",") if s]
    if "redis" in stores and not shutil.which("redis-server"):
        print("redis-server not found: skipping the redis store (apt-get install redis-server)")
        stores.remove("redis")
    try:
        import uvloop  # the load generator must not be the bottleneck

        uvloop.install()
    except ImportError:
        pass
    results = [run_store(s, args.duration, args.soak) for s in stores]
    print(f"\ngateway_load: POST /v1/inspect, 2 KiB texts, 1 uvicorn worker, {os.cpu_count()} CPUs")
    print(
        f"{'store':<7} {'max req/s':>10} {'CPU µs/req':>11} {'50%: p50 ms':>12} {'p99 ms':>8} "
        f"{'90%: p50 ms':>12} {'p99 ms':>8}"
        f" {'errors':>7} {'RSS KiB before→after':>24}"
    )
    for r in results:
        a, b = r["at50"], r["at90"]  # type: ignore[index]
        rss = r.get("rss_kib")
        rss_s = f"{rss[0]}→{rss[1]} ({(rss[1] / rss[0] - 1) * 100:+.1f}%)" if rss else "-"  # type: ignore[index]
        errs = r["max_errors"] + a["errors"] + b["errors"]  # type: ignore[operator,index]
        print(
            f"{r['store']:<7} {r['max_rps']:>10.0f} {r['cpu_us']:>11.0f} "
            f"{a['p50_ms']:>12.2f} {a['p99_ms']:>8.2f} "
            f"{b['p50_ms']:>12.2f} {b['p99_ms']:>8.2f} {errs:>7} {rss_s:>24}"
        )
    for r in results:
        # what one fully available core would sustain: on a shared machine the wall-clock maximum
        # above is capped by whatever else runs, the CPU cost per request much less so
        print(f"{r['store']}: CPU-bound capacity of one core = {1e6 / r['cpu_us']:.0f} req/s")  # type: ignore[operator]
    by = {r["store"]: r for r in results}
    if "memory" in by and "redis" in by:
        ratio = by["redis"]["max_rps"] / by["memory"]["max_rps"]  # type: ignore[operator]
        print(f"redis / memory throughput: {ratio * 100:.0f}% (target >= 80%)")
    for r in results:
        print(
            f"{r['store']}: open loop achieved {r['at50']['achieved']:.0f} req/s (50%) and "  # type: ignore[index]
            f"{r['at90']['achieved']:.0f} req/s (90%); the generator's timer fired late by "
            f"{r['at50']['timer_lag_p99_ms']:.2f} / {r['at90']['timer_lag_p99_ms']:.2f} ms at p99 (not charged to the server)"
        )  # type: ignore[index]
    print("targets: >= 2000 req/s, p99 <= 5 ms at 50% load, RSS growth <= 10%")


if __name__ == "__main__":
    main()
