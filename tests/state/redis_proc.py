"""A real redis-server on a free loopback port, for the store and gateway tests.

The tests start their own server (never a shared one) and can kill and restart it on the same
port to exercise outages. ``make test`` installs Debian's redis-server when it is missing.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from typing import Any, Iterator

import pytest

BINARY = shutil.which("redis-server")
SKIP_REASON = "redis-server binary not found (make test installs it: apt-get install redis-server)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisProcess:
    def __init__(self, persistent: bool = False) -> None:
        #: persistent: append-only file fsynced on every write, so a kill -9 loses nothing
        self.persistent = persistent
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="aimds-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert BINARY is not None
        self.proc = subprocess.Popen(
            [
                BINARY,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.persistent else "no",
                "--appendfsync",
                "always",
                "--dir",
                self.dir,
                "--protected-mode",
                "yes",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=5)
            self.proc = None

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def serve(**options: Any) -> Iterator[RedisProcess]:
    """Body of a fixture: a started RedisProcess(**options), stopped afterwards; skips the test
    when the binary is missing."""
    if BINARY is None:
        pytest.skip(SKIP_REASON)
    server = RedisProcess(**options)
    server.start()
    yield server
    server.stop()
