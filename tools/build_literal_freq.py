"""Measure how often each prefilter literal of the shipped packs occurs in benign text.

    .venv/bin/python tools/build_literal_freq.py [--data ../shared/data/dev.jsonl] [--out aimds_middleware/data/literal_freq.json]

The matcher gates each regex rule on the literals it requires (prefilter.py) and groups rules into
small RE2 sets; both choices are cheaper when they know which literals are common in ordinary
text ("system", "user") and which are rare ("previous instructions"). This script counts, for
every literal of every required group of the shipped regex rules, the fraction of benign texts
whose folded form contains it: the benign rows (label 0) of the development set and the long
benign documents of bench/data/benign_long.jsonl. Attack rows are not read. The output carries
its provenance (inputs and their sha256, counts, pack versions, tool); nothing is typed in by
hand. Correctness never depends on it: a literal missing from the table (a user's own pack) gets
a guess, and the prefilter still only skips rules that cannot match.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import sys
from pathlib import Path

import ahocorasick

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aimds_middleware.detection.normalize import fold_text
from aimds_middleware.detection.prefilter import required_groups
from aimds_middleware.detection.signatures import load_packs

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev.jsonl"
DEFAULT_LONG = ROOT / "bench" / "data" / "benign_long.jsonl"
DEFAULT_OUT = ROOT / "aimds_middleware" / "data" / "literal_freq.json"


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:  # not splitlines(): texts contain U+2028
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--long", type=Path, default=DEFAULT_LONG)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    sigs = load_packs()
    literals = sorted({lit for r in sigs.rules if r.kind == "regex"
                       for g in required_groups(r.pattern) or () for lit in g})
    texts = [r["text"] for r in _rows(args.data) if r.get("label") == 0]
    n_dev = len(texts)
    texts += [r["text"] for r in _rows(args.long)]

    ac = ahocorasick.Automaton()
    for k, lit in enumerate(literals):
        ac.add_word(lit, k)
    ac.make_automaton()
    counts = [0] * len(literals)
    for text in texts:
        for k in {k for _, k in ac.iter(fold_text(text))}:
            counts[k] += 1

    out = {
        "provenance": {
            "tool": "tools/build_literal_freq.py",
            "built": _dt.date.today().isoformat(),
            "inputs": [{"path": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "texts": n}
                       for p, n in ((args.data, n_dev), (args.long, len(texts) - n_dev))],
            "what": "fraction of benign texts (folded) containing each prefilter literal of the shipped regex rules",
            "packs": {p.name: p.version for p in sigs.packs},
        },
        "texts": len(texts),
        "freq": {lit: round(c / len(texts), 5) for lit, c in zip(literals, counts)},
    }
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(literals)} literals over {len(texts)} benign texts -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
