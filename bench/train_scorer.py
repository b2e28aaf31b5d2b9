"""Train the scorer's weights from the dev set and write aimds_middleware/data/scorer.json.

    .venv/bin/python bench/train_scorer.py [--data ../shared/data/dev.jsonl] [--no-recall]

Protocol: features come from the real engine. The model is a class-balanced logistic regression
with non-negative weights (loso.NonNegativeLR). Features enter by greedy forward selection, each
candidate set judged at its best regularisation strength, by leave-one-source-out (LOSO) recall at 1% false-positive rate
(averaged over 0.5-2% FPR, plus a tenth of ROC-AUC): a feature that only helps within a source never makes it in; the block threshold is the score at
which the pooled *held-out* benign rows reach 1% false positives (sanitize: 4%), so the shipped
thresholds estimate behaviour on sources the model never saw. Vector-recall features, when the
memory is available, are cross-fitted: each row's neighbours come from a memory built without the
row's own source. Nothing in the output is typed by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

import loso

OUT = loso.ROOT / "aimds_middleware" / "data" / "scorer.json"


def recall_features(ds: loso.Dataset) -> list[list[float]] | None:
    """Cross-fitted neighbour similarities (top-3) per row, or None when recall is unavailable."""
    try:
        from loso import loso_similarities
    except ImportError:
        return None
    return loso_similarities(ds.texts, ds.y, ds.groups, k=3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=loso.DEFAULT_DATA)
    ap.add_argument("--no-recall", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--max-features", type=int, default=12)
    args = ap.parse_args(argv)

    ds = loso.load(args.data)
    rec = None if args.no_recall else recall_features(ds)
    known_at = loso.recall_threshold(rec, ds.y)
    X = loso.featurize_all(ds.texts, loso.feature_detector(known_at), recall=rec)
    y, groups = ds.y, ds.groups

    def objective(cols: list[int], C: float) -> tuple[float, float, np.ndarray]:
        sc = loso.loso_scores(X[:, cols], y, groups, C)
        # recall averaged around the operating point (0.5-2% FPR) is less step-shaped than
        # recall at exactly 1%, so single features can show their worth
        low_fpr = np.mean([loso.recall_at_fpr(sc, y, f) for f in (0.005, 0.0075, 0.01, 0.015, 0.02)])
        return low_fpr + 0.1 * loso.auc(sc, y), loso.auc(sc, y), sc

    cs = (0.3, 1.0, 3.0, 10.0, 100.0)

    def best_over_c(cols: list[int]) -> float:
        # features and regularisation are chosen together: a feature judged at one fixed C can
        # look harmful only because that C does not suit it (medium_in_data: worse at C=10,
        # better at C=100 — the C the base features end up with anyway)
        return max(objective(cols, C)[0] for C in cs)

    names = list(loso.FEATURE_NAMES)
    selected = [names.index("sev.max"), names.index("rules.total")]
    best_obj = best_over_c(selected)
    print(f"start {[names[i] for i in selected]}: objective {best_obj:.4f}", file=sys.stderr)
    for _ in range(args.max_features):
        trial = []
        for j in range(len(names)):
            if j in selected or np.ptp(X[:, j]) == 0:
                continue
            trial.append((best_over_c(selected + [j]), j))
        if not trial:
            break
        obj, j = max(trial)
        if obj <= best_obj + 0.001:
            break
        selected.append(j)
        best_obj = obj
        print(f"+ {names[j]:<32} objective {obj:.4f}", file=sys.stderr)
    best = None
    for C in cs:
        obj, a, sc = objective(selected, C)
        r1 = loso.recall_at_fpr(sc, y, 0.01)
        print(f"C={C:<5} LOSO AUC={a:.4f} recall@1%FPR={r1:.4f}", file=sys.stderr)
        if best is None or obj > best[0]:
            best = (obj, C, r1, a, sc)
    _, C, r1, a, s = best
    block = loso.threshold_at_fpr(s, y, 0.01)
    sanitize = loso.threshold_at_fpr(s, y, 0.04)
    model = loso.fit(X[:, selected], y, C)
    weights = np.zeros(len(names))
    weights[selected] = model.coef_[0]
    out = {
        "feature_names": list(loso.FEATURE_NAMES),
        "weights": [float(w) for w in weights],
        "intercept": float(model.intercept_[0]),
        "block_threshold": block,
        "sanitize_threshold": min(sanitize, block),
        "recall_threshold": known_at,
        "provenance": {
            "trained_by": "bench/train_scorer.py",
            "data": args.data.name,
            "data_sha256": ds.sha256,
            "rows": int(len(y)),
            "attacks": int(y.sum()),
            "recall_features": rec is not None,
            "model": f"NonNegativeLR(C={C}, class_weight=balanced)",
            "selected_features": [names[i] for i in selected],
            "validation": "leave-one-source-out (source prefix before ':')",
            "loso_auc": round(a, 4),
            "loso_recall_at_1pct_fpr": round(r1, 4),
            "trained_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "licence": "derived from the dev set; see data/NOTICE",
        },
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (C={C}, LOSO AUC {a:.4f}, recall@1%FPR {r1:.4f}, block>={block:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
