from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import httpx
import pytest
import pytest_asyncio

from aimds_middleware.server import ServerConfig, create_app
from aimds_middleware.server.keys import ROLES, KeyFile


@pytest.fixture
def keyfile(tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A keys file with one key per role plus a revoked one; returns (path, role -> token)."""
    path = str(tmp_path / "keys.json")
    kf = KeyFile(path)
    tokens = {role: kf.add(f"test-{role}", role)[1] for role in ROLES}
    rk, tokens["revoked"] = kf.add("test-revoked", "admin")
    kf.revoke(rk.id)
    return path, tokens


class Client:
    """An httpx client on one gateway app (ASGI transport, no sockets) with role-keyed helpers."""

    def __init__(self, app: Any, tokens: dict[str, str]) -> None:
        self.app = app
        self.gateway = app.state.gateway
        self.tokens = tokens
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    async def post(self, path: str, body: Any, role: str = "admin", **kw: Any) -> httpx.Response:
        headers = {**self.auth(role), **kw.pop("headers", {})}
        return await self.http.post(path, json=body, headers=headers, **kw)

    async def get(self, path: str, role: str = "admin", **kw: Any) -> httpx.Response:
        return await self.http.get(path, headers=self.auth(role), **kw)

    async def close(self) -> None:
        await self.http.aclose()
        await self.gateway.stop()


@pytest_asyncio.fixture
async def make_client(keyfile: tuple[str, dict[str, str]]) -> AsyncIterator[Callable[..., Any]]:
    made: list[Client] = []

    async def make(**overrides: Any) -> Client:
        store = overrides.pop("store", None)
        telemetry = overrides.pop("telemetry", None)
        cfg = dataclasses.replace(
            ServerConfig(
                keys_file=keyfile[0], key_rate=10_000.0, key_burst=10_000, ip_rate=10_000.0, ip_burst=10_000
            ),
            **overrides,
        )
        c = Client(create_app(cfg, store=store, telemetry=telemetry), keyfile[1])
        await c.gateway.start()
        made.append(c)
        return c

    yield make
    for c in made:
        await c.close()


@pytest.fixture
def prefix() -> str:
    return "gw" + uuid.uuid4().hex[:10]
