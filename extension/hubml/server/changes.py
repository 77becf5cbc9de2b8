"""Fingerprints of what the panels list, for GET changes (the panels' long-poll).

Jupyter offers no file-change events for arbitrary folders, so the panels ask the server
whether anything they show changed, and fetch a listing only when it did. A fingerprint is
made from ``stat()`` calls only (no MLflow, Parquet or YAML work):

- ``projects``: each project root and each project's ``hubml-project.yaml``;
- per project, ``datasets``: the ``datasets/`` folder and each dataset folder (a new version
  appears by one rename into ``datasets/<name>/``, which changes that folder's mtime);
- ``models``: ``.hubml/mlflow.db`` and its ``-wal``/``-journal`` files (with
  ``HUBML_TRACKING_URI`` the store is elsewhere: the fingerprint then changes every
  ``REMOTE_STORE_SECONDS``, so the panels re-read it at that pace);
- ``jobs``: the jobs folder and every file of every job folder (status, log, metrics); while
  a job may still run, also a clock of ``RUNNING_JOB_SECONDS``, since a job whose process
  died is only noticed by asking for it, and the user's job queue file (a queued job's
  position changes when a job of another project starts).

Each value is a short hash; equal hashes mean "nothing to fetch".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time

from .base import open_project

__all__ = ["REMOTE_STORE_SECONDS", "RUNNING_JOB_SECONDS", "changes", "token"]

REMOTE_STORE_SECONDS = 5.0
RUNNING_JOB_SECONDS = 2.0
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
_FINAL = ("succeeded", "failed", "cancelled")
# status.json path -> ((mtime_ns, size), final?) so a settled job is read once
_STATE_CACHE: dict[str, tuple[tuple[int, int], bool]] = {}


def _stat(path, dir_fd=None) -> tuple:
    try:
        st = os.stat(path, dir_fd=dir_fd)
    except OSError:
        return ()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _digest(parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def _folder(path: str) -> list[tuple]:
    """(name, stat) of every entry of a folder, sorted, stat'ed relative to its descriptor."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return []
    try:
        return [(name, _stat(name, fd)) for name in sorted(os.listdir(fd))]
    except OSError:
        return []
    finally:
        os.close(fd)


def _projects() -> str:
    from ..workspace.projects import PROJECT_FILE
    from ..workspace.roots import project_roots

    parts = []
    for root in project_roots():
        parts.append((str(root), _stat(root)))
        for name, _ in _folder(str(root)):
            if not name.startswith("."):
                parts.append((name, _stat(os.path.join(root, name, PROJECT_FILE))))
    return _digest(parts)


def _may_run(status_path: str, stat: tuple) -> bool:
    cached = _STATE_CACHE.get(status_path)
    if cached is not None and cached[0] == stat[:2]:
        return not cached[1]
    try:
        with open(status_path, encoding="utf-8") as f:
            final = json.load(f).get("state") in _FINAL
    except (OSError, ValueError, AttributeError):
        final = False
    if len(_STATE_CACHE) > 10_000:
        _STATE_CACHE.clear()
    _STATE_CACHE[status_path] = (stat[:2], final)
    return not final


def _jobs(folder: str) -> str:
    parts: list = [_stat(folder)]
    running = False
    for job_id, stat in _folder(folder):
        files = _folder(os.path.join(folder, job_id))
        parts.append((job_id, stat, files))
        status = dict(files).get("status.json")
        if status and _may_run(os.path.join(folder, job_id, "status.json"), status):
            running = True
    if running:
        from ..training.queue import queue_file

        parts.append((int(time.time() / RUNNING_JOB_SECONDS), _stat(queue_file())))
    return _digest(parts)


def _models(hubml_dir: str) -> str:
    if os.environ.get("HUBML_TRACKING_URI"):
        return _digest(("remote", int(time.time() / REMOTE_STORE_SECONDS)))
    return _digest([_stat(os.path.join(hubml_dir, f"mlflow.db{suffix}"))
                    for suffix in ("", "-wal", "-journal")])


def _project(name: str) -> dict | None:
    from ..errors import NotFound

    try:
        p = open_project(name)
    except NotFound:
        return None
    path = str(p.path)
    hubml_dir = str(p.hubml_dir)
    datasets = os.path.join(path, "datasets")
    return {"datasets": _digest([_stat(datasets)] + [entry for entry in _folder(datasets)
                                                      if _SLUG.fullmatch(entry[0])]),
            "models": _models(hubml_dir),
            "jobs": _jobs(os.path.join(hubml_dir, "jobs"))}


def changes(projects: list[str]) -> dict:
    """``{"token", "projects", "project": {name: {"datasets", "models", "jobs"} | None}}``;
    a project that does not exist (any more) is null. 400 for a bad project name."""
    answer = {"projects": _projects(), "project": {name: _project(name) for name in projects}}
    return {"token": token(answer), **answer}


def token(answer: dict) -> str:
    """One hash of a whole answer (without its token): what ``since=`` is compared with."""
    return _digest(sorted((k, repr(v)) for k, v in answer.items() if k != "token"))
