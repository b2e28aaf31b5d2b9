"""Literal words and candidate regex rules of a text, found in one Hyperscan pass (opt-in).

RE2 sets need one pass per set and pyahocorasick one more for the literals; Hyperscan matches
hundreds of patterns and words in one vectorised pass (~15 µs per 2 KiB here). Regex rules are
compiled with ``HS_FLAG_PREFILTER`` (a rule may be reported that does not match; RE2 confirms each
candidate and gives the span). Words report every occurrence, like the Aho-Corasick automaton.

**Not the default**, because the engine in the ``hyperscan`` wheel (vectorscan 5.4.12) misses
matches: three bugs were found here — a word-boundary case, a SINGLEMATCH case (both worked
around), and one that depends on which other patterns share the database (a rule missed on 14
of the 8,148 dev texts, in exact and prefilter mode alike; no workaround found). A prefilter that
can miss is a detection loss, so RE2 + Aho-Corasick stay the default and this plan is opt-in for
users who prefer ~2× faster scans; tests/test_hyperscan.py measures the disagreement.

Compiling the database is slow (seconds for the shipped packs), so it happens once per pattern set
per machine: in a background thread (the compiler releases the GIL) while RE2 serves, then saved
to a cache file (checksummed, written atomically) that later processes load in ~0.1 s, also in the
background.

``AIMDS_REGEX_ENGINE``: ``re2`` (default), ``auto`` (Hyperscan when installed, built in the
background while RE2 serves), ``hyperscan`` (build now, before the first scan; an error if not
installed).
The cache lives in ``AIMDS_CACHE_DIR`` (default ``$XDG_CACHE_HOME/aimds-middleware``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import threading
import time
import weakref
from typing import Any, Callable, Iterator, Mapping, Sequence

from .disk_cache import KEEP, cache_dir, prune, touch, write_atomic

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock, each process builds
    fcntl = None  # type: ignore[assignment]

__all__ = ["HyperscanPrefilter", "available", "engine_setting"]

log = logging.getLogger("aimds_middleware.detection")

try:  # optional: wheels exist for Linux x86-64; elsewhere RE2 + pyahocorasick serve alone
    import hyperscan as _hs
except ImportError:  # pragma: no cover - depends on the platform
    _hs = None

_MAGIC = b"AIMDSHS1"
# No HS_FLAG_SINGLEMATCH: with it, the bundled engine missed "no moral" at the end of a 23-byte
# text once two unrelated patterns shared the database (three patterns reproduce it; fine
# without the flag). The matcher removes repeated reports of a rule instead.
_REGEX_FLAGS = (_hs.HS_FLAG_UTF8 | _hs.HS_FLAG_PREFILTER) if _hs else 0
_WORD_FLAGS = _hs.HS_FLAG_UTF8 if _hs else 0


def available() -> bool:
    return _hs is not None


def engine_setting() -> str:
    value = os.environ.get("AIMDS_REGEX_ENGINE", "re2").strip().lower() or "re2"
    if value not in ("auto", "hyperscan", "re2"):
        raise ValueError(f"AIMDS_REGEX_ENGINE must be auto, hyperscan or re2, not {value!r}")
    if value == "hyperscan" and _hs is None:
        raise ImportError("AIMDS_REGEX_ENGINE=hyperscan but the 'hyperscan' package is not installed: "
                          'pip install "aimds-middleware[hyperscan]" (Linux x86-64 wheels)')
    return value


class HyperscanPrefilter:
    """A Hyperscan database over ``patterns``: (id, pattern, is_word) triples. A word is a plain
    string reported at every occurrence; anything else is an RE2 pattern in prefilter mode.

    ``ready`` turns true once the database is loaded or built; ``on_ready`` (if given) is then
    called with the prefilter, from the loading thread, so the owner can swap plans. Regex
    patterns Hyperscan cannot compile are left out and listed in ``rejected`` (the owner keeps
    them on RE2); every word must compile.
    """

    def __init__(self, patterns: Sequence[tuple[int, str, bool]], *, background: bool = True,
                 on_ready: Callable[[HyperscanPrefilter], None] | None = None,
                 must_match: Callable[[], Mapping[int, Sequence[bytes]]] | None = None) -> None:
        if _hs is None:
            raise ImportError("hyperscan is not installed")
        self.patterns = tuple(patterns)
        #: called when building: per regex id, texts RE2 matches. A pattern the new database
        #: does not report on one of them is refused (Hyperscan has had matching bugs; RE2 then
        #: serves that rule). Not part of the cache key: the verdict is stored with the database.
        self._must_match = must_match
        self.accepted: frozenset[int] = frozenset()  # regex ids in the database
        self.rejected: frozenset[int] = frozenset()  # regex ids Hyperscan refused
        self.error: str | None = None
        self.origin = ""  # "cache" or "built" once ready
        self.cache_problem: str | None = None  # why a cache file was not used, if one was there
        self._db: Any = None
        self._local = threading.local()
        self._on_ready = on_ready
        self._done = threading.Event()
        key = json.dumps([getattr(_hs, "__version__", "?"), _REGEX_FLAGS, _WORD_FLAGS, self.patterns])
        self.cache_path = cache_dir() / f"regex-{hashlib.sha256(key.encode()).hexdigest()[:32]}.hsdb"
        if background:
            self._spawn()
            # a fork (gunicorn --preload, multiprocessing) copies this object but not the thread
            # building it: the child starts its own, which loads the file the parent writes
            ref = weakref.ref(self)
            os.register_at_fork(after_in_child=lambda: _restart_in_child(ref))
        else:
            self._start()

    def _spawn(self) -> None:
        threading.Thread(target=self._start, name="aimds-hyperscan", daemon=True).start()

    @property
    def ready(self) -> bool:
        return self._db is not None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loaded or built (or failed); True when ready."""
        self._done.wait(timeout)
        return self.ready

    def scan(self, raw: bytes) -> list[tuple[int, int]]:
        """(id, end byte offset) of each match in ``raw``, which must be valid UTF-8: every
        occurrence of a word, one or more per candidate regex (possibly a false candidate)."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:  # one scratch space per thread: Hyperscan's rule for concurrent scans
            scratch = self._local.scratch = _hs.Scratch(self._db)
        return _scan(self._db, scratch, raw)

    # ---- load / build / cache -----------------------------------------------------------------
    def _start(self) -> None:
        t0 = time.monotonic()
        try:
            if self._load():
                self.origin = "cache"
            else:
                with self._build_lock():
                    if self._load():  # another process built it while we waited
                        self.origin = "cache"
                    else:
                        self._build()
                        self.origin = "built"
                        self._save()
            if self._on_ready is not None:
                self._on_ready(self)
            log.info("hyperscan database ready (%s, %d regex rules, %d refused) in %.1f s",
                     self.origin, len(self.accepted), len(self.rejected), time.monotonic() - t0)
        except Exception as exc:  # RE2 keeps serving; say why once
            self._db = None
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("hyperscan unavailable, regex rules stay on RE2: %s", self.error)
        finally:
            self._done.set()

    @contextlib.contextmanager
    def _build_lock(self) -> Iterator[None]:
        """One builder per machine: processes that start together (workers, test runs) wait for
        the first one's file instead of each spending a core for ~10 s. No lock when the cache
        directory cannot be written (each process then builds for itself)."""
        lock_path = self.cache_path.with_suffix(".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield
            return
        with _lock_fds_guard:
            _lock_fds.add(fd)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes, also if the process dies
            yield
        finally:
            with _lock_fds_guard:
                _lock_fds.discard(fd)
            os.close(fd)

    def _compile(self, items: Sequence[tuple[int, str, bool]]) -> Any:
        db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        db.compile(expressions=[(_escape(p) if word else p).encode("utf-8") for _, p, word in items],
                   ids=[i for i, _, _ in items], elements=len(items),
                   flags=[_WORD_FLAGS if word else _REGEX_FLAGS for _, _, word in items])
        return db

    def _build(self) -> None:
        items = list(self.patterns)
        rejected: set[int] = set()
        try:
            db = self._compile(items)
        except _hs.error:
            # one pattern Hyperscan cannot take fails the whole batch: find which, once per machine
            for item in items:
                if not item[2]:
                    try:
                        self._compile([item])
                    except _hs.error:
                        rejected.add(item[0])
            db = self._compile([item for item in items if item[0] not in rejected])
        failed = self._self_test(db)
        if failed:
            log.warning("hyperscan missed known matches of %d rule(s); they stay on RE2: %s",
                        len(failed), sorted(failed))
            rejected |= failed
            db = self._compile([item for item in items if item[0] not in rejected])
        self._set(db, rejected)

    def _self_test(self, db: Any) -> set[int]:
        """Regex ids whose ``must_match`` texts the database does not report."""
        if self._must_match is None:
            return set()
        scratch = _hs.Scratch(db)
        failed: set[int] = set()
        for i, texts in self._must_match().items():
            if any(i not in {k for k, _ in _scan(db, scratch, raw)} for raw in texts):
                failed.add(i)
        return failed

    def _set(self, db: Any, rejected: set[int]) -> None:
        self.rejected = frozenset(rejected)
        self.accepted = frozenset(i for i, _, word in self.patterns if not word and i not in rejected)
        self._db = db

    def _save(self) -> None:
        meta = json.dumps(sorted(self.rejected)).encode()
        body = struct.pack("<I", len(meta)) + meta + _hs.dumpb(self._db)
        if write_atomic(self.cache_path, _MAGIC + hashlib.sha256(body).digest() + body):
            prune("regex-*.hsdb", KEEP, self.cache_path)

    def _load(self) -> bool:
        try:
            blob = self.cache_path.read_bytes()
        except OSError:
            return False
        try:
            if blob[:8] != _MAGIC or hashlib.sha256(blob[40:]).digest() != blob[8:40]:
                raise ValueError("checksum mismatch")
            (n,) = struct.unpack("<I", blob[40:44])
            rejected = set(json.loads(blob[44 : 44 + n]))
            db = _hs.loadb(blob[44 + n :], _hs.HS_MODE_BLOCK)
            _hs.Scratch(db)  # a database built for another CPU fails here, not mid-scan
        except Exception as exc:  # corrupt, truncated, other platform: rebuild it
            self.cache_problem = f"{self.cache_path}: {exc}"
            log.warning("hyperscan cache %s unusable (%s); rebuilding", self.cache_path, exc)
            return False
        self._set(db, rejected)
        touch(self.cache_path)  # recently used: kept by prune
        return True


#: lock files open in this process. A forked child inherits them, and an inherited descriptor
#: would keep the parent's lock held after the parent releases it (flock locks belong to the open
#: file description), so the child closes its copies before anything else runs.
_lock_fds: set[int] = set()
_lock_fds_guard = threading.Lock()


def _close_inherited_locks() -> None:
    global _lock_fds_guard
    _lock_fds_guard = threading.Lock()  # may have been held by a thread that does not exist here
    for fd in _lock_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    _lock_fds.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


def _restart_in_child(ref: "weakref.ref[HyperscanPrefilter]") -> None:
    hsp = ref()
    if hsp is not None and not hsp._done.is_set():
        hsp._local = threading.local()
        hsp._done = threading.Event()  # its lock may have been held by the thread left behind
        hsp._spawn()


def _scan(db: Any, scratch: Any, raw: bytes) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    db.scan(raw, match_event_handler=_collect, context=out, scratch=scratch)
    return out


def _collect(rule: int, _start: int, end: int, _flags: int, out: list[tuple[int, int]]) -> None:
    out.append((rule, end))


def _escape(word: str) -> str:
    """A plain string as a Hyperscan pattern: ASCII punctuation and controls as \\xHH."""
    return "".join(ch if ch.isalnum() or ord(ch) > 127 else f"\\x{ord(ch):02x}" for ch in word)
