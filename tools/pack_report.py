"""Measure every signature rule on the labelled dev set, to prune or demote noisy rules.

    .venv/bin/python tools/pack_report.py                      # summary + per-category + per-source
    .venv/bin/python tools/pack_report.py --rules              # plus one line per rule
    .venv/bin/python tools/pack_report.py --show override.en.ignore-previous   # benign rows it hits
    .venv/bin/python tools/pack_report.py --json report.json   # machine-readable

For each rule: how many attack rows, benign rows and hard-negative rows it fires on. For each
category: recall and false-positive rate of "any rule of this category fires". For each source
prefix: the share of rows on which any rule / any high-or-critical rule fires. The guidance the
packs are tuned to: the union of high/critical rules fires on < 1% of benign rows and < 2% of hard
negatives; medium/low rules may be noisier because the scorer weighs them. The unions leave out
rules that "require" another category (they never count alone); rule scope is not applied.

Tune only on dev.jsonl, and write general patterns: a rule that only matches one row's wording
helps nobody on sources the project has never seen.
"""

from __future__ import annotations

import argparse
import collections
import json
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import re2
from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aimds_middleware.detection.signatures import (
    DEFAULT_FUZZY_THRESHOLD,
    Rule,
    SignatureSet,
    fold,
    literal_regex,
    load_packs,
    rule_matches,
)

DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev.jsonl"
HIGH = ("HIGH", "CRITICAL")


@dataclass
class Row:
    text: str
    folded: str
    label: int
    kind: str
    source: str

    @property
    def group(self) -> str:
        if self.label:
            return "attack"
        return "hard_negative" if self.kind == "hard_negative" else "benign"

    @property
    def prefix(self) -> str:
        return self.source.split(":", 1)[0]


@dataclass
class RuleStats:
    rule: Rule
    hits: collections.Counter = field(default_factory=collections.Counter)
    rows: list[int] = field(default_factory=list)


def load_rows(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: malformed JSON: {exc}") from None
            rows.append(Row(d["text"], fold(d["text"]), int(d["label"]), d.get("kind", ""), d.get("source", "")))
    return rows


def fire_matrix(sigs: SignatureSet, rows: list[Row]) -> list[set[int]]:
    """For each row, the indices (into sigs.rules) of rules that fire. One RE2 set per pack for
    literals and regexes (a single set over every rule is several times slower: its DFA keeps
    building new states), fuzzy rules one by one."""
    opts = re2.Options()
    opts.max_mem = 256 << 20
    sets: dict[str, tuple[re2.Set, list[int]]] = {}
    fuzzy: list[tuple[int, Rule]] = []
    heuristic: list[tuple[int, Rule]] = []
    for i, r in enumerate(sigs.rules):
        if r.kind == "fuzzy":
            fuzzy.append((i, r))
            continue
        if r.kind == "heuristic":
            heuristic.append((i, r))
            continue
        rset, idx = sets.setdefault(r.pack, (re2.Set.SearchSet(opts), []))
        rset.Add(literal_regex(r.pattern) if r.kind == "literal" else r.pattern)
        idx.append(i)
    for rset, _ in sets.values():
        rset.Compile()
    out = []
    for row in rows:
        data = row.folded.encode("utf-8")
        fired = {idx[j] for rset, idx in sets.values() for j in (rset.Match(data) or ())}
        for i, r in fuzzy:
            t = r.threshold if r.threshold is not None else DEFAULT_FUZZY_THRESHOLD
            if fuzz.partial_ratio(r.pattern, row.folded, score_cutoff=t):
                fired.add(i)
        for i, r in heuristic:  # heuristics read the original text, as the engine runs them
            if rule_matches(r, row.folded, row.text):
                fired.add(i)
        out.append(fired)
    return out


def verbatim_examples(sigs: SignatureSet, rows: list[Row], min_chars: int = 24) -> list[tuple[str, str]]:
    """Examples (folded, at least ``min_chars`` long) that appear inside some row's folded text."""
    corpus = "\x00".join(r.folded for r in rows)
    out = []
    for r in sigs.rules:
        for ex in r.examples + r.counter_examples:
            f = fold(ex).strip(" .!?")
            if len(f) >= min_chars and f in corpus:
                out.append((r.id, ex))
    return out


def _alone(rule: Rule) -> bool:
    return rule.requires is None


def _in_category(category: str, rule: Rule) -> bool:
    return rule.category.value == category


def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:6.2f}%" if d else "     - "


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled JSONL (default: %(default)s)")
    ap.add_argument("--packs", nargs="*", default=["builtin"], help="pack names (default: builtin)")
    ap.add_argument("--extra", nargs="*", default=[], help="extra pack files or directories")
    ap.add_argument("--rules", action="store_true", help="print one line per rule")
    ap.add_argument("--noisy", action="store_true", help="print only rules that fire on any non-attack row")
    ap.add_argument("--show", metavar="RULE_ID", help="print the non-attack rows a rule fires on")
    ap.add_argument("--missed", metavar="PREFIX", help="print attack rows of a source prefix no rule fires on")
    ap.add_argument("--json", type=Path, help="write the full report as JSON")
    ap.add_argument("--verbatim", action="store_true",
                    help="list rule examples that occur verbatim in the data (rules must not copy attack texts)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    sigs = load_packs(tuple(args.packs), tuple(args.extra), validate=True)
    rows = load_rows(args.data)
    fired = fire_matrix(sigs, rows)
    elapsed = time.perf_counter() - t0

    groups = collections.Counter(r.group for r in rows)
    stats = [RuleStats(r) for r in sigs.rules]
    for n, (row, f) in enumerate(zip(rows, fired)):
        for i in f:
            stats[i].hits[row.group] += 1
            stats[i].rows.append(n)

    print(f"{len(sigs.rules)} rules in {len(sigs.packs)} packs; {len(rows)} rows "
          f"({groups['attack']} attack, {groups['benign']} benign, {groups['hard_negative']} hard negative); "
          f"{elapsed:.1f}s\n")

    def union_rate(pred) -> dict[str, int]:
        c: collections.Counter = collections.Counter()
        for row, f in zip(rows, fired):
            if any(pred(sigs.rules[i]) for i in f):
                c[row.group] += 1
        return c

    summary: dict[str, dict[str, float]] = {}
    print(f"{'category / union':34} {'rules':>5} {'recall':>8} {'benign':>8} {'hardneg':>8}")
    cats = sorted({r.category.value for r in sigs.rules})
    lines = [(c, lambda r, c=c: _alone(r) and _in_category(c, r)) for c in cats]
    # a rule that "requires" another category never counts alone (the role-play frame): the
    # unions leave it out, so "any rule" means any rule that can be evidence by itself
    lines += [("ALL rules", _alone), ("ALL high+critical", lambda r: _alone(r) and r.severity.name in HIGH),
              ("ALL critical", lambda r: r.severity.name == "CRITICAL")]
    for name, pred in lines:
        c = union_rate(pred)
        n_rules = sum(1 for r in sigs.rules if pred(r))
        summary[name] = {g: c[g] / groups[g] if groups[g] else 0.0 for g in ("attack", "benign", "hard_negative")}
        print(f"{name:34} {n_rules:5d} {pct(c['attack'], groups['attack'])} {pct(c['benign'], groups['benign'])} "
              f"{pct(c['hard_negative'], groups['hard_negative'])}")

    print(f"\n{'source prefix':28} {'group':14} {'n':>5} {'any rule':>9} {'high+':>9}")
    by_src: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for row, f in zip(rows, fired):
        s = by_src[(row.prefix, row.group)]
        s[0] += 1
        s[1] += any(_alone(sigs.rules[i]) for i in f)
        s[2] += any(_alone(sigs.rules[i]) and sigs.rules[i].severity.name in HIGH for i in f)
    per_source = {}
    for (src, grp), (n, a, h) in sorted(by_src.items()):
        per_source[f"{src}/{grp}"] = {"n": n, "any": a / n, "high": h / n}
        print(f"{src:28} {grp:14} {n:5d} {pct(a, n):>9} {pct(h, n):>9}")

    lang_rows = [(row, f) for row, f in zip(rows, fired) if row.source.startswith("cyberseceval_ml")]
    if lang_rows:
        print(f"\n{'cyberseceval_ml language':28} {'n':>5} {'any rule':>9} {'high+':>9}")
        by_lang: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
        for row, f in lang_rows:
            s = by_lang[row.source.rsplit(":", 1)[-1]]
            s[0] += 1
            s[1] += any(_alone(sigs.rules[i]) for i in f)
            s[2] += any(_alone(sigs.rules[i]) and sigs.rules[i].severity.name in HIGH for i in f)
        for lang, (n, a, h) in sorted(by_lang.items()):
            print(f"{lang:28} {n:5d} {pct(a, n):>9} {pct(h, n):>9}")

    if args.rules or args.noisy:
        # "only": attack rows on which this is the only rule that fires (its unique recall)
        only = collections.Counter(next(iter(f)) for row, f in zip(rows, fired) if row.label and len(f) == 1)
        print(f"\n{'rule':52} {'sev':8} {'attack':>6} {'only':>5} {'benign':>6} {'hardneg':>7}")
        for i, s in enumerate(stats):
            if args.noisy and not (s.hits["benign"] or s.hits["hard_negative"]):
                continue
            r = s.rule
            print(f"{r.id:52} {r.severity.name.lower():8} {s.hits['attack']:6d} {only[i]:5d} {s.hits['benign']:6d} "
                  f"{s.hits['hard_negative']:7d}")
        dead = [s.rule.id for s in stats if not s.hits["attack"]]
        print(f"\n{len(dead)} rules fire on no dev attack (fine for families the dev set lacks)")

    if args.show:
        match = [s for s in stats if s.rule.id == args.show]
        if not match:
            raise SystemExit(f"no rule {args.show!r}")
        for n in match[0].rows:
            if rows[n].label == 0:
                print(f"--- {rows[n].source} ({rows[n].group})\n{rows[n].text[:600]}")

    if args.missed:
        for row, f in zip(rows, fired):
            if row.label and row.prefix == args.missed and not f:
                print(f"--- {row.source}\n{row.text[:500]}")

    if args.verbatim:
        copied = verbatim_examples(sigs, rows)
        print(f"\n{len(copied)} rule examples occur verbatim in {args.data.name}")
        for rid, ex in copied:
            print(f"  {rid}: {ex[:100]!r}")

    if args.json:
        args.json.write_text(json.dumps({
            "data": str(args.data), "groups": dict(groups), "summary": summary, "per_source": per_source,
            "rules": {s.rule.id: dict(s.hits) for s in stats},
        }, indent=1))
    return 0


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):  # `pack_report.py | head` should not end in a traceback
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
