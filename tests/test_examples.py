"""Every file in examples/ runs (the README's snippets are these files)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_runs(path):
    r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=EXAMPLES)
    assert r.returncode == 0, r.stderr


def test_prompts_jsonl_is_valid_and_scannable():
    rows = [json.loads(line) for line in (EXAMPLES / "prompts.jsonl").read_text().splitlines() if line]
    assert rows and all(isinstance(r["text"], str) for r in rows)
    r = subprocess.run([sys.executable, "-m", "aimds_middleware", "scan", "--file", str(EXAMPLES / "prompts.jsonl")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = {json.loads(x)["input_id"]: json.loads(x)["action"] for x in r.stdout.splitlines()}
    assert out["benign-1"] == "allow" and out["override-1"] == "block"
