"""``aimds serve`` and ``aimds keys add|list|revoke``.

The lead's ``aimds_middleware/cli.py`` calls :func:`register` with its sub-parsers; until then
``python -m aimds_middleware.server serve|keys ...`` runs the same commands. Each command returns
an exit code: 0 ok, 1 not found, 2 configuration or start-up error (printed as one clear line,
never a traceback, never a key other than the one just created).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from typing import Any, Sequence

from ..errors import AimdsError, ConfigError
from .config import ServerConfig
from .keys import ROLES, KeyFile

__all__ = ["main", "register"]


def register(subparsers: Any) -> None:
    """Add ``serve`` and ``keys`` to an argparse sub-parser collection."""
    serve = subparsers.add_parser("serve", help="run the REST gateway (Starlette under uvicorn)")
    _common(serve)
    serve.add_argument("--host", help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8080)")
    serve.add_argument("--redis-url", help="shared state in Redis (default: in memory)")
    serve.set_defaults(func=cmd_serve)

    keys = subparsers.add_parser("keys", help="manage API keys")
    ks = keys.add_subparsers(dest="keys_command", required=True)
    add = ks.add_parser("add", help="create a key and print it once")
    _common(add)
    add.add_argument("--name", required=True, help="who or what uses the key")
    add.add_argument("--role", required=True, choices=ROLES)
    add.set_defaults(func=cmd_keys_add)
    ls = ks.add_parser("list", help="list keys (never their secrets)")
    _common(ls)
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.set_defaults(func=cmd_keys_list)
    rv = ks.add_parser("revoke", help="revoke a key by id; running gateways stop accepting it")
    _common(rv)
    rv.add_argument("key_id")
    rv.set_defaults(func=cmd_keys_revoke)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="TOML file with [server] and [guard] tables")
    p.add_argument("--keys-file", help="API keys file (JSON); default from config")


def _server_config(args: argparse.Namespace) -> ServerConfig:
    cfg = ServerConfig.load(args.config)
    over = {
        k: v
        for k, v in (
            ("host", getattr(args, "host", None)),
            ("port", getattr(args, "port", None)),
            ("keys_file", args.keys_file),
            ("redis_url", getattr(args, "redis_url", None)),
        )
        if v is not None
    }
    return dataclasses.replace(cfg, **over) if over else cfg


def _fail(cmd: str, msg: str) -> int:
    print(f"aimds {cmd}: {msg}", file=sys.stderr)
    return 2


# ---- keys ----------------------------------------------------------------------------------
def cmd_keys_add(args: argparse.Namespace) -> int:
    try:
        cfg = _server_config(args)
        key, secret = KeyFile(cfg.keys_file).add(args.name, args.role)
    except ConfigError as exc:
        return _fail("keys add", str(exc))
    print(f"created key {key.id} ({key.role}) in {cfg.keys_file}; this is the only time it is shown:")
    print(secret)
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    try:
        cfg = _server_config(args)
        keys = KeyFile(cfg.keys_file).list()
    except ConfigError as exc:
        return _fail("keys list", str(exc))
    for k in keys:
        if args.json:
            print(json.dumps(k.public()))
        else:
            state = f"revoked {k.revoked}" if k.revoked else "active"
            print(f"{k.id}  {k.role:<9}  {state:<28}  {k.name}")
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    try:
        cfg = _server_config(args)
        ok = KeyFile(cfg.keys_file).revoke(args.key_id)
    except ConfigError as exc:
        return _fail("keys revoke", str(exc))
    if not ok:
        print(f"aimds keys revoke: no active key with id {args.key_id!r}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


# ---- serve ---------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from .. import GuardConfig
    from ..telemetry import configure_logging

    try:
        cfg = _server_config(args)
        gcfg = GuardConfig.from_env(base=GuardConfig.from_file(args.config) if args.config else None)
    except ConfigError as exc:
        return _fail("serve", f"configuration error: {exc}")
    try:
        import uvicorn

        from .app import create_app
    except ImportError:
        return _fail("serve", 'the gateway needs its extra: pip install "aimds-middleware[server]"')

    keys = KeyFile(cfg.keys_file)
    try:
        first = not keys.exists()
        if first:
            key, secret = keys.add("first-run admin", "admin")
        else:
            keys.list()  # validates the file now, not on the first request
    except (ConfigError, OSError) as exc:
        return _fail("serve", f"keys file: {exc}")
    if first:
        print(
            f"aimds serve: no keys file, created {cfg.keys_file} with an admin key "
            f"(id {key.id}). It is shown only this once:\n{secret}",
            flush=True,
        )

    if cfg.redis_url:
        from ..state.redis import RedisStore, redact_url

        async def probe() -> bool:
            s = RedisStore(cfg.redis_url, prefix=cfg.redis_prefix, socket_timeout=cfg.redis_timeout_s)
            try:
                return await s.aping()
            finally:
                await s.aclose()

        if not asyncio.run(probe()):
            where = redact_url(cfg.redis_url)
            if cfg.redis_at_start == "fail":
                return _fail(
                    "serve",
                    f"redis at {where} does not answer; start it, fix AIMDS_REDIS_URL, "
                    'or set redis_at_start = "degraded" to start without it',
                )
            print(f"aimds serve: redis at {where} does not answer; starting degraded", file=sys.stderr)

    configure_logging(cfg.log_format, cfg.log_level)
    try:
        app = create_app(cfg, guard_config=gcfg, freeze_gc_after_start=True)
    except AimdsError as exc:  # e.g. a signature pack or weights file that does not load
        return _fail("serve", f"the engine could not start: {exc}")
    uvicorn.run(
        app,
        host=cfg.host,
        port=cfg.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        server_header=False,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aimds", description="aimds gateway commands")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))
