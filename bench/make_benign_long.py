"""Build bench/data/benign_long.jsonl: long benign texts the dev set lacks (code, e-mail, logs, docs).

    .venv/bin/python bench/make_benign_long.py

Sources (all licences allow redistribution; recorded per row):
* CPython standard-library source excerpts and module docstrings (PSF-2.0), from the running
  interpreter's own ``lib/python3.x``;
* CPython's e-mail test messages ``test/test_email/data/msg_*.txt`` (PSF-2.0), when installed;
* package-manager logs of this build machine (/var/log/dpkg.log, alternatives.log: machine-generated,
  no third-party rights), cut into chunks.
These rows are never used for training: bench/quality.py reports false positives on them separately.
Selection is deterministic (fixed seed, sorted file lists).
"""

from __future__ import annotations

import ast
import json
import random
import sys
import sysconfig
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "benign_long.jsonl"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
LICENCE = "PSF-2.0 (CPython %d.%d)" % sys.version_info[:2]


def chunks(text: str, rnd: random.Random, n: int, lo: int = 1000, hi: int = 6000) -> list[str]:
    out = []
    for _ in range(n):
        if len(text) <= lo:
            break
        size = rnd.randint(lo, min(hi, len(text)))
        start = rnd.randint(0, len(text) - size)
        # start and end on line boundaries so excerpts read like pasted material
        s = text.rfind("\n", 0, start) + 1
        e = text.find("\n", start + size)
        out.append(text[s : e if e != -1 else len(text)])
    return out


def main() -> int:
    rnd = random.Random(20261126)
    rows: list[dict] = []
    modules = sorted(p for p in STDLIB.glob("*.py") if p.stat().st_size > 8000)
    for p in rnd.sample(modules, min(60, len(modules))):
        src = p.read_text(encoding="utf-8", errors="replace")
        for c in chunks(src, rnd, 2):
            rows.append({"text": c, "source": f"stdlib_code:{p.stem}", "licence": LICENCE})
        try:
            doc = ast.get_docstring(ast.parse(src)) or ""
        except SyntaxError:
            doc = ""
        if len(doc) >= 1000:
            rows.append({"text": doc[:6000], "source": f"stdlib_docs:{p.stem}", "licence": LICENCE})
    email_dir = STDLIB / "test" / "test_email" / "data"
    for p in sorted(email_dir.glob("msg_*.txt")):
        t = p.read_text(encoding="utf-8", errors="replace")
        if len(t) >= 300:
            rows.append({"text": t[:6000], "source": f"stdlib_email:{p.stem}", "licence": LICENCE})
    for log in (Path("/var/log/dpkg.log"), Path("/var/log/alternatives.log"), Path("/var/log/apt/history.log")):
        if log.exists():
            t = log.read_text(encoding="utf-8", errors="replace")
            for c in chunks(t, rnd, 15):
                rows.append({"text": c, "source": f"machine_logs:{log.name}", "licence": "machine-generated log"})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    by: dict[str, int] = {}
    for r in rows:
        by[r["source"].split(":")[0]] = by.get(r["source"].split(":")[0], 0) + 1
    print(f"wrote {len(rows)} rows to {OUT}: {by}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
