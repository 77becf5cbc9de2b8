"""On a user's first server start, make the demo project in the background.

The hub's spawner sets ``HUBML_DEMO_PROJECT=1``; the server extension calls
:func:`maybe_create_demo` at load, which starts ``hubml demo --first-start`` as a detached
process (so the server starts as fast as without it) unless the marker file says it ran.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["demo_marker", "maybe_create_demo"]


def demo_marker() -> Path:
    return Path.home() / ".hubml" / "demo-created"


def maybe_create_demo(log=None) -> subprocess.Popen | None:
    if os.environ.get("HUBML_DEMO_PROJECT", "") not in ("1", "true", "yes"):
        return None
    if demo_marker().exists():
        return None
    demo_marker().parent.mkdir(parents=True, exist_ok=True)
    log_file = open(demo_marker().parent / "demo.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "hubml.cli", "demo", "--first-start"],
                            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                            start_new_session=True)
    if log is not None:
        log.info("hubml: creating the demo project in the background (pid %s)", proc.pid)
    return proc
