"""A small Flask app guarded by aimds-middleware (used by the tests and README).

``/chat`` and ``/form`` are guarded by the ``AIMDS`` extension (``paths``); ``/ask`` and ``/aask``
(async) by the ``@guard`` decorator. Every view answers with what it received.
Run it: ``flask --app flask_app:create_app run`` from this folder.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request

from aimds_middleware import Guard
from aimds_middleware.integrations.flask import AIMDS, guard


def create_app(g: Guard | None = None, **options: Any) -> Flask:
    app = Flask(__name__)
    app.config["AIMDS"] = {"paths": ["/chat", "/form"], "max_body_bytes": 64 * 1024}
    app.config["CALLS"] = calls = []  # views record themselves: a refused request never gets here
    AIMDS(app, guard=g or Guard(), **options)

    def echo(name: str) -> Any:
        calls.append(name)
        raw = request.get_data()
        return jsonify(received=request.get_json(silent=True), received_bytes=len(raw),
                       content_length=request.content_length)

    @app.post("/chat")
    def chat() -> Any:
        return echo("chat")

    @app.post("/form")
    def form() -> Any:
        calls.append("form")
        return jsonify(request.form.to_dict())

    @app.post("/ask")
    @guard(json_paths=["question"], block_status=422, guard=g)
    def ask() -> Any:
        return echo("ask")

    @app.post("/aask")
    @guard(guard=g)
    async def aask() -> Any:
        return echo("aask")

    return app
