"""``aimds serve``: the REST gateway (Starlette under uvicorn) with API keys, RBAC and rate limits.

Needs the ``server`` extra. ``ServerConfig`` imports nothing heavy; ``create_app`` loads Starlette.
"""

from __future__ import annotations

from typing import Any

from .config import ServerConfig

__all__ = ["ServerConfig", "create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    try:
        from .app import create_app as _create
    except ImportError as exc:
        from ..errors import IntegrationUnavailable

        raise IntegrationUnavailable("aimds serve", "server", exc) from exc
    return _create(*args, **kwargs)
