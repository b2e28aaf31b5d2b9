"""Sanitiser (bootstrap version)."""
from __future__ import annotations


def sanitize(text, threats):
    out = text
    for t in sorted((t for t in threats if t.span), key=lambda t: -t.span[0]):
        a, b = t.span
        out = out[:a] + "[removed]" + out[b:]
    return out, tuple(f"removed {t.rule_id}" for t in threats)
