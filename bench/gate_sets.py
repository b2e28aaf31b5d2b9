"""Cost of the normaliser's gates (detection/normalize.py) on text their DFAs have not seen.

    .venv/bin/python bench/gate_sets.py [--threshold 0.7] [--propose]

RE2 builds a set's DFA lazily: on text it has seen, one set of every gate costs one pass, but on
unseen text a set whose patterns multiply each other's states keeps building states. Each layout
here is compiled fresh, warmed on 1,000 dev texts, then timed on texts it has not seen: 2 KiB slices
of bench/data's long benign documents and 600 other dev texts (the first 2 KiB of each, folded).
Prints µs per text for every gate alone, all gates in one set, and the shipped GATE_SETS (with
their guards, as ``normalize.gates`` runs them). ``--propose`` runs the greedy grouping that made
GATE_SETS: gates in order of cost alone, each joining the set it adds least to, as long as that adds
at most ``threshold`` x its cost alone (the guarded sets are kept as shipped).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from aimds_middleware.detection import normalize as N  # noqa: E402
from aimds_middleware.detection.fastpath import fold  # noqa: E402


def texts() -> tuple[list[str], list[str]]:
    import loso  # the dev set's path and reader, as bench/quality.py reads it
    import speed

    dev = loso.load()
    rows = list(dev.texts)
    random.Random(1).shuffle(rows)
    folded = [fold(t[:2048])[0] for t in rows[:1600]]
    return folded[:1000], [fold(r)[0] for r in speed.real_texts(2048)] + folded[1000:]


def per_text(fn, warm: list[str], test: list[str]) -> float:
    for t in warm:
        fn(t)
    a = time.perf_counter_ns()
    for t in test:
        fn(t)
    return (time.perf_counter_ns() - a) / len(test) / 1000


def shipped(warm: list[str], test: list[str]) -> float:
    sets = [(needs, N.gate_set(names)) for needs, names in N.GATE_SETS]

    def run(t: str) -> None:
        ascii_text = t.isascii()
        for needs, s in sets:
            if N.gate_set_needed(needs, t, ascii_text):
                s.Match(t)

    return per_text(run, warm, test)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threshold", type=float, default=0.7)
    ap.add_argument("--propose", action="store_true", help="run the greedy grouping")
    args = ap.parse_args(argv)
    warm, test = texts()
    names = [n for n, _ in N.GATES]
    alone = {n: per_text(N.gate_set([n]).Match, warm, test) for n in names}
    print(f"unseen texts: {len(test)} (after {len(warm)} warm-up texts)\n")
    print(f"{'layout':<40}{'µs per text':>12}")
    print(f"{'each gate alone, summed':<40}{sum(alone.values()):>12.1f}")
    print(f"{'all gates in one set':<40}{per_text(N.gate_set(names).Match, warm, test):>12.1f}")
    print(f"{'GATE_SETS (shipped, with guards)':<40}{shipped(warm, test):>12.1f}")
    for needs, group in N.GATE_SETS:
        label = f"  set needing {needs!r}: " if needs else "  set: "
        print(f"{(label + ', '.join(group))[:39]:<40}{per_text(N.gate_set(list(group)).Match, warm, test):>12.1f}")
    if args.propose:
        guarded = {n for needs, group in N.GATE_SETS if needs for n in group}
        groups: list[tuple[list[str], float]] = []
        for n in sorted((n for n in names if n not in guarded), key=lambda n: -alone[n]):
            best = None
            for gi, (members, cost) in enumerate(groups):
                c = per_text(N.gate_set(members + [n]).Match, warm, test)
                if c <= cost + args.threshold * alone[n] and (best is None or cost + alone[n] - c > best[1]):
                    best = (gi, cost + alone[n] - c, c)
            if best is None:
                groups.append(([n], alone[n]))
            else:
                groups[best[0]] = (groups[best[0]][0] + [n], best[2])
        print(f"\nproposed unguarded sets (threshold {args.threshold}):")
        for members, cost in groups:
            print(f"  {cost:6.1f}  {', '.join(members)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
