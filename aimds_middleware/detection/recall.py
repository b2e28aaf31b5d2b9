"""Memory of known attacks: nearest-neighbour recall over a USearch index.

Attackers reuse and mutate known jailbreaks; a paraphrase that no signature matches often still
sits next to its original in n-gram space. :class:`AttackMemory` keeps one vector per remembered
text (cosine metric, half-precision storage) plus compact metadata columns, and answers
``search(text_or_vector, k)`` with :class:`Neighbour` records the scorer turns into features.

On disk a memory is a directory::

    memory.json           format, embedder identity, names + sha256 + sizes of the two files
                          below, category/source tables, provenance (written last: the commit point)
    index-<sha16>.bin     the USearch index
    rows-<sha16>.bin      one packed record per remembered text (id, label, category, source,
                          added_at, text key): ~24 bytes a row, so 100k rows load in a blink
    A new save writes new files, swaps memory.json, then deletes the old files.

Loading checks the embedder identity, the file size (truncation) and the sha256 (corruption)
before USearch ever parses the file, then memory-maps it (``view=True``). A mapped index is
read-only; the first ``add``/``remove`` copies it into RAM. Every public method takes one lock, so
``add``/``remove`` are safe while other threads search (the Guard's ``feedback`` adds confirmed
attacks while requests are being inspected).
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import usearch.index
from usearch.index import Index

from ..errors import AttackIndexError
from .embed import Embedder, HashingEmbedder, default_embedder

__all__ = ["DEFAULT_DIR", "AttackMemory", "Neighbour", "load_default"]

log = logging.getLogger("aimds_middleware")

FORMAT = "aimds-attack-memory/1"
META_FILE = "memory.json"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "memory"
_DTYPES = ("f16", "bf16", "i8", "f32")
_MAX_EXTRA_CHARS = 2000  # per-row free-form metadata kept with a learned row
_ROW_DTYPE = np.dtype([("id", "<u8"), ("label", "i1"), ("category", "<u2"), ("source", "<u4"),
                       ("added_at", "<f8"), ("text_key", "<u8")])


@dataclass(frozen=True)
class Neighbour:
    """One remembered text near the query. ``similarity`` is the cosine in [-1, 1]."""

    id: int
    similarity: float
    category: str
    source: str
    label: int  # 1 = attack, 0 = confirmed benign (a remembered false positive)


_SCALAR_UNKNOWN: Any = getattr(getattr(usearch.index, "ScalarKind", None), "Unknown", None)


def _check_k(k: Any) -> None:
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")


def _has_repeats(ids: np.ndarray) -> bool:
    # (np.unique would import numpy.ma: 15 ms of every Guard())
    ordered = np.sort(ids)
    return bool((ordered[1:] == ordered[:-1]).any())


def _text_key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_file(directory: Path, prefix: str, write: Any) -> dict[str, Any]:
    """Write via ``write(tmp_path)``, then rename to ``<prefix>-<sha16>.bin``: a reader never sees
    a half-written file under a name memory.json points to."""
    fd, tmp = tempfile.mkstemp(prefix=f".{prefix}-", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        write(tmp)
        digest = _sha256_file(Path(tmp))
        size = os.path.getsize(tmp)
        name = f"{prefix}-{digest[:16]}.bin"
        os.replace(tmp, directory / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"file": name, "sha256": digest, "bytes": size}


def _checked_file(directory: Path, meta_path: Path, info: dict[str, Any]) -> Path:
    """The data file ``info`` describes, after checking its name, size and sha256."""
    fname = str(info["file"])
    if os.path.basename(fname) != fname or not fname.endswith(".bin"):
        raise AttackIndexError(meta_path, f"bad data file name {fname!r}")
    path = directory / fname
    try:
        size = os.path.getsize(path)
    except OSError:
        raise AttackIndexError(path, "data file is missing") from None
    if size != int(info["bytes"]):
        raise AttackIndexError(path, f"data file is truncated or altered: {size} bytes, expected {info['bytes']}")
    if _sha256_file(path) != info["sha256"]:
        raise AttackIndexError(path, "data file is corrupted (sha256 mismatch)")
    return path


def _embedder_identity(e: Embedder) -> dict[str, Any]:
    ident: dict[str, Any] = {"name": e.name, "dim": int(e.dim)}
    config = getattr(e, "config", None)
    if callable(config):
        ident["config"] = config()
    return ident


class _Codes:
    """A small string table: category and source names are stored once, rows hold codes."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []
        self.codes: dict[str, int] = {}
        for n in names:
            self.code(n)

    def code(self, name: str) -> int:
        c = self.codes.get(name)
        if c is None:
            c = self.codes[name] = len(self.names)
            self.names.append(name)
        return c


class AttackMemory:
    """USearch index of known attack texts with metadata (see module docstring).

    ``dtype`` is the stored scalar: ``i8`` by default — measured in bench/recall_speed.py against
    f16/bf16 on 128-d hashed vectors it is the fastest and smallest and finds the exact nearest
    neighbour as often; ``connectivity``/``expansion_search`` were set there too (near-duplicates
    of a query missed < 1% of the time at 10k vectors). ``path`` + ``autosave=True`` persist
    after every change.
    """

    def __init__(self, embedder: Embedder | None = None, *, dtype: str = "i8", connectivity: int = 24,
                 expansion_add: int = 128, expansion_search: int = 40, path: str | os.PathLike[str] | None = None,
                 autosave: bool = False) -> None:
        if dtype not in _DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(_DTYPES)}; got {dtype!r}")
        self.embedder: Embedder = embedder if embedder is not None else default_embedder()
        self.dim = int(self.embedder.dim)
        self.dtype = dtype
        self._index_kw = {"connectivity": connectivity, "expansion_add": expansion_add,
                          "expansion_search": expansion_search}
        self._index = Index(ndim=self.dim, metric="cos", dtype=dtype, **self._index_kw)
        self._viewed = False
        self._lock = threading.RLock()
        self.path = Path(path) if path is not None else None
        self.autosave = autosave
        self.provenance: dict[str, Any] = {}
        self._categories = _Codes()
        self._sources = _Codes()
        self._extra: dict[int, dict[str, Any]] = {}
        self._next_id = 0
        self._alive_count = 0
        #: bumped by every add/remove: results computed against an older memory are stale
        self.generation = 0
        self._grow(0)

    # -- columns -------------------------------------------------------------------------------
    def _grow(self, need: int) -> None:
        old = getattr(self, "_label", None)
        n = 0 if old is None else len(old)
        if old is not None and n >= need:
            return
        cap = max(64, need, 2 * n)  # doubling: adds stay amortised O(1)
        for name, dt in (("_label", np.int8), ("_cat", np.uint16), ("_src", np.uint32),
                         ("_added", np.float64), ("_key", np.uint64), ("_alive", bool)):
            arr = np.zeros(cap, dtype=dt)
            if old is not None:
                arr[:n] = getattr(self, name)
            setattr(self, name, arr)

    @property
    def expansion_search(self) -> int:
        """HNSW search breadth: lower is faster, higher misses fewer near-duplicates (see
        bench/recall_speed.py). Adjustable at run time, e.g. from a latency budget."""
        return int(self._index.expansion_search)

    @expansion_search.setter
    def expansion_search(self, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4096:
            raise ValueError(f"expansion_search must be an int in 1..4096, got {value!r}")
        with self._lock:
            self._index.expansion_search = value
            self._index_kw["expansion_search"] = value

    def __len__(self) -> int:
        return self._alive_count

    def __repr__(self) -> str:
        return f"AttackMemory({self._alive_count} texts, {self.embedder.name}, {self.dtype})"

    def _vector(self, query: str | np.ndarray) -> np.ndarray:
        if isinstance(query, str):
            vec = self.embedder.embed([query])[0]
        elif isinstance(query, np.ndarray):
            vec = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
        else:
            raise TypeError(f"query must be str or a numpy vector, not {type(query).__name__}")
        if vec.shape != (self.dim,):
            raise ValueError(f"query vector has {vec.shape[0]} dimensions; this memory has {self.dim}")
        if not np.isfinite(vec).all():
            raise ValueError("query vector contains NaN or infinite values")
        return vec

    def _row(self, key: int, similarity: float) -> Neighbour:
        return Neighbour(key, similarity, self._categories.names[self._cat[key]],
                         self._sources.names[self._src[key]], int(self._label[key]))

    # -- queries -------------------------------------------------------------------------------
    def search(self, query: str | np.ndarray, k: int = 5) -> list[Neighbour]:
        """The ``k`` nearest remembered texts, most similar first (fewer if the memory is small)."""
        _check_k(k)
        return self._search_vector(self._vector(query), k)

    def _search_vector(self, vec: np.ndarray, k: int) -> list[Neighbour]:
        with self._lock:
            if not self._alive_count:
                return []
            keys, dist = self._search_one(vec, min(k, self._alive_count))
            cat, src, label = self._cat, self._src, self._label
            cn, sn = self._categories.names, self._sources.names
            # a handful of rows: scalar lookups beat three fancy-indexed copies
            return [Neighbour(key, 1.0 - d, cn[cat[key]], sn[src[key]], int(label[key]))
                    for key, d in zip(keys.tolist(), dist.tolist())]

    def search_folded(self, folded: str, k: int = 5) -> list[Neighbour]:
        """``search`` for a text that already went through ``fastpath.fold`` (the engine has it):
        skips the second fold, and equals ``search(original_text)`` for the hashing embedder.
        Other embedders get the folded text as is."""
        if not isinstance(folded, str):
            raise TypeError(f"folded must be str, not {type(folded).__name__}")
        embed_folded = getattr(self.embedder, "embed_folded", None)
        if embed_folded is None:
            return self.search(folded, k)
        _check_k(k)
        # the hashing embedder's own output: float32, this dimension, finite by construction —
        # the checks _vector makes on a caller's vector would cost ~1.5 us per request
        return self._search_vector(embed_folded(folded), k)

    def _search_one(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, distances) of one query. The compiled entry point skips ~5 us of argument
        checking in usearch's Python wrapper (the recall stage runs on every request); the public
        method is the fallback should that attribute ever go away."""
        compiled = getattr(self._index, "_compiled", None)
        if compiled is not None and _SCALAR_UNKNOWN is not None:
            keys, dist, counts = compiled.search_many(vec.reshape(1, -1), count=k, exact=False, threads=1,
                                                      dtype=_SCALAR_UNKNOWN)[:3]
            n = int(counts[0])
            return keys[0, :n], dist[0, :n]
        m = self._index.search(vec, k, threads=1)
        return np.asarray(m.keys), np.asarray(m.distances)

    def search_vectors(self, vectors: np.ndarray, k: int = 5, *, threads: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Batch search for evaluation: ``(ids int64 (n, k), similarity float32 (n, k))``; missing
        neighbours (memory smaller than k) are id -1 with similarity -1 (the minimum cosine)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"vectors must have shape (n, {self.dim})")
        n = len(vectors)
        ids = np.full((n, k), -1, dtype=np.int64)
        sims = np.full((n, k), -1.0, dtype=np.float32)
        with self._lock:
            if not self._alive_count or not n:
                return ids, sims
            bm = self._index.search(vectors, k, threads=threads)
            keys = np.asarray(bm.keys).reshape(n, -1)
            dist = np.asarray(bm.distances).reshape(n, -1)
            counts = np.asarray(bm.counts).reshape(n)
        valid = np.arange(keys.shape[1])[None, :] < counts[:, None]
        ids[:, : keys.shape[1]] = np.where(valid, keys.astype(np.int64), -1)
        sims[:, : keys.shape[1]] = np.where(valid, 1.0 - np.where(valid, dist, 0.0), -1.0)  # no NaN math
        return ids, sims

    def info(self, id: int) -> dict[str, Any] | None:
        """Metadata of one remembered text, or None when the id is unknown or removed."""
        with self._lock:
            id = self._valid_id(id)
            if id is None:
                return None
            row = self._row(id, 1.0)
            return {"id": id, "label": row.label, "category": row.category, "source": row.source,
                    "added_at": float(self._added[id]), **self._extra.get(id, {})}

    def _valid_id(self, id: Any) -> int | None:
        try:
            i = operator.index(id)
        except TypeError:
            raise TypeError(f"id must be an int, not {type(id).__name__}") from None
        return i if 0 <= i < self._next_id and self._alive[i] else None

    # -- changes -------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self._viewed:  # a memory-mapped index is immutable: copy it into RAM once
            self._index = self._index.copy()
            self._viewed = False

    def _append(self, key: int, label: int, category: str, source: str, added: float, tkey: int) -> None:
        self._grow(key + 1)
        self._label[key] = label
        self._cat[key] = self._categories.code(category)
        self._src[key] = self._sources.code(source)
        self._added[key] = added
        self._key[key] = tkey
        self._alive[key] = True

    def add(self, text: str, label: int = 1, meta: dict[str, Any] | None = None) -> int:
        """Remember ``text``; returns its id. Re-adding an identical text returns the existing id.

        ``meta`` may hold ``category`` and ``source`` (strings) and other JSON-serialisable
        fields kept with the row (e.g. ``verdict_id``). ``label`` is 1 for an attack, 0 for a
        confirmed false positive.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        if label not in (0, 1) or isinstance(label, bool):
            raise ValueError("label must be 1 (attack) or 0 (benign)")
        meta = dict(meta or {})
        category = str(meta.pop("category", "known_attack" if label else "benign"))
        source = str(meta.pop("source", "unknown"))
        extra = json.loads(json.dumps(meta, default=str)) if meta else {}
        if len(json.dumps(extra)) > _MAX_EXTRA_CHARS:
            raise ValueError(f"meta is too large (> {_MAX_EXTRA_CHARS} characters as JSON)")
        vec = self._vector(text)
        tkey = _text_key(text)
        with self._lock:
            if self._alive_count:
                m = self._index.search(vec, 1, threads=1)
                if len(m.keys):
                    near = int(m.keys[0])
                    if self._alive[near] and int(self._key[near]) == tkey and m.distances[0] < 1e-3:
                        return near
            self._writable()
            key = self._next_id
            self._index.add(key, vec, threads=1)
            self._append(key, int(label), category, source, time.time(), tkey)
            if extra:
                self._extra[key] = extra
            self._next_id += 1
            self._alive_count += 1
            self.generation += 1
            if self.autosave and self.path is not None:
                self._save_locked(self.path)
            return key

    def remove(self, id: int) -> bool:
        """Forget one text. Returns False when the id is unknown or already removed."""
        with self._lock:
            id = self._valid_id(id)
            if id is None:
                return False
            self._writable()
            self._index.remove(id)
            self._alive[id] = False
            self._extra.pop(id, None)
            self._alive_count -= 1
            self.generation += 1
            if self.autosave and self.path is not None:
                self._save_locked(self.path)
            return True

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, texts: Sequence[str] | None, metas: Sequence[dict[str, Any]] | None = None,
              embedder: Embedder | None = None, *, vectors: np.ndarray | None = None,
              labels: Sequence[int] | None = None, threads: int = 0, added_at: float | None = None,
              **kwargs: Any) -> AttackMemory:
        """An in-memory memory of ``texts`` (ids 0..n-1 in order). Pass precomputed ``vectors``
        (from the same embedder) to build many memories cheaply, e.g. one per left-out source.
        ``added_at`` stamps every row (default: now)."""
        mem = cls(embedder, **kwargs)
        if vectors is None:
            if texts is None:
                raise ValueError("build() needs texts or vectors")
            vectors = mem.embedder.embed(texts)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n = len(vectors)
        if vectors.ndim != 2 or vectors.shape[1] != mem.dim:
            raise ValueError(f"vectors must have shape (n, {mem.dim})")
        if texts is not None and len(texts) != n:
            raise ValueError("texts and vectors differ in length")
        if metas is not None and len(metas) != n:
            raise ValueError("metas and texts differ in length")
        if labels is not None and len(labels) != n:
            raise ValueError("labels and texts differ in length")
        now = time.time() if added_at is None else float(added_at)
        mem._grow(n)
        for i in range(n):
            meta = metas[i] if metas is not None else {}
            label = int(labels[i]) if labels is not None else 1
            mem._append(i, label, str(meta.get("category", "known_attack" if label else "benign")),
                        str(meta.get("source", "unknown")), now,
                        _text_key(texts[i]) if texts is not None else 0)
        if n:
            mem._index.add(np.arange(n, dtype=np.uint64), vectors, threads=threads)
        mem._next_id = mem._alive_count = n
        return mem

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the memory to directory ``path`` (default: ``self.path``) atomically."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("save() needs a path (none was set on this memory)")
        with self._lock:
            return self._save_locked(target)

    def _save_locked(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        alive = np.flatnonzero(self._alive[: self._next_id])
        rows = np.zeros(len(alive), dtype=_ROW_DTYPE)
        rows["id"] = alive
        rows["label"] = self._label[alive]
        rows["category"] = self._cat[alive]
        rows["source"] = self._src[alive]
        rows["added_at"] = self._added[alive]
        rows["text_key"] = self._key[alive]
        index_info = _write_file(directory, "index", lambda p: self._index.save(p))
        rows_info = _write_file(directory, "rows", rows.tofile)
        meta = {
            "format": FORMAT,
            "embedder": _embedder_identity(self.embedder),
            "index": {**index_info, "dtype": self.dtype, "metric": "cos", **self._index_kw},
            "rows": {**rows_info, "record": "id:u8 label:i1 category:u2 source:u4 added_at:f8 text_key:u8"},
            "count": len(alive),
            "next_id": self._next_id,
            "categories": self._categories.names,
            "sources": self._sources.names,
            "extra": {str(k): v for k, v in self._extra.items()},
            "provenance": self.provenance,
        }
        fd, tmp = tempfile.mkstemp(prefix=".memory-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(meta, f, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, directory / META_FILE)  # the commit point
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        keep = {index_info["file"], rows_info["file"]}
        for old in [*directory.glob("index-*.bin"), *directory.glob("rows-*.bin")]:
            if old.name not in keep:  # readers that mapped an old index keep their mapping
                old.unlink(missing_ok=True)
        return directory

    @classmethod
    def load(cls, path: str | os.PathLike[str], embedder: Embedder | None = None, *, view: bool = True,
             autosave: bool = False) -> AttackMemory:
        """Load a saved memory; :class:`AttackIndexError` (naming the file) when it is missing,
        truncated, corrupted or was built by a different embedder. ``view=True`` memory-maps."""
        directory = Path(path)
        meta_path = directory / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AttackIndexError(meta_path, "attack memory metadata is missing") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AttackIndexError(meta_path, f"unreadable attack memory metadata ({exc})") from None
        try:
            return cls._from_meta(directory, meta_path, meta, embedder, view, autosave)
        except AttackIndexError:
            raise
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise AttackIndexError(meta_path, f"malformed attack memory metadata ({type(exc).__name__}: {exc})") from None

    @classmethod
    def _from_meta(cls, directory: Path, meta_path: Path, meta: dict[str, Any], embedder: Embedder | None,
                   view: bool, autosave: bool) -> AttackMemory:
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise AttackIndexError(meta_path, f"not an attack memory of format {FORMAT}")
        stored = meta["embedder"]
        if embedder is None:
            cfg = stored.get("config") or {}
            if cfg.get("kind") != "hashing":
                raise AttackIndexError(meta_path, f"built with embedder {stored['name']!r}; pass that embedder")
            try:
                embedder = HashingEmbedder.from_config(cfg)
            except ValueError as exc:
                raise AttackIndexError(meta_path, f"built with an embedder this version lacks ({exc})") from None
        if stored["name"] != embedder.name or int(stored["dim"]) != int(embedder.dim):
            raise AttackIndexError(meta_path, f"built with embedder {stored['name']!r} (dim {stored['dim']}), "
                                              f"not {embedder.name!r} (dim {embedder.dim})")
        info = meta["index"]
        index_path = _checked_file(directory, meta_path, info)
        rows_path = _checked_file(directory, meta_path, meta["rows"])
        kw = {k: int(info[k]) for k in ("connectivity", "expansion_add", "expansion_search") if k in info}
        mem = cls(embedder, dtype=str(info["dtype"]), **kw)
        try:
            hdr = Index.metadata(str(index_path))
            if not hdr or int(hdr["dimensions"]) != mem.dim:
                raise AttackIndexError(index_path, f"index header does not describe a {mem.dim}-d index")
            if str(hdr["kind_scalar"].name).lower() != mem.dtype or str(hdr["kind_metric"].name).lower() != "cos":
                raise AttackIndexError(index_path, f"index header says {hdr['kind_scalar'].name}/"
                                                   f"{hdr['kind_metric'].name}, metadata says {mem.dtype}/cos")
            if view:
                mem._index.view(str(index_path))
            else:
                mem._index.load(str(index_path))
        except AttackIndexError:
            raise
        except Exception as exc:  # noqa: BLE001 - USearch raises RuntimeError/ValueError variants
            raise AttackIndexError(index_path, f"USearch could not open the index ({exc})") from None
        mem._viewed = view
        rows = np.fromfile(rows_path, dtype=_ROW_DTYPE)
        ids = rows["id"].astype(np.int64)
        n_next = int(meta["next_id"])
        if len(ids) != int(meta["count"]) or len(mem._index) != len(ids) or (len(ids) and (
                ids.max() >= n_next or _has_repeats(ids)
                or not np.all(mem._index.contains(rows["id"])))):
            raise AttackIndexError(meta_path, "metadata rows do not match the index")
        mem._categories = _Codes(map(str, meta["categories"]))
        mem._sources = _Codes(map(str, meta["sources"]))
        if len(ids) and (rows["category"].max() >= len(mem._categories.names)
                         or rows["source"].max() >= len(mem._sources.names)):
            raise AttackIndexError(meta_path, "metadata codes point outside their tables")
        mem._grow(n_next)
        mem._label[ids] = rows["label"]
        mem._cat[ids] = rows["category"]
        mem._src[ids] = rows["source"]
        mem._added[ids] = rows["added_at"]
        mem._key[ids] = rows["text_key"]
        mem._alive[ids] = True
        mem._extra = {int(k): v for k, v in meta.get("extra", {}).items()}
        mem._next_id = n_next
        mem._alive_count = len(ids)
        mem.provenance = dict(meta.get("provenance") or {})
        mem.path = directory if autosave else None
        mem.autosave = autosave
        return mem


def load_default(strict: bool = False, telemetry: Any = None, embedder: Embedder | None = None,
                 path: str | os.PathLike[str] | None = None) -> AttackMemory | None:
    """The shipped seed memory (``aimds_middleware/data/memory``), memory-mapped.

    When it is missing, corrupted or mismatched: ``strict=True`` raises :class:`AttackIndexError`;
    otherwise the problem is reported through ``telemetry.on_warning("recall_index", ...)``
    (counted) or, without telemetry, logged as a warning, and None is returned (no recall).
    Learned additions stay in RAM: the package directory is never written to.
    """
    try:
        return AttackMemory.load(path if path is not None else DEFAULT_DIR, embedder, view=True)
    except AttackIndexError as exc:
        if strict:
            raise
        msg = f"vector recall disabled: {exc}"
        if telemetry is not None:
            telemetry.on_warning("recall_index", msg)
        else:
            log.warning("aimds %s", msg)
        return None
