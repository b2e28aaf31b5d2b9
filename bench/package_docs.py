"""False positives on the documentation of the packages installed beside us (never trained on).

    .venv/bin/python bench/package_docs.py [--max-files N] [--show K]

Reads the README, Markdown/reST/text documents and licence files that installed distributions ship
(``site-packages`` of the running interpreter: what a developer pastes every day — licence
headers, API tables, changelogs, prompt-tooling docs), cuts each into up to three excerpts of
200, 600, 1500 or 4000 characters (fixed seed, sorted file list), and runs the shipped
``Guard()`` (vector recall off, so the seed memory cannot decide) on each as a user's text.
Prints the blocked and not-allowed rates per excerpt size and the rules behind the blocks. Nothing
is stored: the excerpts come from whatever is installed, so rerun it before and after a pack change
rather than comparing machines.
"""

from __future__ import annotations

import argparse
import random
import sys
import sysconfig
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aimds_middleware import Guard, GuardConfig  # noqa: E402

SIZES = (200, 600, 1500, 4000)
SUFFIXES = {".md", ".rst", ".txt"}


def doc_files(limit: int) -> list[Path]:
    site = Path(sysconfig.get_paths()["purelib"])
    files = [p for p in site.rglob("*") if p.is_file()
             and (p.suffix.lower() in SUFFIXES or p.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")))
             and 1_000 <= p.stat().st_size <= 200_000]
    return sorted(files)[:limit]


def excerpts(files: list[Path], seed: int = 0) -> list[tuple[Path, int, str]]:
    rnd = random.Random(seed)
    out = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        for _ in range(3):
            if len(text) < 300:
                break
            n = rnd.choice(SIZES)
            a = rnd.randrange(0, max(1, len(text) - n))
            out.append((f, n, text[a:a + n]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-files", type=int, default=3000)
    ap.add_argument("--show", type=int, default=10, help="blocked excerpts to print")
    args = ap.parse_args(argv)
    files = doc_files(args.max_files)
    rows = excerpts(files)
    guard = Guard(GuardConfig(recall=False))
    by_size: dict[int, list[str]] = defaultdict(list)
    rules: Counter[tuple[str, ...]] = Counter()
    shown = 0
    for path, size, text in rows:
        v = guard.inspect(text)
        by_size[size].append(v.action.value)
        if v.action.value == "block":
            ids = tuple(sorted({t.rule_id for t in v.threats}))
            rules[ids] += 1
            if shown < args.show:
                shown += 1
                print(f"  blocked {v.score:.3f} {list(ids)}  {path.parent.name}/{path.name}: "
                      f"{' '.join(text[:110].split())}")
    print(f"\n{len(rows)} excerpts of {len(files)} files under {sysconfig.get_paths()['purelib']}\n")
    print("| excerpt chars | excerpts | blocked | not allowed |\n|--:|--:|--:|--:|")
    for size in SIZES:
        acts = by_size.get(size, [])
        if acts:
            print(f"| {size} | {len(acts)} | {sum(a == 'block' for a in acts) / len(acts):.3%} "
                  f"| {sum(a != 'allow' for a in acts) / len(acts):.3%} |")
    allacts = [a for acts in by_size.values() for a in acts]
    print(f"| all | {len(allacts)} | {sum(a == 'block' for a in allacts) / max(len(allacts), 1):.3%} "
          f"| {sum(a != 'allow' for a in allacts) / max(len(allacts), 1):.3%} |")
    print("\nrules behind the blocks:")
    for ids, n in rules.most_common(12):
        print(f"  {n:4d}  {', '.join(ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
