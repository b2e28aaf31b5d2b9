"""Fixtures shared by the state and gateway tests: one real redis-server per test session."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.state.redis_proc import BINARY, SKIP_REASON, RedisProcess


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisProcess]:
    if BINARY is None:
        pytest.skip(SKIP_REASON)
    server = RedisProcess()
    server.start()
    yield server
    server.stop()
