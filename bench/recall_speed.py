"""Speed and size of the native hot path and of vector recall. Prints tables; takes ~1 minute.

    .venv/bin/python bench/recall_speed.py [--data ../shared/data/dev.jsonl] [--quick]

1. n-gram hashing of 2 KiB: native vs the numpy twin (p50), alone and fused with folding;
2. fold native vs Python on 256 B / 2 KiB / 16 KiB (English, and mixed-script text);
3. quantisation: f16 / bf16 / i8 at 10k vectors — search p50/p99, agreement with exact search
   (mean loss of top-1 similarity, top-5 overlap, near-duplicates missed), bytes per vector (this
   chose i8 for the shipped memory);
4. the recall stage alone at 10k and 100k vectors — synthetic growth: the dev set's 4,391 real
   attack vectors plus random perturbations of them — search p50/p99 from a vector (what the
   engine does after fold_hash) and from a 2 KiB text (embedding included);
5. process memory of a 100k-vector memory (index + metadata), measured in a fresh subprocess.

Timings are per call with time.perf_counter_ns on one thread; the machine is shared, so p99
moves between runs by tens of percent.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aimds_middleware.detection import fastpath
from aimds_middleware.detection.embed import HashingEmbedder
from aimds_middleware.detection.recall import AttackMemory


def timeit(fn, n: int) -> tuple[float, float, float]:
    """(p50, p99, p90) in microseconds over n calls, after a short warm-up."""
    for _ in range(min(50, n)):
        fn()
    ts = np.empty(n)
    for i in range(n):
        t0 = time.perf_counter_ns()
        fn()
        ts[i] = time.perf_counter_ns() - t0
    p50, p90, p99 = np.percentile(ts, [50, 90, 99]) / 1e3
    return float(p50), float(p99), float(p90)


def time_searches(mem: AttackMemory, queries: Any, n: int) -> tuple[float, float, float]:
    """(p50, p99, p90) of mem.search(q, k=5), cycling through the queries (vectors or texts)."""
    seq = itertools.cycle(queries)
    return timeit(lambda: mem.search(next(seq), k=5), n)


def table(title: str, header: list[str], rows: list[list[object]]) -> None:
    print(f"\n## {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        print("| " + " | ".join(f"{x:.1f}" if isinstance(x, float) else str(x) for x in r) + " |")


def load_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def bench_hashing(attack_text: str) -> None:
    native = fastpath._load_native()
    py = fastpath.PYTHON
    e = HashingEmbedder()
    params = e._params
    text = attack_text[:2048]
    folded = py.fold(text)[0]
    out = np.empty(e.dim, dtype=np.float32)
    rows = []
    p_np = timeit(lambda: py.hash_text(folded, out, *params), 1000)
    p_npf = timeit(lambda: py.fold_hash(text, out, *params), 1000)
    if native is None:
        rows.append(["hash_text (2 KiB, folded)", "-", f"{p_np[0]:.1f}", "-"])
    else:
        p_c = timeit(lambda: native.hash_text(folded, out, *params), 5000)
        p_cf = timeit(lambda: native.fold_hash(text, out, *params), 5000)
        rows.append(["hash_text (2 KiB, folded)", f"{p_c[0]:.1f}", f"{p_np[0]:.1f}", f"{p_np[0] / p_c[0]:.1f}x"])
        rows.append(["fold_hash (2 KiB, raw)", f"{p_cf[0]:.1f}", f"{p_npf[0]:.1f}", f"{p_npf[0] / p_cf[0]:.1f}x"])
    table(f"n-gram hashing, {e.name} (p50 us; target native <= 10 us and >= 10x)",
          ["operation", "native", "numpy twin", "speed-up"], rows)


def bench_fold(english: str) -> None:
    native = fastpath._load_native()
    mixed_unit = "Ｉｇｎｏｒｅ previous\u200b instrucciónes — Игнорируй ﷺ 😀 "
    rows = []
    for label, base in (("English", english), ("mixed-script", mixed_unit * 1000)):
        for size in (256, 2048, 16384):
            text = (base * (size // max(1, len(base)) + 1))[:size]
            p_py = timeit(lambda t=text: fastpath.fold_python(t), 500)
            if native is None:
                rows.append([label, size, "-", f"{p_py[0]:.1f}", "-"])
                continue
            p_c = timeit(lambda t=text: native.fold(t), 3000)
            rows.append([label, size, f"{p_c[0]:.2f}", f"{p_py[0]:.1f}", f"{p_py[0] / p_c[0]:.1f}x"])
    table("fold (p50 us)", ["text", "chars", "native", "python", "speed-up"], rows)


def synthetic(base: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """n unit vectors: the real ones, then noisy copies of random real ones (a growing memory of
    mutated known attacks)."""
    rng = np.random.default_rng(seed)
    if n <= len(base):
        return base[:n].copy()
    extra = base[rng.integers(0, len(base), n - len(base))]
    noise = rng.normal(0.0, 1.0, extra.shape).astype(np.float32) * (0.5 / np.sqrt(base.shape[1]))
    extra = extra + noise
    extra /= np.linalg.norm(extra, axis=1, keepdims=True)
    return np.vstack([base, extra]).astype(np.float32)


def agreement(mem: AttackMemory, data: np.ndarray, queries: np.ndarray) -> tuple[float, float, str]:
    """Against exact search: mean loss of top-1 similarity (the scorer's feature), top-5 overlap,
    and how often a near-duplicate (exact similarity > 0.8) was missed by more than 0.05."""
    sims = queries @ data.T
    exact = np.argsort(-sims, axis=1)[:, :5]
    best = sims.max(axis=1)
    ids, got = mem.search_vectors(queries, k=5, threads=1)
    gap = best - got[:, 0]
    top5 = float(np.mean([len(set(ids[i]) & set(exact[i])) / 5 for i in range(len(ids))]))
    near = best > 0.8
    missed = f"{int(np.sum(gap[near] > 0.05))}/{int(near.sum())}"
    return float(gap.mean()), top5, missed


def bench_quantisation(base: np.ndarray, queries: np.ndarray) -> None:
    data = synthetic(base, 10_000)
    rows = []
    for dtype in ("f16", "bf16", "i8"):
        t0 = time.perf_counter()
        mem = AttackMemory.build(None, vectors=data, dtype=dtype)
        build = time.perf_counter() - t0
        gap, top5, missed = agreement(mem, data, queries[:500])
        p = time_searches(mem, queries, 3000)
        with tempfile.TemporaryDirectory() as d:
            mem.save(d)
            size = sum(f.stat().st_size for f in Path(d).glob("index-*.bin"))
        rows.append([dtype, f"{build:.2f}", f"{p[0]:.1f}", f"{p[1]:.1f}", f"{gap:.4f}", f"{top5:.3f}", missed,
                     f"{size / len(data):.0f}"])
    table(f"quantisation at 10k vectors ({HashingEmbedder().dim}-d, search k=5 from a vector)",
          ["dtype", "build s", "p50 us", "p99 us", "top-1 sim loss", "top-5 overlap", "near-dups missed",
           "index bytes/vector"], rows)


def bench_recall(base: np.ndarray, queries: np.ndarray, texts_2k: list[str], sizes: list[int]) -> dict[int, str]:
    rows = []
    saved: dict[int, str] = {}
    dtype = "?"
    for n in sizes:
        data = synthetic(base, n)
        t0 = time.perf_counter()
        mem = AttackMemory.build(None, vectors=data)
        build = time.perf_counter() - t0
        pv = time_searches(mem, queries, 5000)
        pt = time_searches(mem, texts_2k, 3000)
        gap, top5, missed = agreement(mem, data, queries[:300])
        dtype = mem.dtype
        rows.append([f"{n:,}", f"{build:.1f}", f"{pv[0]:.1f}", f"{pv[2]:.1f}", f"{pv[1]:.1f}", f"{pt[0]:.1f}",
                     f"{pt[2]:.1f}", f"{pt[1]:.1f}",
                     f"{gap:.4f}", f"{top5:.3f}", missed])
        if n == max(sizes):
            d = tempfile.mkdtemp(prefix="aimds-recall-")
            mem.save(d)
            saved[n] = d
        del mem
    table(f"recall stage alone (k=5, {dtype}, one thread; targets p99 <= 100 us at 10k, <= 250 us at 100k)",
          ["vectors", "build s", "p50 us (vector)", "p90", "p99", "p50 us (2 KiB text)", "p90", "p99",
           "top-1 sim loss", "top-5 overlap", "near-dups missed"], rows)
    return saved


_RSS_PROBE = r"""
import json, sys, gc
def rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
import numpy as np
from aimds_middleware.detection.recall import AttackMemory
from aimds_middleware.detection.embed import HashingEmbedder
HashingEmbedder().embed_one("warm up")
gc.collect(); before = rss()
mem = AttackMemory.load(sys.argv[1], view=sys.argv[2] == "view")
q = np.random.default_rng(1).normal(size=(2000, mem.dim)).astype(np.float32)
for v in q:
    mem.search(v, k=5)
gc.collect()
print(json.dumps({"rss_delta": rss() - before, "n": len(mem)}))
"""


def bench_memory(path: str) -> None:
    rows = []
    for mode in ("load", "view"):
        r = subprocess.run([sys.executable, "-c", _RSS_PROBE, path, mode], capture_output=True, text=True,
                           timeout=300, cwd=ROOT, check=False)
        if r.returncode != 0:
            rows.append([mode, "error", r.stderr.strip().splitlines()[-1][:80]])
            continue
        out = json.loads(r.stdout)
        rows.append([f"{mode} ({'in RAM' if mode == 'load' else 'memory-mapped'})", f"{out['n']:,}",
                     f"{out['rss_delta'] / 2**20:.1f}"])
    disk = sum(f.stat().st_size for f in Path(path).iterdir())
    rows.append(["on disk (index + rows + memory.json)", "", f"{disk / 2**20:.1f}"])
    table("process memory of the largest memory after 2,000 searches (target <= 96 MB at 100k)",
          ["how", "vectors", "RSS growth MiB"], rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "dev.jsonl")
    ap.add_argument("--quick", action="store_true", help="10k only, skip 100k")
    args = ap.parse_args()
    rows = load_rows(args.data)
    attacks = [r["text"] for r in rows if r["label"] == 1]
    load = os.getloadavg()[0]
    print(f"backend: {fastpath.backend_name()}; data: {args.data.name} ({len(rows)} rows); "
          f"load average {load:.1f} on {os.cpu_count()} CPUs (p99 is meaningless when load > CPUs)")
    english = " ".join(attacks[:50])
    bench_hashing(english)
    bench_fold(english)
    e = HashingEmbedder()
    base = e.embed(attacks)
    queries = e.embed([r["text"] for r in rows[::4]])
    texts_2k = [(t * (2048 // max(1, len(t)) + 1))[:2048] for t in [r["text"] for r in rows[::40]]]
    bench_quantisation(base, queries)
    saved = bench_recall(base, queries, texts_2k, [10_000] if args.quick else [10_000, 100_000])
    for d in saved.values():
        try:
            bench_memory(d)
        finally:
            for f in Path(d).iterdir():
                f.unlink()
            os.rmdir(d)


if __name__ == "__main__":
    main()
