from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def prefix() -> str:
    return "t" + uuid.uuid4().hex[:12]
