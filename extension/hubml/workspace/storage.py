"""Atomic writes and file locks: a reader never sees half a version, a killed writer leaves
the store readable.

Build in a temporary folder on the same file system, fsync, then rename into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from pathlib import Path

__all__ = ["TMP_PREFIX", "atomic_folder", "clean_stale_tmp", "file_lock", "fsync_tree",
           "write_json_atomic"]

TMP_PREFIX = ".tmp-"
STALE_SECONDS = 3600


def file_lock(path: Path, timeout: float = 60):
    """An inter-process lock on ``path`` (a ``.lock`` file beside the data)."""
    from filelock import FileLock

    return FileLock(str(path), timeout=timeout)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    for child in folder.rglob("*"):
        if child.is_file():
            _fsync(child)
    _fsync(folder)


def write_json_atomic(path: Path, data) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, default=str)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync(path.parent)


@contextlib.contextmanager
def atomic_folder(parent: Path):
    """Yield a temporary folder under ``parent``; removed unless the caller renamed it."""
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f"{TMP_PREFIX}{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        yield tmp
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def clean_stale_tmp(parent: Path, older_than: float = STALE_SECONDS) -> None:
    """Remove temporary folders that a killed writer left behind."""
    if not parent.is_dir():
        return
    now = time.time()
    for child in parent.iterdir():
        if child.name.startswith(TMP_PREFIX):
            try:
                if now - child.stat().st_mtime > older_than:
                    shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
            except FileNotFoundError:
                pass
