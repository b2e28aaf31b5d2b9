"""Shim for LiteLLM proxies that load custom guardrails only from a file beside ``config.yaml``.

LiteLLM 1.81–1.94 resolves ``guardrail: <module>.<Class>`` to ``<config dir>/<module>.py`` and
nothing else; from 1.95 on it also imports installed modules, so ``config.yaml`` can name
``aimds_middleware.integrations.litellm.AimdsGuardrail`` directly. On the older versions copy this
file next to your config and write ``guardrail: aimds_guardrail.AimdsGuardrail``.
"""

from aimds_middleware.integrations.litellm import AimdsGuardrail

__all__ = ["AimdsGuardrail"]
