"""``python -m aimds_middleware.server serve|keys ...`` (same commands as ``aimds serve|keys``)."""

from .cli import main

raise SystemExit(main())
