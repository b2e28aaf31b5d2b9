"""RFC 9457 problem details: every error the gateway returns, and request-body validation.

A problem never carries a stack trace, an API key or the submitted text: only a type URI, a
title, the status, a human ``detail`` and, for validation errors, the list of offending fields.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

try:
    from starlette.responses import Response
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    from ..errors import IntegrationUnavailable

    raise IntegrationUnavailable("aimds serve", "server", exc) from exc

__all__ = ["ApiError", "Field", "problem", "validate"]

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid request body",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


class ApiError(Exception):
    """Raised by handlers; rendered as problem+json by the app."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.detail = status, slug, detail
        self.headers = dict(headers or {})
        self.errors = errors


def problem(
    status: int,
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"urn:aimds:problem:{slug}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    return Response(
        json.dumps(body),
        status_code=status,
        headers=dict(headers or {}),
        media_type="application/problem+json",
    )


class Field:
    """One body field: type(s), whether required, bounds, allowed values."""

    __slots__ = ("types", "required", "max_len", "choices", "default", "items")

    def __init__(
        self,
        types: type | tuple[type, ...],
        *,
        required: bool = False,
        max_len: int | None = None,
        choices: tuple[str, ...] | None = None,
        default: Any = None,
        items: type | None = None,
    ) -> None:
        self.types = types if isinstance(types, tuple) else (types,)
        self.required, self.max_len, self.choices = required, max_len, choices
        self.default, self.items = default, items


_TYPE_NAMES = {
    str: "string",
    bool: "boolean",
    list: "array",
    int: "integer",
    float: "number",
    type(None): "null",
}


def validate(body: Any, schema: Mapping[str, Field]) -> dict[str, Any]:
    """Check a decoded JSON body against ``schema``; raise a 422 ApiError listing every problem."""
    if not isinstance(body, dict):
        raise ApiError(422, "invalid-body", "the request body must be a JSON object")
    errors: list[dict[str, str]] = []
    out: dict[str, Any] = {}
    for name in body:
        if name not in schema:
            errors.append({"field": str(name)[:64], "message": "unknown field"})
    for name, f in schema.items():
        if name not in body:
            if f.required:
                errors.append({"field": name, "message": "required"})
            out[name] = f.default
            continue
        v = body[name]
        # bool is an int in Python; JSON true must not pass as a number or vice versa
        if not isinstance(v, f.types) or (isinstance(v, bool) and bool not in f.types):
            want = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in f.types)
            errors.append({"field": name, "message": f"must be {want}"})
            continue
        if f.choices is not None and v is not None and v not in f.choices:
            errors.append({"field": name, "message": f"must be one of {', '.join(f.choices)}"})
            continue
        if f.max_len is not None and v is not None and len(v) > f.max_len:
            errors.append(
                {
                    "field": name,
                    "message": f"at most {f.max_len} {'items' if isinstance(v, list) else 'characters'}",
                }
            )
            continue
        if f.items is not None and isinstance(v, list):
            bad = [i for i, x in enumerate(v) if not isinstance(x, f.items)]
            if bad:
                errors.append(
                    {"field": f"{name}[{bad[0]}]", "message": f"must be {_TYPE_NAMES.get(f.items, 'valid')}"}
                )
                continue
        out[name] = v
    if errors:
        raise ApiError(422, "invalid-body", f"{len(errors)} problem(s) in the request body", errors=errors)
    return out
