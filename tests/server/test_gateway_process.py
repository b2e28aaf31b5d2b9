"""Metrics and spans through the gateway; `aimds serve` under real uvicorn; CLI and config."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from aimds_middleware.errors import ConfigError
from aimds_middleware.server import ServerConfig
from aimds_middleware.server.cli import main as cli_main
from aimds_middleware.telemetry import Telemetry
from tests.server.texts import ATTACK, BENIGN
from tests.state.redis_proc import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.asyncio
async def test_metrics_and_spans_from_real_requests(make_client: Any) -> None:
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    c = await make_client(telemetry=Telemetry(prometheus=True, otel=provider), key_rate=0.5, key_burst=3)
    await c.post("/v1/inspect", {"texts": [ATTACK, BENIGN]}, role="inspector")
    for _ in range(3):
        await c.post("/v1/inspect", {"text": BENIGN}, role="inspector")
    text = (await c.get("/metrics", role="viewer")).text
    assert 'aimds_inspections_total{action="block",source="user"} 1.0' in text
    assert 'aimds_inspections_total{action="allow",source="user"} 3.0' in text
    assert 'aimds_rate_limited_total{scope="key"} 1.0' in text
    assert 'aimds_http_requests_total{method="POST",route="/v1/inspect",status="429"} 1.0' in text
    assert "aimds_store_up 1.0" in text and "aimds_http_request_seconds_bucket" in text
    assert ATTACK not in text and c.tokens["viewer"] not in text
    spans = exporter.get_finished_spans()
    http = [s for s in spans if s.name == "aimds.http" and s.attributes["http.route"] == "/v1/inspect"]
    inspect = [s for s in spans if s.name == "aimds.inspect"]
    assert len(inspect) == 4 and http[0].attributes["http.status_code"] == 200
    assert inspect[0].parent.span_id == http[0].context.span_id  # engine spans nest under the request
    assert all("Ignore all previous" not in json.dumps(dict(s.attributes)) for s in spans)


def _run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aimds_middleware.server", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def test_aimds_serve_under_real_uvicorn(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "AIMDS_PORT": str(port), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aimds_middleware.server", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline() + proc.stdout.readline()  # type: ignore[union-attr]
        assert "created aimds-keys.json with an admin key" in first
        token = first.strip().splitlines()[-1]
        assert token.startswith("aimds_")
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()  # type: ignore[union-attr]
                time.sleep(0.1)
        assert r.json() == {"status": "ok"} and "server" not in r.headers
        h = {"Authorization": f"Bearer {token}"}
        r = httpx.post(f"http://127.0.0.1:{port}/v1/inspect", json={"text": ATTACK}, headers=h, timeout=5)
        assert r.status_code == 200 and r.json()["action"] == "block"
        r = httpx.post(
            f"http://127.0.0.1:{port}/v1/inspect",
            content=b"{",
            headers={**h, "content-type": "application/json"},
        )
        assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert proc.returncode in (0, -15)  # uvicorn re-raises the SIGTERM it handled, after a clean shutdown
    assert "Application shutdown complete" in err
    assert token not in out + err  # printed once (first two lines, read above), never logged
    for line in err.strip().splitlines():
        json.loads(line)  # JSON logs
    # second start: the keys file exists, no new key is printed
    proc = subprocess.Popen(
        [sys.executable, "-m", "aimds_middleware.server", "serve"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    proc.terminate()
    out, _ = proc.communicate(timeout=15)
    assert "aimds_" not in out


def test_serve_start_errors_are_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[server]\nport = 'eighty'\n")
    r = _run_cli("serve", "--config", str(bad), cwd=tmp_path)
    assert r.returncode == 2 and "configuration error: port: must be an integer" in r.stderr
    assert "Traceback" not in r.stderr
    r = _run_cli(
        "serve",
        cwd=tmp_path,
        env={"AIMDS_REDIS_URL": f"redis://:pw123@127.0.0.1:{free_port()}/0", "AIMDS_REDIS_TIMEOUT_S": "0.2"},
    )
    assert r.returncode == 2 and "does not answer" in r.stderr and "redis_at_start" in r.stderr
    assert "pw123" not in r.stderr and "Traceback" not in r.stderr
    r = _run_cli("serve", cwd=tmp_path, env={"AIMDS_ON_STORE_ERROR": "maybe"})
    assert r.returncode == 2 and "on_store_error" in r.stderr
    (tmp_path / "aimds-keys.json").write_text("garbage")
    r = _run_cli("serve", cwd=tmp_path)
    assert r.returncode == 2 and "keys_file" in r.stderr


def test_keys_cli(tmp_path: Path, capsys: Any) -> None:
    kf = str(tmp_path / "k.json")
    assert cli_main(["keys", "add", "--name", "ci bot", "--role", "inspector", "--keys-file", kf]) == 0
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    kid = token.split("_")[1]
    assert cli_main(["keys", "list", "--json", "--keys-file", kf]) == 0
    listed = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert listed == [
        {"id": kid, "name": "ci bot", "role": "inspector", "created": listed[0]["created"], "revoked": None}
    ]
    assert cli_main(["keys", "revoke", kid, "--keys-file", kf]) == 0
    assert cli_main(["keys", "revoke", kid, "--keys-file", kf]) == 1
    assert cli_main(["keys", "list", "--keys-file", kf]) == 0
    assert "revoked" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli_main(["keys", "add", "--name", "x", "--role", "root", "--keys-file", kf])


def test_register_plugs_into_another_parser() -> None:
    import argparse

    from aimds_middleware.server.cli import cmd_serve, register

    p = argparse.ArgumentParser(prog="aimds")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("scan")
    register(sub)
    args = p.parse_args(["serve", "--port", "9000"])
    assert args.func is cmd_serve and args.port == 9000
    assert p.parse_args(["keys", "list"]).keys_command == "list"


def test_server_config_sources_and_validation(tmp_path: Path) -> None:
    f = tmp_path / "aimds.toml"
    f.write_text('[server]\nport = 9001\nredis_url = "redis://r:6379/0"\n[guard]\non_error = "allow"\n')
    cfg = ServerConfig.load(f, environ={"AIMDS_PORT": "9002", "AIMDS_TRUST_FORWARDED": "yes"})
    assert (cfg.port, cfg.redis_url, cfg.trust_forwarded) == (9002, "redis://r:6379/0", True)
    with pytest.raises(ConfigError, match="server.colour"):
        ServerConfig.from_mapping({"colour": "blue"})
    with pytest.raises(ConfigError, match="redis_url"):
        ServerConfig(redis_url="http://x")
    with pytest.raises(ConfigError, match="key_burst"):
        ServerConfig.from_env({"AIMDS_KEY_BURST": "lots"})
    with pytest.raises(ConfigError, match="config_file"):
        ServerConfig.from_file(tmp_path / "missing.toml")
    from aimds_middleware import GuardConfig

    # server and engine settings share the AIMDS_ prefix: their names must never collide
    guard_env = {"AIMDS_" + n.upper() for n in GuardConfig.__dataclass_fields__}
    assert not guard_env & set(ServerConfig.env_names().values())


@pytest.mark.parametrize(
    "blocked,module,extra",
    [
        ("starlette", "aimds_middleware.server.app", "server"),
        ("redis", "aimds_middleware.state.redis", "redis"),
    ],
)
def test_missing_extra_names_it(blocked: str, module: str, extra: str) -> None:
    code = (
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "import aimds_middleware, aimds_middleware.state, aimds_middleware.server\n"  # these stay importable
        "from aimds_middleware.errors import IntegrationUnavailable\n"
        f"try:\n    import {module}\nexcept IntegrationUnavailable as e:\n    print(e)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert f'pip install "aimds-middleware[{extra}]"' in r.stdout, r.stderr
