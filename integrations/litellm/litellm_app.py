"""A small LiteLLM application guarded by aimds, in both ways the integration offers.

* SDK: :func:`answer` calls ``aimds_middleware.integrations.litellm.acompletion`` — LiteLLM's
  ``acompletion`` with the input messages and the output (streamed or not) guarded.
* Proxy: ``config.yaml`` beside this file registers ``AimdsGuardrail`` for pre_call, post_call
  and during_call; :func:`load_guardrails` initialises them exactly as ``litellm --config`` does.

Runs without network: pass ``mock_response=`` (LiteLLM's own offline response) as the tests do.
Set ``LITELLM_LOCAL_MODEL_COST_MAP=True`` so importing LiteLLM does not fetch its cost map.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from aimds_middleware import Guard
from aimds_middleware.integrations.litellm import acompletion

CONFIG = Path(__file__).with_name("config.yaml")
#: for LiteLLM 1.81–1.94, which loads custom guardrails only from files beside the config
SHIM = Path(__file__).with_name("aimds_guardrail.py")
GUARDRAIL_PATH = "aimds_middleware.integrations.litellm.AimdsGuardrail"
MODEL = "gpt-4o-mini"
SYSTEM = "You are a concise assistant for a travel site."


def chat(question: str, *, system: str = SYSTEM, tool_result: str | None = None) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}, {"role": "user", "content": question}]
    if tool_result is not None:
        messages += [
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "call-1", "type": "function", "function": {"name": "search", "arguments": '{"q": "paris"}'}}]},
            {"role": "tool", "tool_call_id": "call-1", "content": tool_result},
        ]
    return messages


async def answer(guard: Guard, question: str, *, mock_response: str, stream: bool = False,
                 system: str = SYSTEM, tool_result: str | None = None) -> str:
    """Ask the model; raises ``aimds_middleware.errors.Blocked`` when the guard refuses."""
    messages = chat(question, system=system, tool_result=tool_result)
    resp = await acompletion(model=MODEL, messages=messages, guard=guard, mock_response=mock_response,
                             stream=stream, session="travel-site")
    if not stream:
        return resp.choices[0].message.content
    parts = []
    async for chunk in resp:
        if chunk.choices and chunk.choices[0].delta.content:
            parts.append(chunk.choices[0].delta.content)
    return "".join(parts)


def shim_config(directory: Path) -> Path:
    """Write the shipped config with the shim path, and the shim beside it, into ``directory``."""
    text = CONFIG.read_text(encoding="utf-8").replace(GUARDRAIL_PATH, "aimds_guardrail.AimdsGuardrail")
    (directory / SHIM.name).write_text(SHIM.read_text(encoding="utf-8"), encoding="utf-8")
    target = directory / CONFIG.name
    target.write_text(text, encoding="utf-8")
    return target


def load_guardrails(config_path: Path = CONFIG) -> dict[str, Any]:
    """Initialise the config's guardrails the way the proxy does at start-up; return them by name.

    Needs LiteLLM's proxy dependencies (``pip install "litellm[proxy]"``)."""
    import yaml
    from litellm.proxy.guardrails.guardrail_registry import IN_MEMORY_GUARDRAIL_HANDLER
    from litellm.proxy.guardrails.init_guardrails import init_guardrails_v2

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    init_guardrails_v2(all_guardrails=config["guardrails"], config_file_path=str(config_path))
    found = {}
    for gid, cb in IN_MEMORY_GUARDRAIL_HANDLER.guardrail_id_to_custom_guardrail.items():
        if cb is not None:
            found[cb.guardrail_name] = (gid, cb)
    return found
