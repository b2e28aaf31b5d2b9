"""API keys: salted scrypt hashes in a JSON file, verified in constant time.

A key looks like ``aimds_<id>_<secret>``: the public ``id`` finds the record without trying every
hash, the 256-bit ``secret`` is checked against ``scrypt(secret, salt)`` with
:func:`hmac.compare_digest`. scrypt costs milliseconds on purpose, so a verified key is cached (by
the SHA-256 of the whole key, in memory only) and the cache is dropped whenever the file changes —
a revoked key stops working on the next request. The file is written atomically (temp file +
``os.replace``) with mode 0600, and the clear key is shown exactly once, at creation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError

__all__ = ["ROLES", "ApiKey", "KeyFile", "role_allows"]

#: ordered: each role can do everything the roles before it can
ROLES = ("viewer", "inspector", "operator", "admin")
_SCRYPT = {"n": 1 << 14, "r": 8, "p": 1}
_CACHE_MAX = 4096


def role_allows(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    role: str
    created: str
    revoked: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "created": self.created,
            "revoked": self.revoked,
        }


def _hash(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 << 20, dklen=32)


class KeyFile:
    """The keys file: add, list, revoke, verify."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._records: dict[str, dict[str, Any]] = {}
        self._cache: dict[bytes, ApiKey] = {}

    def exists(self) -> bool:
        return self.path.exists()

    # ---- reading -------------------------------------------------------------------------
    def _reload(self) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            if self._stamp is not None or self._records:
                self._records, self._cache, self._stamp = {}, {}, None
            return
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp == self._stamp:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            recs = data["keys"]
            if not isinstance(recs, list):
                raise TypeError
            records = {r["id"]: r for r in recs}
            if any(r.get("role") not in ROLES for r in recs):
                raise ValueError("unknown role")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(
                "keys_file", f"{self.path} is not a valid keys file ({type(exc).__name__})"
            ) from None
        self._records, self._cache, self._stamp = records, {}, stamp

    def list(self) -> list[ApiKey]:
        with self._lock:
            self._reload()
            return [_key(r) for r in self._records.values()]

    def cached(self, token: str) -> ApiKey | None:
        """The key when ``token`` was verified before and the file has not changed since (no hashing)."""
        if not isinstance(token, str) or len(token) > 200:
            return None
        digest = hashlib.sha256(token.encode("utf-8", "replace")).digest()
        with self._lock:
            self._reload()
            return self._cache.get(digest)

    def verify(self, token: str) -> ApiKey | None:
        """The key's record when ``token`` is a valid, unrevoked key; else None."""
        if not isinstance(token, str) or len(token) > 200:
            return None
        digest = hashlib.sha256(token.encode("utf-8", "replace")).digest()
        with self._lock:
            self._reload()
            hit = self._cache.get(digest)
            if hit is not None:
                return hit
            parts = token.split("_")
            rec = self._records.get(parts[1]) if len(parts) == 3 and parts[0] == "aimds" else None
        if rec is None or rec.get("revoked"):
            return None
        try:
            want = bytes.fromhex(rec["hash"])
            got = _hash(parts[2], bytes.fromhex(rec["salt"]), rec["n"], rec["r"], rec["p"])
        except (KeyError, ValueError, TypeError):
            return None
        if not hmac.compare_digest(want, got):
            return None
        key = _key(rec)
        with self._lock:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[digest] = key
        return key

    # ---- writing -------------------------------------------------------------------------
    def add(self, name: str, role: str) -> tuple[ApiKey, str]:
        """Create a key; returns its record and the clear key (shown once, never stored)."""
        if role not in ROLES:
            raise ConfigError("role", f"must be one of {', '.join(ROLES)}; got {role!r}")
        if not isinstance(name, str) or not name or len(name) > 100:
            raise ConfigError("name", "must be a non-empty string of at most 100 characters")
        kid = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32).replace("_", "-")
        salt = secrets.token_bytes(16)
        rec = {
            "id": kid,
            "name": name,
            "role": role,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "revoked": None,
            "algo": "scrypt",
            **_SCRYPT,
            "salt": salt.hex(),
            "hash": _hash(secret, salt, **_SCRYPT).hex(),
        }
        with self._lock:
            self._reload()
            self._records[kid] = rec
            self._write()
        return _key(rec), f"aimds_{kid}_{secret}"

    def revoke(self, key_id: str) -> bool:
        with self._lock:
            self._reload()
            rec = self._records.get(key_id)
            if rec is None or rec.get("revoked"):
                return False
            rec["revoked"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self._write()
            return True

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"version": 1, "keys": list(self._records.values())}, indent=2)
        fd, tmp = tempfile.mkstemp(prefix=".aimds-keys-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        self._stamp, self._cache = None, {}


def _key(rec: dict[str, Any]) -> ApiKey:
    return ApiKey(rec["id"], rec.get("name", ""), rec["role"], rec.get("created", ""), rec.get("revoked"))
