"""Recently computed detection results, by text digest.

Chat clients re-send the system prompt and the whole history with every turn, so most texts an
adapter sees were scanned moments ago. A result depends only on the text, the detector's
configuration and the attack memory, so it is kept under a 128-bit BLAKE2b digest of the text
together with the memory's generation (a learned attack changes it, and older entries stop
matching). Results the latency budget cut short are not kept: they depend on load, not text.

Timing note: a cached text answers faster, so a client that can time requests precisely could
learn whether exactly the same text was scanned recently by this process. Set
``result_cache_entries = 0`` where that matters.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

__all__ = ["ResultCache", "digest"]


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ResultCache:
    """A bounded LRU map digest → (generation, result). Thread-safe."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[bytes, tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: bytes, generation: Any) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != generation:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: bytes, generation: Any, result: Any) -> None:
        with self._lock:
            self._items[key] = (generation, result)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
