"""Train the scorer's weights from the dev set and write aimds_middleware/data/scorer.json.

    .venv/bin/python bench/train_scorer.py [--data ../shared/data/dev.jsonl] [--no-recall] [--features a,b,c]

Protocol: features come from the real engine. The model is a class-balanced logistic regression
with non-negative weights (loso.NonNegativeLR). Features enter by forward selection (a beam of the
best ``--beam`` sets at each size), each candidate set judged at its best regularisation strength
by leave-one-source-out (LOSO) recall, averaged over 0.5-2% false-positive rate, plus a tenth of
ROC-AUC: a feature that only helps within a source never makes it in. Each fold is thresholded
where *its own training* benign rows reach the FPR (never under loso.MIN_BLOCK_SCORE), as a
shipped model is, and pays for exceeding that FPR on the held-out source, or twice it on hard
negatives; the shipped block threshold is set the same way on all rows (1%; sanitize 4%).
Vector-recall features, when the memory is available, are cross-fitted: each row's neighbours come
from a memory built without the row's own source. Nothing in the output is typed by hand.
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
#: families never weighed on their own: a request for something harmful is not an injection, and
#: the dev set has almost no benign request *about* harm ("how do phishing e-mails trick users",
#: a detective story about a scam) for a weight to be checked against — one trained run weighed
#: harmful_request.sev and blocked both on a single rule. These families still count through
#: strong_evidence (two rules agreeing: a harmful request wrapped in a jailbreak), rules.total and
#: families
NOT_ALONE = ("harmful_request.",)


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
    ap.add_argument("--beam", type=int, default=3, help="feature sets kept at each size")
    ap.add_argument("--features", default="",
                    help="comma-separated feature names to fit as they are, without the forward "
                         "selection (to refit a set chosen before on new rules; C is still chosen)")
    args = ap.parse_args(argv)

    ds = loso.load(args.data)
    rec = None if args.no_recall else recall_features(ds)
    known_at = loso.recall_threshold(rec, ds.y)
    X = loso.featurize_all(ds.texts, loso.feature_detector(known_at), recall=rec)
    y, groups = ds.y, ds.groups

    fprs = (0.005, 0.0075, 0.01, 0.015, 0.02)
    hard = ds.hard

    def objective(cols: list[int], C: float) -> tuple[float, float, float, float]:
        sc, thr = loso.loso_decisions(X[:, cols], y, groups, C, fprs)
        parts = []
        for f in fprs:
            flag = sc >= thr[f]
            # recall averaged around the operating point (0.5-2% FPR) is less step-shaped than at
            # exactly 1%; each fold uses its own threshold, and a fold that overshoots the FPR on
            # the unseen source pays for it; so does one that overshoots twice the FPR on hard
            # negatives (the targets: <= 1% on all benign rows, <= 2% on hard negatives)
            over = max(0.0, flag[y == 0].mean() - f) + max(0.0, flag[hard].mean() - 2 * f)
            parts.append(flag[y == 1].mean() - 5.0 * over)
        flag1 = sc >= thr[0.01]
        a = loso.auc(sc, y)
        return float(np.mean(parts)) + 0.1 * a, a, float(flag1[y == 1].mean()), float(flag1[y == 0].mean())

    cs = (0.3, 1.0, 3.0, 10.0, 100.0)

    def best_over_c(cols: list[int]) -> float:
        # features and regularisation are chosen together: a feature judged at one fixed C can
        # look harmful only because that C does not suit it (medium_in_data: worse at C=10,
        # better at C=100 — the C the base features end up with anyway)
        return max(objective(cols, C)[0] for C in cs)

    names = list(loso.FEATURE_NAMES)
    usable = [j for j in range(len(names)) if np.ptp(X[:, j]) > 0 and not names[j].startswith(NOT_ALONE)]
    # forward selection from nothing, keeping the best few sets at each size (a beam): every
    # feature in the model earned its place under LOSO, and one greedy path can lock itself out
    # (with the hard-negative penalty, plain greedy took obfuscated_hits early and ended at an
    # objective 0.04 under a set it never reached)
    beam: list[tuple[float, tuple[int, ...]]] = [(float("-inf"), ())]
    best_obj, selected_t = float("-inf"), ()
    seen: set[frozenset[int]] = set()
    if args.features:
        given = args.features.split(",")
        unknown = [f for f in given if f not in names]
        if unknown:
            ap.error(f"unknown feature names: {', '.join(unknown)}")
        selected_t = tuple(names.index(f) for f in given)
        print(f"= {' '.join(names[j] for j in selected_t):<60} (given, not selected)", file=sys.stderr)
    for _ in range(0 if args.features else args.max_features):
        trial = []
        for _, sel in beam:
            for j in usable:
                key = frozenset(sel + (j,))
                if j in sel or key in seen:
                    continue
                seen.add(key)
                trial.append((best_over_c(list(sel + (j,))), sel + (j,)))
        if not trial:
            break
        trial.sort(key=lambda t: -t[0])
        if trial[0][0] <= best_obj + 0.001:
            break
        best_obj, selected_t = trial[0]
        beam = trial[: args.beam]
        print(f"+ {' '.join(names[j] for j in selected_t):<60} objective {best_obj:.4f}", file=sys.stderr)
    selected = list(selected_t)
    best = None
    for C in cs:
        obj, a, r1, f1 = objective(selected, C)
        print(f"C={C:<5} LOSO AUC={a:.4f} recall={r1:.4f} FPR={f1:.4f} (each fold's own 1% threshold)", file=sys.stderr)
        if best is None or obj > best[0]:
            best = (obj, C, r1, a, f1)
    _, C, r1, a, f1 = best
    model = loso.fit(X[:, selected], y, C)
    # thresholds as the folds set theirs: where the training benign rows reach 1% (sanitize 4%),
    # block never under loso.MIN_BLOCK_SCORE
    own = model.predict_proba(X[y == 0][:, selected])[:, 1]
    block = loso.operating_threshold(own, 0.01)
    sanitize = loso.benign_threshold(own, 0.04)
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
            "feature_choice": "given (--features)" if args.features else "forward selection (beam)",
            "never_alone": [n for n in names if n.startswith(NOT_ALONE)],
            "validation": "leave-one-source-out (source prefix before ':'); each fold thresholded at 1% FPR of its own training benign rows",
            "loso_auc": round(a, 4),
            "loso_recall_at_1pct_fpr": round(r1, 4),
            "loso_fpr_at_that_threshold": round(f1, 4),
            "trained_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "licence": "derived from the dev set; see data/NOTICE",
        },
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (C={C}, LOSO AUC {a:.4f}, recall@1%FPR {r1:.4f}, block>={block:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
