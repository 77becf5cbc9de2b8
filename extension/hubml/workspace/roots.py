"""Where projects live: ``HUBML_PROJECT_ROOTS`` (``os.pathsep``-separated), else ``~/projects``."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_roots"]


def project_roots() -> list[Path]:
    raw = os.environ.get("HUBML_PROJECT_ROOTS", "")
    roots = [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
    return roots or [Path("~/projects").expanduser()]
