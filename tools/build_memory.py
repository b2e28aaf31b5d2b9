"""Build the shipped seed memory of known attacks from the dev set.

    .venv/bin/python tools/build_memory.py [--data ../shared/data/dev.jsonl] [--out aimds_middleware/data/memory]

Every attack row (label 1) of dev.jsonl becomes one vector of the default embedder, with its
``kind`` as category and ``source`` as source. The output directory gets the USearch index, its
metadata (memory.json, with provenance: dataset path and sha256, row counts, embedder, dimension,
quantisation, build date, tool) and NOTICE.md with the dataset's attribution table. Nothing is
typed in by hand: rerun this script to rebuild. The index is built single-threaded and seed
rows carry added_at = 0, so the same inputs give byte-identical index and rows files.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aimds_middleware.detection.embed import default_embedder
from aimds_middleware.detection.recall import DEFAULT_DIR, AttackMemory

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "dev.jsonl"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _notice(readme: Path) -> str:
    """The attribution table of the dataset README (the licences of what the vectors derive from)."""
    head = ("# Attribution\n\nThe vectors and metadata in this directory are derived from the attack rows of the\n"
            "project's development set. Its sources and licences:\n\n")
    if not readme.exists():
        return head + f"(dataset README not found at build time: {readme.name})\n"
    lines = readme.read_text(encoding="utf-8").splitlines()
    table = [ln for ln in lines if ln.startswith("|")]
    return head + "\n".join(table) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--dtype", default="i8")
    args = ap.parse_args(argv)

    with open(args.data, encoding="utf-8") as f:  # not splitlines(): texts contain U+2028
        rows = [json.loads(line) for line in f if line.strip()]
    attacks = [r for r in rows if r.get("label") == 1]
    embedder = default_embedder()
    texts = [r["text"] for r in attacks]
    metas = [{"category": r.get("kind", "attack"), "source": r.get("source", "unknown")} for r in attacks]
    # added_at 0 marks seed rows (their date is provenance.built_at): with one thread the index and
    # rows files then come out byte-identical on a rebuild from the same data
    mem = AttackMemory.build(texts, metas, embedder, dtype=args.dtype, threads=1, added_at=0.0)
    try:
        data_ref = os.path.relpath(args.data.resolve(), ROOT)
    except ValueError:
        data_ref = str(args.data)
    mem.provenance = {
        "dataset": data_ref,
        "dataset_sha256": _sha256(args.data),
        "dataset_rows": len(rows),
        "attack_rows": len(attacks),
        "selection": "label == 1",
        "embedder": embedder.name,
        "dim": embedder.dim,
        "quantisation": args.dtype,
        "built_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "tool": "tools/build_memory.py",
        "licence": "see NOTICE.md (per-source licences of the dataset)",
    }
    out = mem.save(args.out)
    (out / "NOTICE.md").write_text(_notice(args.data.parent / "README.md"), encoding="utf-8")
    total = 0
    for f in sorted(out.iterdir()):
        if re.match(r"((index|rows)-.*\.bin|memory\.json|NOTICE\.md)$", f.name):
            total += f.stat().st_size
            print(f"{f.relative_to(ROOT) if f.is_relative_to(ROOT) else f}  {f.stat().st_size:>10,d} bytes")
    print(f"{len(attacks)} attack vectors from {len(rows)} rows; {total / 1e6:.2f} MB in total")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
