"""Waiting for something that happens in the background (replays, pub/sub, reconnects)."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any


async def eventually(pred: Any, timeout: float = 5.0) -> None:
    """Return once ``pred()`` (a plain or async callable) is true; AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not (await pred() if inspect.iscoroutinefunction(pred) else pred()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
