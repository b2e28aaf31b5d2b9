"""Detection quality on the dev set under leave-one-source-out (LOSO).

    .venv/bin/python bench/quality.py [--data PATH] [--plots bench/out] [--no-recall]

Every score printed is *held out*: a row is scored by a model trained without its whole source
(and, with recall, by a vector memory without that source's rows), and flagged at that model's own
threshold (where its training benign rows reach 1% FPR, never under loso.MIN_BLOCK_SCORE — how the
shipped threshold is set), so the FPR printed is what the held-out sources really got. Prints pooled ROC-AUC, recall and FPR,
then per source and per length bucket;
then false positives on the long benign texts of bench/data/benign_long.jsonl (never trained on).
Writes a ROC plot (PNG). With recall available, the tables are printed with and without it (with
recall, the scorer is retrained per fold with the two similarity features added to the shipped ones).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

import loso

BUCKETS = (("<200", 0, 200), ("200-1000", 200, 1000), (">1000", 1000, 1 << 60))


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def _rate(mask: np.ndarray) -> str:
    return f"{mask.mean():.3f}" if len(mask) else "-"


def report(name: str, ds: loso.Dataset, s: np.ndarray, thr: np.ndarray) -> None:
    y = ds.y
    flagged = s >= thr
    print(f"\n## {name}")
    print(f"pooled LOSO ROC-AUC {loso.auc(s, y):.4f}; (for reference: recall at one pooled 1% threshold "
          f"{loso.recall_at_fpr(s, y, 0.01):.4f})")
    hard = ds.hard
    print(f"each fold at its own 1% threshold: recall {flagged[y == 1].mean():.4f}, FPR {flagged[y == 0].mean():.4f}, "
          f"FPR hard negatives {flagged[(y == 0) & hard].mean():.4f}")
    rows = []
    for g in sorted(set(ds.groups)):
        m = ds.groups == g
        pos, neg = m & (y == 1), m & (y == 0)
        rows.append([g, int(pos.sum()), _rate(flagged[pos]), int(neg.sum()), _rate(flagged[neg])])
    print(_table(rows, ["source", "attacks", "recall", "benign", "FPR"]))
    lens = np.array([len(t) for t in ds.texts])
    rows = []
    for label, lo, hi in BUCKETS:
        m = (lens >= lo) & (lens < hi)
        pos, neg = m & (y == 1), m & (y == 0)
        rows.append([label, int(pos.sum()), _rate(flagged[pos]), int(neg.sum()), _rate(flagged[neg])])
    print(_table(rows, ["length", "attacks", "recall", "benign", "FPR"]))


def roc_plot(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4), dpi=120)
    for name, (s, y) in curves.items():
        order = np.argsort(-s)
        tp = np.cumsum(y[order] == 1) / max((y == 1).sum(), 1)
        fp = np.cumsum(y[order] == 0) / max((y == 0).sum(), 1)
        ax.plot(fp, tp, label=f"{name} (AUC {loso.auc(s, y):.3f})")
    ax.axvline(0.01, color="grey", ls=":", lw=1)
    ax.set_xscale("symlog", linthresh=0.01)
    ax.set_xlim(0, 1)
    ax.set_xlabel("false-positive rate (held-out sources)")
    ax.set_ylabel("recall")
    ax.set_title("aimds: leave-one-source-out ROC, dev set")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    print(f"\nwrote {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=loso.DEFAULT_DATA)
    ap.add_argument("--plots", type=Path, default=loso.ROOT / "docs" / "img")
    ap.add_argument("--no-recall", action="store_true")
    args = ap.parse_args(argv)

    shipped = json.loads((loso.ROOT / "aimds_middleware" / "data" / "scorer.json").read_text())
    C = float(shipped["provenance"]["model"].split("C=")[1].split(",")[0])
    cols = [loso.FEATURE_NAMES.index(n) for n in shipped["provenance"]["selected_features"]]
    ds = loso.load(args.data)
    det = loso.feature_detector(float(shipped.get("recall_threshold", 2.0)))
    curves = {}
    variants = [("engine only (no recall)", None)]
    if not args.no_recall:
        try:
            from loso import loso_similarities
        except ImportError:
            print("(vector recall unavailable: engine-only table)")
        else:
            # cross-fitted: a row's neighbours come from a memory without its whole source
            variants.append(("engine + vector recall", loso_similarities(ds.texts, ds.y, ds.groups, k=3)))
    X_by = {}
    recall_cols = [loso.FEATURE_NAMES.index(n) for n in ("recall_top1", "recall_top3")]
    for name, rec in variants:
        X = loso.featurize_all(ds.texts, det, recall=rec)
        X_by[name] = X
        # with recall, the scorer may weigh the similarity features too (retrained per fold)
        use = cols if rec is None else sorted(set(cols) | set(recall_cols))
        s, thr = loso.loso_decisions(X[:, use], ds.y, ds.groups, C)
        report(f"{name}: LOSO, each fold at its own 1% FPR threshold", ds, s, thr[0.01])
        curves[name] = (s, ds.y)

    extra = loso.load_extra_benign()
    if extra:
        from aimds_middleware import Guard

        g = Guard()
        actions = [g.inspect(r["text"]).action.value for r in extra]
        by = defaultdict(list)
        for r, a in zip(extra, actions):
            by[r["source"].split(":")[0]].append(a)
        print("\n## shipped Guard() on extra long benign texts (not in training), default thresholds")
        print(_table([[k, len(v), f"{np.mean([a == 'block' for a in v]):.3f}", f"{np.mean([a != 'allow' for a in v]):.3f}"]
                      for k, v in sorted(by.items())], ["source", "texts", "blocked", "not allowed"]))
    roc_plot(curves, args.plots / "roc.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
