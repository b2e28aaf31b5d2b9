"""Each adapter, imported without its host framework, raises IntegrationUnavailable naming its extra.

The host is hidden in a fresh interpreter by an import hook that refuses it (as if it were not
installed), so the check runs whether or not the host is installed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import aimds_middleware.integrations

ADAPTERS = [  # (adapter module, host package to hide, extra to install)
    ("starlette", "starlette", "starlette"),
    ("django", "django", "django"),
    ("flask", "flask", "flask"),
    ("langchain", "langchain_core", "langchain"),
    ("litellm", "litellm", "litellm"),
]
HOSTS = ["starlette", "fastapi", "django", "flask", "werkzeug", "langchain_core", "litellm", "uvicorn"]

_PROBE = r"""
import json, sys

HIDDEN = set(sys.argv[2].split(","))

class HideHosts:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, HideHosts())
result = {}
try:
    __import__(sys.argv[1])
    result["imported"] = True
except ImportError as exc:
    from aimds_middleware.errors import IntegrationUnavailable
    result.update(imported=False, type=type(exc).__name__, message=str(exc),
                  is_unavailable=isinstance(exc, IntegrationUnavailable), extra=getattr(exc, "extra", None))
result["hosts_loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in HIDDEN)
print(json.dumps(result))
"""


def probe(module: str, hidden: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, module, ",".join(hidden)],
        check=False, capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[1],
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("adapter,host,extra", ADAPTERS, ids=[a[0] for a in ADAPTERS])
def test_adapter_without_host_names_the_extra(adapter: str, host: str, extra: str) -> None:
    if not (Path(aimds_middleware.integrations.__file__).parent / f"{adapter}.py").exists():
        pytest.skip(f"aimds_middleware/integrations/{adapter}.py does not exist yet")
    res = probe(f"aimds_middleware.integrations.{adapter}", [host])
    assert res["imported"] is False
    assert res["is_unavailable"], res
    assert res["extra"] == extra
    assert f'pip install "aimds-middleware[{extra}]"' in res["message"]


def test_pure_asgi_adapter_and_http_helpers_need_no_host() -> None:
    for module in ("aimds_middleware.integrations.asgi", "aimds_middleware.integrations._http"):
        res = probe(module, HOSTS)
        assert res == {"imported": True, "hosts_loaded": []}, res
