"""Fixtures shared by the state and gateway tests: one real redis-server per test session."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.state.redis_proc import RedisProcess, serve


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisProcess]:
    yield from serve()
