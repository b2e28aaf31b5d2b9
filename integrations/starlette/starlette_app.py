"""A small OpenAI-shaped Starlette app guarded by aimds-middleware (used by the tests and README).

``POST /v1/chat/completions`` answers with ``app.state.reply`` as a chat completion, or as a
server-sent-event stream of small deltas when the request says ``"stream": true``; the reply also
echoes what the route received so tests can see exactly which body reached it.
Run it: ``uvicorn --factory starlette_app:create_app`` from this folder.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from aimds_middleware import Guard
from aimds_middleware.integrations.starlette import GuardMiddleware

DEFAULT_REPLY = "Paris is the capital of France."


async def chat(request: Request) -> Any:
    raw = await request.body()
    data = json.loads(raw)
    reply: str = request.app.state.reply
    if data.get("stream"):
        return StreamingResponse(_sse(reply), media_type="text/event-stream")
    return JSONResponse({
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
        "received": data,
        "received_bytes": len(raw),
        "content_length": request.headers.get("content-length"),
    })


async def _sse(reply: str) -> Any:
    head = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"role": "assistant"}}]}
    yield f"data: {json.dumps(head)}\n\n"
    for i in range(0, len(reply), 4):  # small deltas: a secret is always split across events
        chunk = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": reply[i:i + 4]}}]}
        yield f"data: {json.dumps(chunk)}\n\n"
    done = {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    yield f"data: {json.dumps(done)}\n\n"
    yield "data: [DONE]\n\n"


async def form(request: Request) -> Any:
    # parse_qsl rather than request.form(): keeps the example free of python-multipart
    return JSONResponse(dict(parse_qsl((await request.body()).decode())))


async def health(request: Request) -> Any:
    return PlainTextResponse("ok")


async def echo_ws(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


def create_app(guard: Guard | None = None, **options: Any) -> Starlette:
    app = Starlette(
        routes=[
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/form", form, methods=["POST"]),
            Route("/health", health),
            WebSocketRoute("/ws", echo_ws),
        ],
        middleware=[Middleware(GuardMiddleware, guard=guard or Guard(), **options)],
    )
    app.state.reply = DEFAULT_REPLY
    return app

