"""Calibrated scorer: logistic regression over :data:`features.FEATURE_NAMES`.

Weights, thresholds and provenance live in ``data/scorer.json``, written by
``tools/train_scorer.py`` from the development set (leave-one-source-out validated); nothing in
that file is typed by hand. A weights file whose feature list differs from the code's is refused
at load, so a feature change cannot silently pair with stale weights.
"""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Sequence

from ..errors import ConfigError
from .features import FEATURE_NAMES

__all__ = ["Scorer", "DEFAULT_PATH"]

DEFAULT_PATH = Path(str(resources.files("aimds_middleware") / "data" / "scorer.json"))


@dataclass(frozen=True)
class Scorer:
    weights: tuple[float, ...]
    intercept: float
    block_threshold: float
    sanitize_threshold: float
    provenance: dict[str, Any]
    #: nearest-attack similarity from which a text counts as a known attack (a high-severity hit);
    #: set by training just above the closest any benign dev row came to the attack memory
    recall_threshold: float = 2.0

    def score(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(map(operator.mul, self.weights, x))
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def contributions(self, x: Sequence[float]) -> dict[str, float]:
        """Per-feature contribution to the logit (for ``--explain``)."""
        return {n: w * v for n, w, v in zip(FEATURE_NAMES, self.weights, x) if w * v}

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> "Scorer":
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("scorer", f"weights file {p} is missing (run tools/train_scorer.py)") from None
        except (OSError, ValueError) as exc:
            raise ConfigError("scorer", f"weights file {p} is unreadable: {exc}") from None
        names = tuple(data.get("feature_names", ()))
        if names != FEATURE_NAMES:
            raise ConfigError("scorer", f"weights file {p} was trained for other features; retrain it")
        w = tuple(float(v) for v in data["weights"])
        if len(w) != len(names):
            raise ConfigError("scorer", f"weights file {p}: {len(w)} weights for {len(names)} features")
        return cls(w, float(data["intercept"]), float(data["block_threshold"]),
                   float(data["sanitize_threshold"]), dict(data.get("provenance", {})),
                   float(data.get("recall_threshold", 2.0)))
