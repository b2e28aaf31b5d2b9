"""Deploy material is checked without Docker: it parses, and it agrees with the code.

Every AIMDS_* variable must be a real setting with a valid value, ports and service names must line
up, probes and scrape paths must be real routes, and every metric the dashboard queries must be one
telemetry.py exports (and every exported metric must be on the dashboard).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import tomllib

from aimds_middleware import GuardConfig
from aimds_middleware.server import ServerConfig
from aimds_middleware.server.openapi import openapi_document
from aimds_middleware.telemetry import METRIC_NAMES

yaml = pytest.importorskip("yaml")

HERE = Path(__file__).parent
ROUTES = set(openapi_document(64, ("user",))["paths"])
KNOWN_ENV = set(ServerConfig.env_names().values()) | {
    "AIMDS_" + n.upper() for n in GuardConfig.__dataclass_fields__
}


def check_env(env: dict[str, str], where: str) -> tuple[ServerConfig, GuardConfig]:
    unknown = sorted(k for k in env if k.startswith("AIMDS_") and k not in KNOWN_ENV)
    assert not unknown, f"{where}: unknown settings {unknown}"
    # values must pass the same validation `aimds serve` applies at start
    return ServerConfig.from_env(env), GuardConfig.from_env(env)


def k8s_docs() -> dict[tuple[str, str], dict[str, Any]]:
    docs: dict[tuple[str, str], dict[str, Any]] = {}
    for f in sorted((HERE / "k8s").glob("*.yaml")):
        for d in yaml.safe_load_all(f.read_text()):
            if d:
                assert {"apiVersion", "kind", "metadata"} <= set(d), f
                docs[(d["kind"], d["metadata"]["name"])] = d
    return docs


def test_compose_two_gateways_one_redis_prometheus_grafana() -> None:
    compose = yaml.safe_load((HERE / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"gateway-1", "gateway-2", "redis", "prometheus", "grafana"}
    gws = [services["gateway-1"], services["gateway-2"]]
    assert gws[0]["environment"] == gws[1]["environment"]  # same config: replicas of one service
    cfg, gcfg = check_env(gws[0]["environment"], "compose")
    assert urlsplit(cfg.redis_url).hostname == "redis" and cfg.host == "0.0.0.0"
    assert gcfg.on_error == "block"
    for gw in gws:
        assert gw["ports"][0].endswith(f":{cfg.port}") and gw["ports"][0].startswith("127.0.0.1:")
        assert gw["depends_on"]["redis"]["condition"] == "service_healthy"
        assert any(v.endswith(":" + str(Path(cfg.outbox_path).parent)) for v in gw["volumes"])
    secret = Path(cfg.keys_file)
    assert str(secret.parent) == "/run/secrets" and secret.name in compose["secrets"]
    assert services["redis"]["healthcheck"]["test"][-1] == "ping"
    assert "prometheus.yml" in " ".join(services["prometheus"]["volumes"])


def test_prometheus_scrapes_every_gateway_with_a_key() -> None:
    compose = yaml.safe_load((HERE / "docker-compose.yml").read_text())
    port = ServerConfig.from_env(compose["services"]["gateway-1"]["environment"]).port
    prom = yaml.safe_load((HERE / "prometheus.yml").read_text())
    (job,) = prom["scrape_configs"]
    assert job["metrics_path"] in ROUTES
    assert job["authorization"]["type"] == "Bearer"  # /metrics needs a viewer key
    mount = [v for v in compose["services"]["prometheus"]["volumes"] if "token" in v][0]
    assert mount.split(":")[1] == job["authorization"]["credentials_file"]
    targets = set(job["static_configs"][0]["targets"])
    assert targets == {f"{s}:{port}" for s in compose["services"] if s.startswith("gateway-")}


def test_dashboard_queries_only_exported_metrics_and_covers_them_all() -> None:
    dash = json.loads((HERE / "grafana/dashboards/aimds.json").read_text())
    ds = yaml.safe_load((HERE / "grafana/provisioning/datasources/prometheus.yml").read_text())
    uid = ds["datasources"][0]["uid"]
    used: set[str] = set()
    ids = set()
    for p in dash["panels"]:
        assert p["id"] not in ids and p["title"]
        ids.add(p["id"])
        assert p["datasource"]["uid"] == uid
        for t in p["targets"]:
            assert t["expr"].count("(") == t["expr"].count(")"), t["expr"]
            for name in re.findall(r"\baimds_[a-z_]+", t["expr"]):
                base = re.sub(r"_(bucket|count|sum)$", "", name)
                assert base in METRIC_NAMES, f"{p['title']}: {name} is not exported by telemetry.py"
                used.add(base)
    assert used == set(METRIC_NAMES), f"not on the dashboard: {set(METRIC_NAMES) - used}"
    prov = yaml.safe_load((HERE / "grafana/provisioning/dashboards/aimds.yml").read_text())
    compose = yaml.safe_load((HERE / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    assert any(m.endswith(":" + prov["providers"][0]["options"]["path"] + ":ro") for m in mounts)


def test_kubernetes_manifests_agree_with_each_other_and_the_app() -> None:
    docs = k8s_docs()
    dep = docs[("Deployment", "aimds-gateway")]
    assert dep["spec"]["replicas"] == 3
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    svc = docs[("Service", "aimds-gateway")]
    assert svc["spec"]["selector"].items() <= labels.items()
    hpa = docs[("HorizontalPodAutoscaler", "aimds-gateway")]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "aimds-gateway",
    }
    assert hpa["spec"]["minReplicas"] >= 3 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]

    (ctr,) = dep["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e["value"] for e in ctr["env"]}
    cfg, _ = check_env(env, "k8s gateway")
    assert ctr["ports"][0]["containerPort"] == cfg.port
    assert svc["spec"]["ports"][0]["targetPort"] == ctr["ports"][0]["name"]
    assert ctr["readinessProbe"]["httpGet"]["path"] == "/readyz" in ROUTES
    assert ctr["livenessProbe"]["httpGet"]["path"] == "/healthz" in ROUTES

    # the Redis URL points at the Redis Service and port
    redis_svc = docs[("Service", "aimds-redis")]
    url = urlsplit(cfg.redis_url)
    assert url.hostname == redis_svc["metadata"]["name"] and url.port == redis_svc["spec"]["ports"][0]["port"]
    assert (
        docs[("Deployment", "aimds-redis")]["spec"]["template"]["metadata"]["labels"].items()
        >= redis_svc["spec"]["selector"].items()
    )

    # keys: the Secret is mounted where AIMDS_KEYS_FILE points, under the key it defines
    volumes = {v["name"]: v for v in dep["spec"]["template"]["spec"]["volumes"]}
    mounts = {m["name"]: m for m in ctr["volumeMounts"]}
    secret = docs[("Secret", volumes["keys"]["secret"]["secretName"])]
    keys_path = Path(cfg.keys_file)
    assert mounts["keys"]["mountPath"] == str(keys_path.parent) and mounts["keys"]["readOnly"] is True
    assert keys_path.name in secret["stringData"]
    assert json.loads(secret["stringData"][keys_path.name]) == {"version": 1, "keys": []}
    assert Path(cfg.outbox_path).parent == Path(mounts["outbox"]["mountPath"])

    # the mounted TOML config is valid for both the server and the engine
    cm = docs[("ConfigMap", volumes["config"]["configMap"]["name"])]
    toml = tomllib.loads(cm["data"]["aimds.toml"])
    ServerConfig.from_mapping(toml["server"])
    GuardConfig.from_mapping(toml["guard"])
    assert ctr["args"] == ["--config", mounts["config"]["mountPath"]]


def test_dockerfile_settings_are_real() -> None:
    text = (HERE / "Dockerfile").read_text()
    env = dict(re.findall(r"(AIMDS_[A-Z_]+)=(\S+)", text))
    cfg, _ = check_env(env, "Dockerfile")
    assert f"EXPOSE {cfg.port}" in text and "/healthz" in text
    assert 'ENTRYPOINT ["aimds", "serve"]' in text and "USER 10001" in text


def test_readme_settings_and_routes_are_real() -> None:
    text = (HERE / "README.md").read_text()
    named = set(re.findall(r"\bAIMDS_[A-Z_]+[A-Z]\b", text))
    assert named <= KNOWN_ENV, named - KNOWN_ENV
    assert set(ServerConfig.env_names().values()) <= named  # every server setting is documented
    for route in ROUTES:
        assert f"`{route}" in text or f"{route}`" in text or route in text, route
