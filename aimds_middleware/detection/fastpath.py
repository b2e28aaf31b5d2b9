"""The per-request text pass and the choice of its implementation.

``fold(text)`` applies the character table of :mod:`.charmap` and collapses runs of spaces in one
pass, returning the folded text and an offset map (``offsets[i]`` is the index in the original
text of folded character ``i``; one extra trailing entry equals ``len(text)``; ``None`` means the
identity). Two implementations give identical results: the C extension
``aimds_middleware._native`` and the Python/numpy twin below. ``AIMDS_IMPLEMENTATION`` =
``auto`` (native when it was built), ``native`` (required) or ``python`` picks one.

The same pass can also hash the folded text into a signed n-gram vector for the embedder
(``fold_hash``; ``hash_text`` hashes a text that is already folded). The scheme is documented in
native/aimds_hash.h; :func:`hash_text_python` is its numpy twin, bit-identical by test.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ConfigError
from .charmap import ascii_table, fold_char
from .gating import gate_open_python, gate_table_python
from .wordscan import word_scan_python, word_table_python

__all__ = [
    "BACKEND",
    "HASH_VERSION",
    "PYTHON",
    "Backend",
    "backend_name",
    "fold",
    "fold_hash",
    "fold_hash_python",
    "fold_python",
    "hash_text",
    "hash_text_python",
    "select",
    "select_backend",
]

_ASCII = ascii_table()


def fold_python(text: str) -> tuple[str, np.ndarray | None]:
    """Pure-Python/numpy twin of the native fold. See module docstring for the contract."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, not {type(text).__name__}")
    n = len(text)
    if text.isascii():
        mapped = text.encode("ascii").translate(_ASCII).decode("ascii")
        base = None
    else:
        table = {ord(c): fold_char(ord(c)) for c in set(text)}
        mapped = text.translate(table)
        if len(mapped) == n and all(len(v) == 1 for v in table.values()):
            base = None
        else:
            cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            lens = np.ones(n, dtype=np.int64)
            # lengths of the code points that do not map 1:1, looked up by binary search: one
            # pass per distinct code point would be quadratic on hostile text
            odd = sorted((cp, len(rep)) for cp, rep in table.items() if len(rep) != 1)
            keys = np.array([cp for cp, _ in odd], dtype=np.uint32)
            pos = np.minimum(np.searchsorted(keys, cps), len(keys) - 1)
            hit = keys[pos] == cps
            lens[hit] = np.array([k for _, k in odd], dtype=np.int64)[pos[hit]]
            base = np.repeat(np.arange(n, dtype=np.int32), lens)
    if "  " not in mapped:
        if base is None:
            return mapped, None
        return mapped, np.append(base, np.int32(n)).astype(np.int32)
    arr = np.frombuffer(mapped.encode("utf-32-le"), dtype="<u4")
    sp = arr == 32
    keep = np.ones(len(arr), dtype=bool)
    keep[1:] = ~(sp[1:] & sp[:-1])
    folded = arr[keep].tobytes().decode("utf-32-le")
    if base is None:
        base = np.arange(len(arr), dtype=np.int32)
    return folded, np.append(base[keep], np.int32(n)).astype(np.int32)


# ---- n-gram hashing twin (scheme: native/aimds_hash.h) -------------------------------------

HASH_VERSION = 4
_U64 = np.uint64
_MASK64 = (1 << 64) - 1
_B2 = _U64(0x9E3779B97F4A7C15)
_GOLD = 0x9E3779B97F4A7C15
_SEED_T = _U64(0x94D049BB133111EB)
_SEED_W1 = _U64(0x5851F42D4C957F2D)
_SEED_W2 = _U64(0x14057B7EF767814F)
_SEED_EMPTY = 0x2545F4914F6CDD1D
_K = _U64(0xD6E8FEB86659FD93)
_FM1 = _U64(0xFF51AFD7ED558CCD)
_FM2 = _U64(0xC4CEB9FE1A85EC53)
_S33, _S64 = _U64(33), _U64(64)
_ALNUM_ASCII = np.array([chr(b).isalnum() for b in range(128)], dtype=bool)


def _fmix64(x: np.ndarray) -> np.ndarray:
    x ^= x >> _S33
    x *= _FM1
    x ^= x >> _S33
    x *= _FM2
    x ^= x >> _S33
    return x


def _mix(x: np.ndarray) -> np.ndarray:
    x *= _K
    return x


def _rotl(x: np.ndarray, r: np.ndarray | int) -> np.ndarray:
    r = np.asarray(r, dtype=np.uint64) & _U64(63)
    return (x << r) | (x >> ((_S64 - r) & _U64(63)))  # r == 0: x | x


def _empty_bucket(dim: int) -> int:
    return ((_SEED_EMPTY * int(_K)) & _MASK64) >> (64 - (dim.bit_length() - 1))


def hash_text_python(text: str, out: np.ndarray, char_mask: int, char_weight: int, word_weight: int,
                     bigram_weight: int) -> None:
    """numpy twin of the native ``hash_text``: write the hashed vector of ``text`` into ``out``."""
    if not isinstance(text, str):
        raise TypeError(f"expected str, not {type(text).__name__}")
    if not isinstance(out, np.ndarray) or out.dtype != np.float32:
        raise TypeError("out must be a contiguous float32 buffer")
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("out must be a contiguous, writable float32 buffer")
    out = out.reshape(-1)  # a view: any contiguous shape, as the buffer protocol sees it
    dim = out.shape[0]
    if dim < 2 or dim > 1 << 24 or dim & (dim - 1):
        raise ValueError("out must hold a power of two (2..16777216) of floats")
    if char_mask < 0 or char_mask > 0xFE or char_mask & 1:
        raise ValueError("char_mask selects n-gram sizes 1..7 (bits 1..7)")
    m = len(text)
    c = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    t = _fmix64(c ^ _SEED_T)
    hashes: list[np.ndarray] = []
    weights: list[int] = []
    if char_weight:
        g = t.copy()
        for n in range(1, 8):
            if m < n or not char_mask >> n:
                break
            if n > 1:  # g[j] = XOR_{i<n} rotl(t[j-i], i) for the n-gram ending at j (>= n-1)
                g = g[1:] ^ _rotl(t[: m - n + 1], n - 1)
            if char_mask >> n & 1:
                hashes.append(_mix(g ^ _U64((n * _GOLD) & _MASK64)))
                weights.append(char_weight)
    if (word_weight or bigram_weight) and m:
        if text.isascii():
            alnum = _ALNUM_ASCII[c.astype(np.intp)]
        else:
            uniq, inv = np.unique(c, return_inverse=True)
            alnum = np.fromiter((chr(int(u)).isalnum() for u in uniq), dtype=bool, count=len(uniq))[inv]
        edge = np.diff(alnum.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts = np.flatnonzero(edge == 1)
        ends = np.flatnonzero(edge == -1)
        if len(starts):
            # prefix XOR of rotl(t[j], -j): a word [s, e) hashes to rotl(P[e] ^ P[s], e - 1)
            pos = np.arange(m, dtype=np.uint64)
            p = np.zeros(m + 1, dtype=np.uint64)
            p[1:] = np.bitwise_xor.accumulate(_rotl(t, (_S64 - (pos & _U64(63))) & _U64(63)))
            wh = _rotl(p[ends] ^ p[starts], ends.astype(np.uint64) - _U64(1))
            if word_weight:
                hashes.append(_mix(wh ^ _SEED_W1))
                weights.append(word_weight)
            if bigram_weight and len(wh) > 1:
                hashes.append(_mix((wh[:-1] * _B2 + wh[1:]) ^ _SEED_W2))
                weights.append(bigram_weight)
    counts = np.zeros(dim, dtype=np.int64)
    if hashes:
        h = np.concatenate(hashes)
        w = np.repeat(np.array(weights, dtype=np.float64), [len(x) for x in hashes])
        bits = dim.bit_length() - 1
        idx = (h >> _U64(64 - bits)).astype(np.intp)
        signed = np.where((h >> _U64(63 - bits)) & _U64(1) != 0, -w, w)
        counts = np.bincount(idx, weights=signed, minlength=dim).astype(np.int64)
    mag = np.abs(counts)
    total = int(mag.sum())
    if total == 0:
        out[:] = 0.0
        out[_empty_bucket(dim)] = 1.0
        return
    v = np.sqrt(mag.astype(np.float64)) * (1.0 / math.sqrt(float(total)))
    np.negative(v, out=v, where=counts < 0)
    out[:] = v.astype(np.float32)


def fold_hash_python(text: str, out: np.ndarray, char_mask: int, char_weight: int, word_weight: int,
                     bigram_weight: int) -> tuple[str, np.ndarray | None]:
    """Twin of the native ``fold_hash``: ``fold(text)`` plus the hashed vector of the folded text."""
    folded, offsets = fold_python(text)
    hash_text_python(folded, out, char_mask, char_weight, word_weight, bigram_weight)
    return folded, offsets


# ---- back-end selection --------------------------------------------------------------------

@dataclass(frozen=True)
class Backend:
    """One implementation of the hot path; every function has the same contract in each."""

    name: str
    fold: Callable[[str], tuple[str, np.ndarray | None]]
    fold_hash: Callable[..., tuple[str, np.ndarray | None]]
    hash_text: Callable[..., None]
    word_table: Callable[[list[bytes], list[bool]], Any]  # see wordscan.py
    word_scan: Callable[[Any, bytes], tuple[list[int], list[tuple[int, int]]]]
    gate_table: Callable[[list[tuple[int, ...]], list[tuple[tuple[int, int, int], ...]]], Any]  # see gating.py
    gate_open: Callable[[Any, list[int], int], tuple[list[int], list[int]]]


PYTHON = Backend("python", fold_python, fold_hash_python, hash_text_python, word_table_python, word_scan_python,
                 gate_table_python, gate_open_python)
_native_backend: Backend | None = None
_native_error: str | None = None


def _load_native() -> Backend | None:
    global _native_backend, _native_error
    if _native_backend is not None or _native_error is not None:
        return _native_backend
    try:
        from .. import _native  # type: ignore[attr-defined]
    except ImportError as exc:
        _native_error = f"aimds_middleware._native is not built ({exc})"
        return None
    version = getattr(_native, "HASH_VERSION", None)
    if version != HASH_VERSION:
        # a stale build from an older checkout: its hashes would not match stored indexes
        _native_error = f"aimds_middleware._native is stale (hash scheme {version}, need {HASH_VERSION})"
        return None
    if not hasattr(_native, "gate_open"):
        _native_error = "aimds_middleware._native is stale (no gate_open); rebuild it (pip install -e .)"
        return None
    # the uncached function: the extension keeps its own compact table, so hostile text full of
    # distinct code points does not also grow Python's lru_cache behind it
    _native.setup(getattr(fold_char, "__wrapped__", fold_char), _ASCII, np.frombuffer, np.dtype(np.int32))
    _native_backend = Backend("native", _native.fold, _native.fold_hash, _native.hash_text, _native.word_table,
                              _native.word_scan, _native.gate_table, _native.gate_open)
    return _native_backend


def select_backend(mode: str | None = None) -> Backend:
    """The :class:`Backend` for ``mode`` (default: $AIMDS_IMPLEMENTATION, else ``auto``).

    ``native`` raises ImportError when the extension is missing or stale; ``auto`` falls back to
    the Python twin; anything else is a ConfigError.
    """
    mode = (mode or os.environ.get("AIMDS_IMPLEMENTATION") or "auto").strip().lower()
    if mode == "python":
        return PYTHON
    if mode not in ("auto", "native"):
        raise ConfigError("AIMDS_IMPLEMENTATION", f"must be auto, native or python; got {mode!r}")
    native = _load_native()
    if native is not None:
        return native
    if mode == "native":
        raise ImportError(f"AIMDS_IMPLEMENTATION=native but {_native_error}; reinstall with a C compiler "
                          "(pip install -e .) or use AIMDS_IMPLEMENTATION=auto")
    return PYTHON


def select(mode: str | None = None) -> tuple[str, Callable[[str], tuple[str, np.ndarray | None]]]:
    """Return ``(name, fold_function)`` for ``mode`` (see :func:`select_backend`)."""
    b = select_backend(mode)
    return b.name, b.fold


BACKEND = select_backend()
fold = BACKEND.fold
fold_hash = BACKEND.fold_hash
hash_text = BACKEND.hash_text


def backend_name() -> str:
    return BACKEND.name
