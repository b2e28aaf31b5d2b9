from __future__ import annotations

import uuid
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


@pytest.fixture
def prefix() -> str:
    return "t" + uuid.uuid4().hex[:12]
