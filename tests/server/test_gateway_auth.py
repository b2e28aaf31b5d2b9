"""RBAC matrix, API keys, rate limits."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from aimds_middleware.errors import ConfigError
from aimds_middleware.server.keys import ROLES, KeyFile
from tests.server.texts import BENIGN

# route -> (method, body, least role); None = public
ROUTES: dict[str, tuple[str, Any, str | None]] = {
    "/v1/inspect": ("POST", {"text": BENIGN}, "inspector"),
    "/v1/inspect/output": ("POST", {"text": BENIGN}, "inspector"),
    "/v1/feedback": ("POST", {"verdict_id": "v", "is_attack": False, "text": BENIGN}, "operator"),
    "/v1/stats": ("GET", None, "viewer"),
    "/v1/audit": ("GET", None, "admin"),
    "/metrics": ("GET", None, "viewer"),
    "/healthz": ("GET", None, None),
    "/readyz": ("GET", None, None),
    "/openapi.json": ("GET", None, None),
}
CALLERS = [*ROLES, "none", "garbage", "revoked", "wrong-scheme", "forged"]


def headers_for(caller: str, tokens: dict[str, str]) -> dict[str, str]:
    if caller == "none":
        return {}
    if caller == "garbage":
        return {"Authorization": "Bearer not-a-key"}
    if caller == "wrong-scheme":
        return {"Authorization": f"Basic {tokens['admin']}"}
    if caller == "forged":  # a real key id with a made-up secret
        kid = tokens["admin"].split("_")[1]
        return {"Authorization": f"Bearer aimds_{kid}_{'A' * 43}"}
    return {"Authorization": f"Bearer {tokens[caller]}"}


@pytest.mark.asyncio
async def test_rbac_matrix(make_client: Any) -> None:
    c = await make_client()
    for route, (method, body, least) in ROUTES.items():
        for caller in CALLERS:
            r = await c.http.request(method, route, json=body, headers=headers_for(caller, c.tokens))
            if least is None:
                expected = 200
            elif caller not in ROLES:
                expected = 401
            else:
                expected = (
                    403
                    if ROLES.index(caller) < ROLES.index(least)
                    else (201 if route == "/v1/feedback" else 200)
                )
            assert r.status_code == expected, (route, caller, r.status_code, r.text)
            if expected in (401, 403):
                assert r.headers["content-type"] == "application/problem+json"
                for tok in c.tokens.values():
                    assert tok not in r.text  # no key ever echoed back
            if expected == 401:
                assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.asyncio
async def test_revocation_takes_effect_on_a_running_gateway(make_client: Any, keyfile: Any) -> None:
    c = await make_client()
    path, tokens = keyfile
    assert (await c.post("/v1/inspect", {"text": BENIGN}, role="inspector")).status_code == 200
    kid = tokens["inspector"].split("_")[1]
    assert KeyFile(path).revoke(kid) is True
    r = await c.post("/v1/inspect", {"text": BENIGN}, role="inspector")
    assert r.status_code == 401 and r.json()["type"] == "urn:aimds:problem:invalid-key"


@pytest.mark.asyncio
async def test_per_key_rate_limit_gives_429_with_retry_after(make_client: Any) -> None:
    c = await make_client(key_rate=0.5, key_burst=3)
    codes = [(await c.post("/v1/inspect", {"text": BENIGN}, role="inspector")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = await c.post("/v1/inspect", {"text": BENIGN}, role="inspector")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.headers["content-type"] == "application/problem+json" and "key" in r.json()["detail"]
    # another key is not affected
    assert (await c.post("/v1/inspect", {"text": BENIGN}, role="operator")).status_code == 200


@pytest.mark.asyncio
async def test_per_ip_rate_limit_covers_bad_keys_too(make_client: Any) -> None:
    c = await make_client(ip_rate=0.5, ip_burst=2, key_rate=1000.0)
    bad = {"Authorization": "Bearer aimds_000000000000_" + "x" * 43}
    codes = [(await c.http.get("/v1/stats", headers=bad)).status_code for _ in range(3)]
    assert codes == [401, 401, 429]  # guessing keys is throttled per client address
    assert (await c.get("/v1/stats")).status_code == 429  # same IP, even with a good key
    m = await c.get("/metrics", role="viewer")
    assert m.status_code == 429


@pytest.mark.asyncio
async def test_forwarded_for_only_when_trusted(make_client: Any) -> None:
    c = await make_client(ip_rate=0.5, ip_burst=1, trust_forwarded=True)
    for ip in ("10.0.0.1", "10.0.0.2"):
        r = await c.http.get("/v1/stats", headers={**c.auth("viewer"), "x-forwarded-for": f"{ip}, 1.1.1.1"})
        assert r.status_code == 200
    r = await c.http.get("/v1/stats", headers={**c.auth("viewer"), "x-forwarded-for": "10.0.0.1"})
    assert r.status_code == 429


def test_keys_file_is_private_atomic_and_hashed(tmp_path: Path) -> None:
    kf = KeyFile(tmp_path / "k.json")
    key, token = kf.add("svc", "inspector")
    raw = (tmp_path / "k.json").read_text()
    assert token.split("_")[2] not in raw and key.id in raw
    assert stat.S_IMODE(os.stat(tmp_path / "k.json").st_mode) == 0o600
    rec = json.loads(raw)["keys"][0]
    assert rec["algo"] == "scrypt" and len(bytes.fromhex(rec["salt"])) == 16
    assert kf.verify(token) == key
    assert kf.verify(token + "x") is None and kf.verify("aimds_" + key.id + "_") is None
    assert kf.verify("") is None and kf.verify("x" * 10_000) is None
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]  # no temp file left behind
    with pytest.raises(ConfigError):
        kf.add("x", "superuser")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ConfigError, match="keys_file"):
        KeyFile(tmp_path / "bad.json").list()


@pytest.mark.asyncio
async def test_many_concurrent_first_verifications(make_client: Any) -> None:
    """Verification runs off the event loop; concurrent requests with one new key all pass."""
    c = await make_client()
    rs = await asyncio.gather(*(c.get("/v1/stats", role="viewer") for _ in range(8)))
    assert {r.status_code for r in rs} == {200}


@pytest.mark.asyncio
async def test_unreadable_keys_file_fails_closed(make_client: Any, keyfile: Any) -> None:
    c = await make_client()
    assert (await c.get("/v1/stats", role="viewer")).status_code == 200
    Path(keyfile[0]).write_text("{ truncated")
    r = await c.get("/v1/stats", role="viewer")
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "urn:aimds:problem:keys-unavailable" and "Traceback" not in r.text
