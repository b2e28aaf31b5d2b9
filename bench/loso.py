"""Shared evaluation harness: the dev set, engine features, leave-one-source-out scoring.

Used by bench/train_scorer.py (fits and writes the shipped weights) and bench/quality.py (prints
the tables). A *source* is the part of the dev row's ``source`` field before the first ``:``
(jbb, bipia, injecagent, …): whole sources are held out, so templates and translations of one
item never sit on both sides of a split.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aimds_middleware._config import GuardConfig  # noqa: E402
from aimds_middleware.detection.engine import Detector  # noqa: E402
from aimds_middleware.detection.features import FEATURE_NAMES  # noqa: E402
from aimds_middleware.detection.scorer import Scorer  # noqa: E402
from aimds_middleware.telemetry import Telemetry  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("AIMDS_DEV_DATA", ROOT.parent / "shared" / "data" / "dev.jsonl"))
EXTRA_BENIGN = ROOT / "bench" / "data" / "benign_long.jsonl"


@dataclass
class Dataset:
    texts: list[str]
    y: np.ndarray
    groups: np.ndarray  # source prefix
    sources: list[str]  # full source field
    kinds: list[str]
    path: Path
    sha256: str

    @property
    def hard(self) -> np.ndarray:
        """Mask of the hard negatives (benign rows written with attack words), the issue's second
        false-positive target."""
        return np.array([k == "hard_negative" for k in self.kinds])


def load(path: Path = DEFAULT_DATA) -> Dataset:
    raw = path.read_bytes()
    rows = [json.loads(line) for line in raw.decode("utf-8").split("\n") if line.strip()]
    return Dataset(
        texts=[r["text"] for r in rows],
        y=np.array([int(r["label"]) for r in rows]),
        groups=np.array([r["source"].split(":")[0] for r in rows]),
        sources=[r["source"] for r in rows],
        kinds=[r.get("kind", "") for r in rows],
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def load_extra_benign(path: Path = EXTRA_BENIGN) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def feature_detector(recall_threshold: float = 2.0) -> Detector:
    """A Detector whose scorer is neutral: used only to extract features (no budget skips)."""
    zero = Scorer(tuple(0.0 for _ in FEATURE_NAMES), 0.0, 0.5, 0.5, {}, recall_threshold)
    cfg = GuardConfig(recall=False, budget_ms=60_000.0)
    return Detector(cfg, Telemetry(), scorer=zero)


def recall_threshold(recall: list[list[float]] | None, y: np.ndarray) -> float:
    """Known-attack similarity: just above the nearest any benign row came to a remembered attack
    (cross-fitted), so the memory alone never flags a benign dev row."""
    if recall is None:
        return 2.0
    benign_top = [r[0] for r, lab in zip(recall, y) if lab == 0 and r]
    return float(np.nextafter(max(benign_top), 2.0)) if benign_top else 2.0


def featurize_all(texts: list[str], detector: Detector | None = None, recall=None) -> np.ndarray:
    det = detector or feature_detector()
    out = np.zeros((len(texts), len(FEATURE_NAMES)), dtype=np.float64)
    t0 = time.perf_counter()
    for i, t in enumerate(texts):
        out[i] = det.features(t, recall=None if recall is None else recall[i])
    sys.stderr.write(f"featurized {len(texts)} texts in {time.perf_counter() - t0:.1f}s\n")
    return out


class NonNegativeLR:
    """Class-balanced L2 logistic regression whose feature weights are constrained to be >= 0.

    Every feature is built as attack evidence; a negative weight can only come from a source
    artefact (benign rows of one corpus happen to share a cue), which is exactly what does not
    transfer to unseen sources. Fitted with L-BFGS-B.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: np.ndarray, y: np.ndarray) -> "NonNegativeLR":
        from scipy.optimize import minimize

        n, d = X.shape
        sw = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
        lam = 1.0 / (self.C * n)

        def f(p: np.ndarray):
            w, b = p[:d], p[d]
            z = X @ w + b
            loss = np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))
            g = (1.0 / (1.0 + np.exp(-z)) - y) * sw
            return (sw * loss).sum() / n + 0.5 * lam * (w @ w), np.concatenate([X.T @ g / n + lam * w, [g.sum() / n]])

        r = minimize(f, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=[(0, None)] * d + [(None, None)])
        self.coef_ = r.x[:d][None, :]
        self.intercept_ = r.x[d:]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.coef_[0] + self.intercept_[0]
        p = 1.0 / (1.0 + np.exp(-z))
        return np.c_[1 - p, p]


def fit(X: np.ndarray, y: np.ndarray, C: float = 1.0) -> NonNegativeLR:
    return NonNegativeLR(C).fit(X, y)


def loso_decisions(X: np.ndarray, y: np.ndarray, groups: np.ndarray, C: float,
                   fprs: tuple[float, ...] = (0.01,)) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    """Held-out scores plus, per target FPR, each row's *own fold's* threshold: the score at which
    the fold's training benign rows reach that FPR, never under MIN_BLOCK_SCORE — exactly what
    shipping a model trained on the other sources would do. A single threshold pooled over the
    held-out scores of different fold models is not: an attack-only source whose fold model
    happens to sit higher clears it wholesale (feature selection found such sets: recall 0.73 at
    AUC 0.75)."""
    scores = np.zeros(len(y))
    thresholds = {f: np.ones(len(y)) for f in fprs}
    for g in np.unique(groups):
        test = groups == g
        train = ~test
        if len(np.unique(y[train])) < 2:
            continue
        m = fit(X[train], y[train], C)
        scores[test] = m.predict_proba(X[test])[:, 1]
        own = m.predict_proba(X[train & (y == 0)])[:, 1]
        for f in fprs:
            thresholds[f][test] = operating_threshold(own, f)
    return scores, thresholds


def threshold_at_fpr(scores: np.ndarray, y: np.ndarray, fpr: float) -> float:
    return benign_threshold(scores[y == 0], fpr)


#: the lowest block threshold: the scorer is a class-balanced logistic model, so below 0.5 it rates
#: a text more likely benign than an attack, and flagging it there is a calibration accident
MIN_BLOCK_SCORE = 0.5


def operating_threshold(benign_scores: np.ndarray, fpr: float) -> float:
    """The block threshold a model ships with: where its training benign rows reach ``fpr``, but
    never under MIN_BLOCK_SCORE. The floor matters when the benign rows a model saw are all easy:
    held out, wildguardmix's jailbreak-styled benign prompts met a threshold of 0.34, set by the
    other benign sources, that flagged any single low-severity rule."""
    return max(benign_threshold(benign_scores, fpr), MIN_BLOCK_SCORE)


def benign_threshold(benign_scores: np.ndarray, fpr: float) -> float:
    """The lowest score that flags at most ``fpr`` of these benign scores."""
    neg = np.sort(benign_scores)
    if len(neg) == 0:
        return 0.5
    k = int(np.floor(len(neg) * (1.0 - fpr)))
    k = min(max(k, 0), len(neg) - 1)
    return float(np.nextafter(neg[k], 1.0))


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    # average ranks for ties
    allv = np.concatenate([pos, neg])
    _, inv, counts = np.unique(allv, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks)
    ranks = (sums / counts)[inv]
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def recall_at_fpr(scores: np.ndarray, y: np.ndarray, fpr: float) -> float:
    thr = threshold_at_fpr(scores, y, fpr)
    pos = scores[y == 1]
    return float((pos >= thr).mean()) if len(pos) else float("nan")


def loso_similarities(texts: list[str], y: np.ndarray, groups: np.ndarray, k: int = 3) -> list[list[float]]:
    """Cross-fitted recall features: for each row, top-``k`` similarities to the attacks of the
    *other* sources (a USearch memory per left-out source, same embedder and settings as shipped).
    Queries are the folded text, exactly as the engine sends them."""
    from aimds_middleware.detection.fastpath import fold
    from aimds_middleware.detection.recall import AttackMemory

    t0 = time.perf_counter()
    probe = AttackMemory()
    folded = [fold(t)[0][:8192] for t in texts]
    vecs = probe.embedder.embed(folded)
    out: list[list[float]] = [[] for _ in texts]
    for g in np.unique(groups):
        train = (groups != g) & (y == 1)
        test = np.nonzero(groups == g)[0]
        # single-threaded: a parallel HNSW build differs run to run, and so did this table (recall
        # at 1% FPR 0.36 and 0.47 in two runs of the same code)
        mem = AttackMemory.build(None, vectors=vecs[train], threads=1)
        _, sims = mem.search_vectors(vecs[test], k=k)
        for row, s in zip(test, sims):
            out[row] = [float(v) for v in s if v > -1.0]
    sys.stderr.write(f"cross-fitted recall features in {time.perf_counter() - t0:.1f}s\n")
    return out
