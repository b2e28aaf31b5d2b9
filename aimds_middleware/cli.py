"""The ``aimds`` command line.

    aimds scan TEXT [--explain]               one JSON verdict on stdout
    aimds scan --file F.jsonl [--explain]     one verdict per input line ({"text": ...})
    aimds serve / aimds keys ...              the REST gateway (see aimds_middleware.server)

Exit status of ``scan``: 0 all lines inspected, 1 some lines were malformed (each reported on
stderr with its line number; the others are still inspected), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from . import __version__
from ._config import GuardConfig
from .errors import AimdsError, ConfigError

__all__ = ["main"]

_MAX_LINE = 16 << 20


def _guard(args: argparse.Namespace) -> Any:
    from ._guard import Guard

    cfg = GuardConfig.from_file(args.config) if getattr(args, "config", None) else GuardConfig()
    return Guard(GuardConfig.from_env(base=cfg))


def _lines(stream: IO[str]) -> Iterator[tuple[int, str | None]]:
    for n, line in enumerate(stream, 1):
        yield n, line


def _progress(done: int, total: int | None, started: float, out: IO[str]) -> None:
    rate = done / max(time.monotonic() - started, 1e-9)
    if total:
        width = 30
        fill = int(width * done / total)
        out.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{total} {rate:,.0f}/s")
    else:
        out.write(f"\r{done} lines {rate:,.0f}/s")
    out.flush()


def cmd_scan(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.file is None):
        print("aimds scan: give TEXT or --file F.jsonl (not both)", file=sys.stderr)
        return 2
    guard = _guard(args)
    out = sys.stdout
    counts: Counter[str] = Counter()
    failed = 0

    def emit(verdict: Any, extra: dict[str, Any] | None = None) -> None:
        d = verdict.to_dict(explain=args.explain)
        if extra:
            d.update(extra)
        counts[verdict.action.value] += 1
        out.write(json.dumps(d, ensure_ascii=False) + "\n")

    if args.text is not None:
        text = sys.stdin.read() if args.text == "-" else args.text
        emit(guard.inspect(text, source=args.source, session=args.session))
        return 0

    path = args.file
    stream: IO[str]
    if path == "-":
        stream, total = sys.stdin, None
    else:
        p = Path(path)
        try:
            stream = p.open("r", encoding="utf-8", errors="strict", newline="")
        except OSError as exc:
            print(f"aimds scan: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        total = None
    tty = sys.stderr.isatty() and not args.quiet
    if tty and path != "-":
        try:
            with Path(path).open("rb") as fh:
                total = sum(1 for _ in fh)
        except OSError:
            total = None
    started = time.monotonic()
    n = 0
    try:
        for n, line in _lines_safe(stream):
            if line is None:
                failed += 1
                print(f"aimds scan: line {n}: not valid UTF-8", file=sys.stderr)
                continue
            if not line.strip():
                continue
            try:
                if len(line) > _MAX_LINE:
                    raise ValueError(f"line longer than {_MAX_LINE} characters")
                obj = json.loads(line)
                if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                    raise ValueError('expected an object with a string "text" field')
                source = obj.get("source", args.source)
                session = obj.get("session", args.session)
                verdict = guard.inspect(obj["text"], source=source, session=session)
            except (ValueError, TypeError) as exc:
                failed += 1
                print(f"aimds scan: line {n}: {exc}", file=sys.stderr)
                continue
            extra = {"line": n}
            if "id" in obj and isinstance(obj["id"], (str, int)):
                extra["input_id"] = obj["id"]
            emit(verdict, extra)
            if tty and n % 50 == 0:
                _progress(n, total, started, sys.stderr)
    finally:
        if stream is not sys.stdin:
            stream.close()
    if tty:
        _progress(n, total, started, sys.stderr)
        sys.stderr.write("\n")
    if tty or args.summary:
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no lines"
        msg = f"summary: {sum(counts.values())} inspected ({parts})"
        if failed:
            msg += f"; {failed} malformed line(s)"
        print(msg, file=sys.stderr)
    return 1 if failed else 0


def _lines_safe(stream: IO[str]) -> Iterator[tuple[int, str | None]]:
    """Lines with their numbers; a line that is not valid UTF-8 yields None instead of aborting."""
    buf = getattr(stream, "buffer", None)
    if buf is None:
        yield from _lines(stream)
        return
    for n, raw in enumerate(buf, 1):
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError:
            yield n, None


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="aimds", description="AI model defense: inspect text for prompt injection.")
    ap.add_argument("--version", action="version", version=f"aimds-middleware {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    scan = sub.add_parser("scan", help="inspect TEXT or a JSONL file; one JSON verdict per line")
    scan.add_argument("text", nargs="?", help="text to inspect ('-' reads stdin)")
    scan.add_argument("--file", "-f", help='JSONL file, one {"text": ...} per line (- for stdin)')
    scan.add_argument("--explain", action="store_true", help="include threats, spans and timings")
    scan.add_argument("--source", default="user", help="user|system|tool|retrieval|web (default user)")
    scan.add_argument("--session", default=None)
    scan.add_argument("--config", help="TOML configuration file")
    scan.add_argument("--summary", action="store_true", help="print counts per action to stderr")
    scan.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    scan.set_defaults(func=cmd_scan)

    try:
        from .server.cli import register
    except ImportError:
        pass
    else:
        register(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"aimds: configuration error: {exc}", file=sys.stderr)
        return 2
    except AimdsError as exc:
        print(f"aimds: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
