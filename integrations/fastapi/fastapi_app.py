"""A small FastAPI app showing both ways to guard it (used by the tests and README).

* ``/v1/...`` routes sit behind ``GuardMiddleware`` (added with ``add_guard``): refusals never reach
  FastAPI, SANITIZE rewrites the body the route's pydantic model is parsed from.
* ``/ask`` uses the ``guard_dependency`` instead: the route receives a ``GuardedBody``.

Run it: ``uvicorn --factory fastapi_app:create_app`` from this folder.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel

from aimds_middleware import Guard
from aimds_middleware.integrations.starlette import (
    GuardedBody,
    add_guard,
    guard_dependency,
    install_problem_handler,
)


class Message(BaseModel):
    role: str
    content: str


class ChatRequest(BaseModel):
    model: str = "m"
    messages: list[Message]


def create_app(guard: Guard | None = None, **options: Any) -> FastAPI:
    guard = guard or Guard()
    app = FastAPI()
    add_guard(app, guard, paths=["/v1/"], **options)
    install_problem_handler(app)
    checked = guard_dependency(guard, **options)

    @app.post("/v1/chat/completions")
    async def chat(req: ChatRequest, request: Request) -> dict[str, Any]:
        return {"received": req.model_dump(), "content_length": request.headers.get("content-length")}

    @app.post("/ask")
    async def ask(body: GuardedBody = Depends(checked)) -> dict[str, Any]:
        return {"received": body.json(), "sanitized": body.sanitized, "request_id": body.request_id}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
