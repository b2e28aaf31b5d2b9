"""The per-user cache directory for derived data that is slow to compute and cheap to redo.

Files here are derived from the signature packs (the shipped packs parsed, the Hyperscan
database, the regex rules' required literals, the RE2 plan's layout); losing them only costs time.
``AIMDS_CACHE_DIR`` overrides the location
(default ``$XDG_CACHE_HOME/aimds-middleware``, else ``~/.cache/aimds-middleware``). Writes are
atomic (temporary file + rename); an unreadable, corrupt or unwritable cache is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["KEEP", "cache_dir", "prune", "read_json", "read_signed", "touch", "write_atomic", "write_json",
           "write_signed"]

#: files of one kind kept (most recently used): one per pack set in use (a Hyperscan database is
#: ~8.5 MB, a prefilter table a few KB)
KEEP = 4

log = logging.getLogger("aimds_middleware.detection")


def cache_dir() -> Path:
    base = os.environ.get("AIMDS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "aimds-middleware")
    return Path(base)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole or not at all; False (logged) when the disk refuses."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.stem + "-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)  # readers see the old file or the whole new one
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:  # read-only home, full disk: still works, recomputed next process
        log.info("cache file not written (%s): %s", path, exc)
        return False
    return True


def read_json(path: Path) -> Any | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, obj: Any) -> bool:
    return write_atomic(path, json.dumps(obj, ensure_ascii=False).encode("utf-8"))


def prune(pattern: str, keep: int, current: Path) -> None:
    """Keep the cache bounded: of the files matching ``pattern``, only the ``keep`` most recently
    used stay (``current`` always does)."""

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    files = sorted(cache_dir().glob(pattern), key=mtime, reverse=True)
    for old in files[keep:]:
        if old != current:
            old.unlink(missing_ok=True)
            old.with_suffix(".lock").unlink(missing_ok=True)


def touch(path: Path) -> None:
    """Mark ``path`` as recently used (``prune`` keeps it)."""
    try:
        os.utime(path)
    except OSError:
        pass


def write_signed(path: Path, obj: Any, pattern: str) -> None:
    """Write ``obj`` (plain tuples, strings, numbers: marshal) behind its sha256, then keep the
    :data:`KEEP` newest files matching ``pattern``."""
    payload = marshal.dumps(obj)
    if write_atomic(path, hashlib.sha256(payload).digest() + payload):
        prune(pattern, KEEP, path)


def read_signed(path: Path) -> Any | None:
    """What :func:`write_signed` wrote to ``path``; None when the file is missing or unreadable, or
    fails its checksum (truncated, damaged, or not such a file). Loading marshal never executes
    code; the caller still checks the shape of what it gets."""
    try:
        data = path.read_bytes()
        if hashlib.sha256(data[32:]).digest() != data[:32]:
            return None
        return marshal.loads(data[32:])
    except (OSError, EOFError, ValueError, TypeError):
        return None
