"""The gateway's OpenAPI 3.1 document, written by hand to match the routes in ``app.py``.

Hand-written on purpose: the request schemas mirror the validators (unknown fields rejected, batch
size from config) and a test checks each documented route answers as documented.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from .._types import Action

__all__ = ["openapi_document"]


def _problem_ref(desc: str) -> dict[str, Any]:
    return {
        "description": desc,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _json(schema: dict[str, Any], desc: str = "OK") -> dict[str, Any]:
    return {"description": desc, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": _problem_ref("Malformed JSON"),
    "401": _problem_ref("Missing, invalid or revoked API key"),
    "403": _problem_ref("The key's role does not allow this route"),
    "413": _problem_ref("Body larger than max_body_bytes"),
    "415": _problem_ref("Body is not application/json"),
    "422": _problem_ref("Body fails validation; `errors` lists each field"),
    "429": _problem_ref("Rate limit exceeded; see Retry-After"),
    "503": _problem_ref("State store unavailable and on_store_error = reject"),
}


def _op(summary: str, role: str | None, responses: dict[str, Any], body: str | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if role is None:
        op["security"] = []
    else:
        op["x-aimds-role"] = role
        op["responses"] = {
            **responses,
            **{k: v for k, v in _ERRORS.items() if k in ("401", "403", "429", "503")},
        }
    if body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
        op["responses"] = {
            **op["responses"],
            **{k: v for k, v in _ERRORS.items() if k in ("400", "413", "415", "422")},
        }
    return op


def openapi_document(max_batch: int, sources: tuple[str, ...]) -> dict[str, Any]:
    verdict = {"$ref": "#/components/schemas/Verdict"}
    schemas: dict[str, Any] = {
        "InspectRequest": {
            "type": "object",
            "additionalProperties": False,
            "description": "Exactly one of `text` or `texts`.",
            "properties": {
                "text": {"type": "string"},
                "texts": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": max_batch},
                "source": {"type": "string", "enum": list(sources), "default": "user"},
                "session": {"type": ["string", "null"], "maxLength": 128},
                "explain": {"type": "boolean", "default": False},
            },
            "oneOf": [{"required": ["text"]}, {"required": ["texts"]}],
        },
        "OutputRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text"],
            "properties": {
                "text": {"type": "string"},
                "session": {"type": ["string", "null"], "maxLength": 128},
                "explain": {"type": "boolean", "default": False},
            },
        },
        "FeedbackRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["verdict_id", "is_attack"],
            "properties": {
                "verdict_id": {"type": "string", "maxLength": 64},
                "is_attack": {"type": "boolean"},
                "note": {"type": ["string", "null"], "maxLength": 1000},
                "text": {"type": ["string", "null"], "description": "needed when the verdict has expired"},
            },
        },
        "Verdict": {
            "type": "object",
            "required": ["id", "action", "blocked", "score", "categories", "source"],
            "properties": {
                "id": {"type": "string"},
                "action": {"type": "string", "enum": [a.value for a in Action]},
                "blocked": {"type": "boolean"},
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "categories": {"type": "array", "items": {"type": "string"}},
                "source": {"type": "string"},
                "session": {"type": "string"},
                "sanitized": {"type": "string"},
                "truncated": {"type": "boolean"},
                "skipped": {"type": "array", "items": {"type": "string"}},
                "error": {"type": "string"},
                "threats": {"type": "array", "items": {"type": "object"}},
                "timings_ns": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        },
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "description": "RFC 9457 problem details",
            "properties": {
                "type": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "request_id": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        },
    }
    paths = {
        "/v1/inspect": {
            "post": _op(
                "Inspect one text or a batch",
                "inspector",
                {
                    "200": _json(
                        {
                            "oneOf": [
                                verdict,
                                {
                                    "type": "object",
                                    "required": ["results"],
                                    "properties": {"results": {"type": "array", "items": verdict}},
                                },
                            ]
                        }
                    )
                },
                body="InspectRequest",
            )
        },
        "/v1/inspect/output": {
            "post": _op(
                "Inspect model output for leaks", "inspector", {"200": _json(verdict)}, body="OutputRequest"
            )
        },
        "/v1/feedback": {
            "post": _op(
                "Report whether a verdict's text was an attack",
                "operator",
                {
                    "201": _json({"type": "object"}, "Stored"),
                    "202": _json({"type": "object"}, "Queued in the local outbox (store unavailable)"),
                    "404": _problem_ref("Unknown or expired verdict and no text given"),
                },
                body="FeedbackRequest",
            )
        },
        "/v1/stats": {
            "get": _op(
                "Counters, learned entries, store health", "viewer", {"200": _json({"type": "object"})}
            )
        },
        "/v1/audit": {
            "get": {
                **_op(
                    "Tail of the audit stream",
                    "admin",
                    {"200": _json({"type": "object"}), "422": _ERRORS["422"]},
                ),
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100},
                    }
                ],
            }
        },
        "/metrics": {
            "get": _op(
                "Prometheus metrics",
                "viewer",
                {"200": {"description": "OK", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            )
        },
        "/healthz": {"get": _op("Liveness", None, {"200": _json({"type": "object"})})},
        "/readyz": {
            "get": _op(
                "Readiness (checks the state store)",
                None,
                {"200": _json({"type": "object"}), "503": _problem_ref("Store unavailable")},
            )
        },
        "/openapi.json": {"get": _op("This document", None, {"200": _json({"type": "object"})})},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "aimds gateway",
            "version": __version__,
            "description": "Prompt-injection, jailbreak and leakage inspection as a service. "
            "Roles are ordered viewer < inspector < operator < admin.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
