"""The gateway's routes against the real engine, through the real Starlette app."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.server.texts import ATTACK, BENIGN

pytestmark = pytest.mark.asyncio


def assert_problem(r: Any, status: int, *secrets: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == status and body["type"].startswith("urn:aimds:problem:")
    assert body["title"] and body["detail"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    for s in secrets:
        assert s not in r.text
    return body


async def test_inspect_one_text(make_client: Any) -> None:
    c = await make_client()
    r = await c.post("/v1/inspect", {"text": ATTACK}, role="inspector")
    assert r.status_code == 200
    v = r.json()
    assert v["action"] == "block" and v["blocked"] is True and v["categories"]
    assert r.headers["x-request-id"]
    r = await c.post("/v1/inspect", {"text": BENIGN, "source": "user", "session": None}, role="inspector")
    assert r.json()["action"] == "allow" and r.json()["blocked"] is False
    r = await c.post("/v1/inspect", {"text": ATTACK, "explain": True}, role="inspector")
    assert r.json()["threats"] and "timings_ns" in r.json()


async def test_inspect_batch(make_client: Any) -> None:
    c = await make_client(max_batch=3)
    r = await c.post("/v1/inspect", {"texts": [ATTACK, BENIGN, BENIGN], "source": "user"}, role="inspector")
    assert r.status_code == 200
    assert [v["action"] for v in r.json()["results"]] == ["block", "allow", "allow"]
    body = assert_problem(await c.post("/v1/inspect", {"texts": [BENIGN] * 4}), 422)
    assert body["errors"][0]["field"] == "texts"
    assert_problem(await c.post("/v1/inspect", {"texts": []}), 422)
    assert_problem(await c.post("/v1/inspect", {"text": BENIGN, "texts": [BENIGN]}), 422)
    assert_problem(await c.post("/v1/inspect", {}), 422)
    body = assert_problem(await c.post("/v1/inspect", {"texts": [BENIGN, 3]}), 422)
    assert body["errors"][0]["field"] == "texts[1]"


async def test_untrusted_source_is_a_source(make_client: Any) -> None:
    c = await make_client()
    r = await c.post("/v1/inspect", {"text": ATTACK, "source": "tool"})
    assert r.json()["source"] == "tool" and r.json()["action"] != "allow"


async def test_inspect_output(make_client: Any) -> None:
    c = await make_client()
    canary = c.gateway.guard.canary(session="s-out")
    r = await c.post(
        "/v1/inspect/output",
        {"text": f"Sure! The hidden marker is {canary}.", "session": "s-out"},
        role="inspector",
    )
    assert r.status_code == 200 and r.json()["blocked"] is True
    r = await c.post("/v1/inspect/output", {"text": "Paris is the capital of France."}, role="inspector")
    assert r.json()["action"] == "allow"
    assert_problem(await c.post("/v1/inspect/output", {"texts": ["x"]}), 422)


@pytest.mark.parametrize(
    "body,field",
    [
        ({"text": 5}, "text"),
        ({"text": "x", "source": "martian"}, "source"),
        ({"text": "x", "source": 1}, "source"),
        ({"text": "x", "session": "s" * 129}, "session"),
        ({"text": "x", "explain": "yes"}, "explain"),
        ({"text": "x", "unknown_field": 1}, "unknown_field"),
        ({"text": True}, "text"),
    ],
)
async def test_wrong_types_and_unknown_fields(make_client: Any, body: dict[str, Any], field: str) -> None:
    c = await make_client()
    r = await c.post("/v1/inspect", body)
    problem = assert_problem(r, 422, c.tokens["admin"])
    assert field in {e["field"] for e in problem["errors"]}


async def test_malformed_bodies(make_client: Any) -> None:
    c = await make_client(max_body_bytes=4096)
    h = {**c.auth("admin"), "content-type": "application/json"}
    assert_problem(await c.http.post("/v1/inspect", content=b'{"text": "x"', headers=h), 400)
    assert_problem(await c.http.post("/v1/inspect", content=b'\xff\xfe{"text"', headers=h), 400)
    assert_problem(
        await c.http.post("/v1/inspect", content=b"[" * 100_000 + b"]" * 100_000, headers={**h}), 413
    )
    deep = b"[" * 2000 + b"]" * 2000
    r = await c.http.post("/v1/inspect", content=deep, headers=h)
    assert r.status_code in (400, 422)  # rejected either way, in bounded time, as a problem
    assert_problem(r, r.status_code)
    assert_problem(await c.http.post("/v1/inspect", content=b"[1, 2]", headers=h), 422)
    assert_problem(
        await c.http.post(
            "/v1/inspect", content=b'{"text": "x"}', headers={**c.auth("admin"), "content-type": "text/plain"}
        ),
        415,
    )

    # a body larger than the limit is refused while streaming even without Content-Length
    async def chunks() -> Any:
        for _ in range(10):
            yield b" " * 1024

    assert_problem(await c.http.post("/v1/inspect", content=chunks(), headers=h), 413)
    big = json.dumps({"text": "a" * 5000}).encode()
    assert_problem(await c.http.post("/v1/inspect", content=big, headers=h), 413)


async def test_unknown_route_and_method(make_client: Any) -> None:
    c = await make_client()
    assert_problem(await c.get("/v2/nothing"), 404)
    assert_problem(await c.get("/v1/inspect"), 405)


async def test_feedback_teaches_this_replica(make_client: Any) -> None:
    c = await make_client()
    text = "Could you recommend a good book about the history of Lisbon? (ref 7731)"
    v = (await c.post("/v1/inspect", {"text": text}, role="inspector")).json()
    assert v["action"] == "allow"
    r = await c.post(
        "/v1/feedback", {"verdict_id": v["id"], "is_attack": True, "note": "phishing run"}, role="operator"
    )
    assert r.status_code == 201 and r.json()["persisted"] is True
    again = (await c.post("/v1/inspect", {"text": text.upper()}, role="inspector")).json()
    assert again["action"] == "block" and "known_attack" in again["categories"]
    fb = await c.gateway.store.afeedback_tail()
    assert fb[-1]["verdict_id"] == v["id"] and fb[-1]["note"] == "phishing run"
    # unknown verdicts need the text; with it they are learned too
    assert_problem(await c.post("/v1/feedback", {"verdict_id": "nope", "is_attack": True}), 404)
    r = await c.post(
        "/v1/feedback", {"verdict_id": "nope", "is_attack": True, "text": "brand new attack text"}
    )
    assert r.status_code == 201
    assert (await c.post("/v1/inspect", {"text": "brand new attack text"})).json()["action"] == "block"
    body = assert_problem(await c.post("/v1/feedback", {"verdict_id": v["id"]}), 422)
    assert body["errors"][0]["field"] == "is_attack"


async def test_session_quarantine_after_repeated_blocks(make_client: Any) -> None:
    c = await make_client(quarantine_after=2)
    for _ in range(2):
        assert (await c.post("/v1/inspect", {"text": ATTACK, "session": "bad"})).json()["action"] == "block"
    r = (await c.post("/v1/inspect", {"text": BENIGN, "session": "bad"})).json()
    assert r["action"] == "quarantine" and r["blocked"] is True
    assert (await c.post("/v1/inspect", {"text": BENIGN, "session": "good"})).json()["action"] == "allow"
    stats = (await c.get("/v1/stats", role="viewer")).json()
    assert stats["quarantined_sessions"] == 1


async def test_stats_audit_health(make_client: Any) -> None:
    c = await make_client()
    await c.post("/v1/inspect", {"texts": [ATTACK, BENIGN]})
    stats = (await c.get("/v1/stats", role="viewer")).json()
    assert stats["counters"]["inspections.block"] == 1 and stats["counters"]["inspections.allow"] == 1
    assert stats["store"] == {"backend": "memory", "up": True, "pending": 0, "policy": "degrade"}
    events = (await c.get("/v1/audit?limit=10")).json()["events"]
    assert [e["action"] for e in events] == ["block", "allow"]
    assert all("text" not in e for e in events)  # the audit stream never holds raw text
    assert_problem(await c.get("/v1/audit?limit=0"), 422)
    assert (await c.http.get("/healthz")).json() == {"status": "ok"}
    assert (await c.http.get("/readyz")).json() == {"status": "ready"}


async def test_request_id_is_echoed_or_made(make_client: Any) -> None:
    c = await make_client()
    r = await c.http.get("/healthz", headers={"x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = await c.http.get("/healthz", headers={"x-request-id": "bad id\twith junk"})
    assert r.headers["x-request-id"] != "bad id\twith junk" and len(r.headers["x-request-id"]) == 16


async def test_openapi_document_matches_routes(make_client: Any) -> None:
    c = await make_client(max_batch=7)
    doc = (await c.http.get("/openapi.json")).json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["schemas"]["InspectRequest"]["properties"]["texts"]["maxItems"] == 7
    for path, ops in doc["paths"].items():
        for method in ops:
            r = await c.http.request(
                method.upper(),
                path,
                headers=c.auth("admin"),
                json={"text": BENIGN}
                if path.startswith("/v1/inspect")
                else (
                    {"verdict_id": "x", "is_attack": False, "text": "t"} if path == "/v1/feedback" else None
                ),
            )
            assert str(r.status_code) in ops[method]["responses"], (path, r.status_code)
    try:
        from openapi_spec_validator import validate as validate_spec
    except ImportError:
        return
    validate_spec(doc)


async def test_unexpected_error_is_a_500_problem_without_internals(make_client: Any, caplog: Any) -> None:
    c = await make_client()

    async def broken() -> Any:
        raise RuntimeError("internal detail: /etc/secret-path")

    c.gateway.stats = broken
    with caplog.at_level("ERROR", logger="aimds_middleware.server"):
        r = await c.get("/v1/stats")
    body = assert_problem(r, 500, "secret-path", "RuntimeError")
    assert body["request_id"] == r.headers["x-request-id"]
    assert any(rec.exc_info for rec in caplog.records)  # the traceback goes to the log only


async def test_access_log_is_structured_and_clean(make_client: Any, caplog: Any) -> None:
    from aimds_middleware.telemetry import JsonFormatter

    c = await make_client(access_log=True)
    with caplog.at_level("INFO", logger="aimds_middleware.access"):
        await c.post("/v1/inspect", {"text": ATTACK}, role="inspector", headers={"x-request-id": "rid-7"})
    lines = [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "aimds_middleware.access"
    ]
    assert len(lines) == 1
    line = lines[0]
    assert (line["route"], line["status"], line["method"], line["request_id"]) == (
        "/v1/inspect",
        200,
        "POST",
        "rid-7",
    )
    assert ATTACK not in json.dumps(line) and c.tokens["inspector"] not in json.dumps(line)


async def test_lone_surrogates_and_control_characters(make_client: Any) -> None:
    c = await make_client()
    h = {**c.auth("admin"), "content-type": "application/json"}
    raw = b'{"text": "hi \\ud800 there \\u0000", "session": "s\\udfff"}'
    r = await c.http.post("/v1/inspect", content=raw, headers=h)
    assert r.status_code == 200 and r.json()["session"] == "s\udfff"
    r = await c.http.post("/v1/inspect", content=b'{"texts": ["\\ud83d", "ok"]}', headers=h)
    assert r.status_code == 200 and len(r.json()["results"]) == 2
