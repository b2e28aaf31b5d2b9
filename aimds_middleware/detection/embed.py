"""Text embedders for the memory of known attacks (:mod:`.recall`).

An embedder turns texts into a float32 matrix ``(n, dim)``; ``name`` and ``dim`` identify it and
are stored with every index built from it, so a mismatch is caught at load time.

* :class:`HashingEmbedder` (default) — signed feature hashing of the *folded* text's character
  3- and 4-grams (the fold of :mod:`.fastpath`: case, width, accents, invisibles and whitespace
  runs removed), square-root damped and L2-normalised. No model, no download; the C extension
  does fold + hash of 2 KiB in a few microseconds, the numpy twin gives bit-identical vectors.
  The n-gram sizes and word features were chosen on the dev set, scoring every text by its
  nearest attack from *other* sources: word uni/bigrams and 5-grams did not help and cost time.
  128 dimensions scored like 256 there and make the HNSW search both faster and more exact
  (fewer missed near-duplicates at the same search effort; bench/recall_speed.py).
* :class:`CallableEmbedder` — wraps a user function ``fn(list[str]) -> array (n, dim)`` (e.g. a
  sentence-transformer the host already loaded). Nothing here downloads weights.

Empty or whitespace-only text embeds to a fixed unit vector (never zero, never NaN).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from . import fastpath
from .fastpath import HASH_VERSION, Backend

__all__ = ["CallableEmbedder", "Embedder", "HashingEmbedder", "default_embedder"]


@runtime_checkable
class Embedder(Protocol):
    """What the attack memory needs from an embedder."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape ``(len(texts), dim)``."""
        ...


def _as_texts(texts: Sequence[str]) -> Sequence[str]:
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts; use embed_one() for a single text")
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(f"texts must be str, not {type(t).__name__}")
    return texts


class HashingEmbedder:
    """Signed n-gram feature hashing over folded text (see module docstring).

    ``char_ngrams`` are sizes in 1..7; weights are small integers (0 turns a family off) so both
    back ends count exactly. ``backend`` pins an implementation (tests); by default the one chosen
    by ``AIMDS_IMPLEMENTATION``.
    """

    def __init__(self, dim: int = 128, char_ngrams: Sequence[int] = (3, 4), *, char_weight: int = 1,
                 word_weight: int = 0, bigram_weight: int = 0, backend: Backend | None = None) -> None:
        if not isinstance(dim, int) or isinstance(dim, bool) or dim < 16 or dim > 65536 or dim & (dim - 1):
            raise ValueError(f"dim must be a power of two in 16..65536, got {dim!r}")
        ns = tuple(sorted(set(char_ngrams)))
        if any(not isinstance(n, int) or not 1 <= n <= 7 for n in ns):
            raise ValueError(f"char_ngrams must be sizes in 1..7, got {char_ngrams!r}")
        for label, w in (("char_weight", char_weight), ("word_weight", word_weight),
                         ("bigram_weight", bigram_weight)):
            if not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= 1000:
                raise ValueError(f"{label} must be an int in 0..1000, got {w!r}")
        if not (ns and char_weight) and not word_weight and not bigram_weight:
            raise ValueError("at least one feature family must be on")
        self.dim = dim
        self.char_ngrams = ns
        self._params = (sum(1 << n for n in ns), char_weight, word_weight, bigram_weight)
        self._backend = backend
        words = f"-w{word_weight},{bigram_weight}" if word_weight or bigram_weight else ""
        self.name = f"hashing-v{HASH_VERSION}-d{dim}-c{''.join(map(str, ns))}x{char_weight}{words}"

    # -- identity ------------------------------------------------------------------------------
    def config(self) -> dict[str, Any]:
        """JSON-friendly parameters; :meth:`from_config` rebuilds an identical embedder."""
        _, cw, ww, bw = self._params
        return {"kind": "hashing", "version": HASH_VERSION, "dim": self.dim,
                "char_ngrams": list(self.char_ngrams), "char_weight": cw, "word_weight": ww,
                "bigram_weight": bw}

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> HashingEmbedder:
        if cfg.get("kind") != "hashing" or cfg.get("version") != HASH_VERSION:
            raise ValueError(f"not a hashing embedder of scheme v{HASH_VERSION}: {cfg!r}")
        return cls(int(cfg["dim"]), tuple(cfg["char_ngrams"]), char_weight=int(cfg["char_weight"]),
                   word_weight=int(cfg["word_weight"]), bigram_weight=int(cfg["bigram_weight"]))

    def __repr__(self) -> str:
        return f"HashingEmbedder({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HashingEmbedder) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    @property
    def backend(self) -> Backend:
        return self._backend or fastpath.BACKEND

    # -- embedding -----------------------------------------------------------------------------
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = _as_texts(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        fold_hash = self.backend.fold_hash
        for i, text in enumerate(texts):
            fold_hash(text, out[i], *self._params)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        out = np.empty(self.dim, dtype=np.float32)
        self.backend.fold_hash(text, out, *self._params)
        return out

    def fold_embed(self, text: str) -> tuple[str, np.ndarray | None, np.ndarray]:
        """``(folded, offsets, vector)`` in one pass: what ``fastpath.fold`` returns, plus the vector."""
        out = np.empty(self.dim, dtype=np.float32)
        folded, offsets = self.backend.fold_hash(text, out, *self._params)
        return folded, offsets, out

    def embed_folded(self, folded: str) -> np.ndarray:
        """The vector of a text that already went through ``fastpath.fold`` (no second fold):
        ``embed_folded(fold(t)[0])`` equals ``embed_one(t)``."""
        out = np.empty(self.dim, dtype=np.float32)
        self.backend.hash_text(folded, out, *self._params)
        return out


class CallableEmbedder:
    """Adapter for a user function ``fn(list[str]) -> array-like (n, dim)``.

    The output is checked (shape, finite) and cast to float32; the function is the caller's, so
    it loads whatever it needs itself — this class never fetches anything.
    """

    def __init__(self, fn: Callable[[list[str]], Any], name: str, dim: int) -> None:
        if not callable(fn):
            raise TypeError("fn must be callable")
        if not isinstance(name, str) or not name.strip():
            raise ValueError("name must be a non-empty str (it is stored with every index)")
        if not isinstance(dim, int) or isinstance(dim, bool) or dim < 1:
            raise ValueError(f"dim must be a positive int, got {dim!r}")
        self.fn = fn
        self.name = name
        self.dim = dim

    def __repr__(self) -> str:
        return f"CallableEmbedder({self.name!r}, dim={self.dim})"

    def config(self) -> dict[str, Any]:
        return {"kind": "callable", "name": self.name, "dim": self.dim}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(_as_texts(texts))
        out = np.asarray(self.fn(texts), dtype=np.float32)
        if out.shape != (len(texts), self.dim):
            raise ValueError(f"embedder {self.name!r} returned shape {out.shape}, "
                             f"expected {(len(texts), self.dim)}")
        if not np.isfinite(out).all():
            raise ValueError(f"embedder {self.name!r} returned NaN or infinite values")
        return np.ascontiguousarray(out)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


_DEFAULT: HashingEmbedder | None = None


def default_embedder() -> HashingEmbedder:
    """The shipped embedder (the one the seed memory was built with)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = HashingEmbedder()
    return _DEFAULT
