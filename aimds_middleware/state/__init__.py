"""State shared across requests and replicas: one :class:`Store` protocol, two back ends.

``MemoryStore`` (embedded default) needs nothing; ``RedisStore`` needs the ``redis`` extra and is
imported lazily so ``import aimds_middleware.state`` never requires it.
"""

from __future__ import annotations

from typing import Any

from .base import Store, fingerprint
from .memory import MemoryStore

__all__ = ["MemoryStore", "RedisStore", "Store", "fingerprint"]


def __getattr__(name: str) -> Any:
    if name == "RedisStore":
        from .redis import RedisStore

        return RedisStore
    raise AttributeError(name)
