"""The queue of a project's training jobs: at most :func:`running_limit` run at once.

``<project>/.hubml/jobs/queue.json`` holds ``{"waiting": [ids], "running": [ids]}`` in
submission order and changes only under ``.hubml/jobs/.queue.lock``, so the Jupyter server and
the SDK in a kernel (separate processes) share one queue. Nothing runs a scheduler: whoever
notices a free slot starts the next waiting job. That is the submitter, a runner as it exits
(finished, failed or cancelled), a cancel, and a status read of a waiting job or of a job
whose runner is gone (a crash, SIGKILL), so a queue never stalls on a runner that died.

The limit is ``HUBML_MAX_RUNNING_JOBS`` (default 1). The server sets it from
``c.HubML.max_running_jobs``; kernels and runner processes inherit it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import InvalidInput
from ..workspace.storage import file_lock, write_json_atomic

__all__ = ["LIMIT_ENV", "position", "running_limit", "schedule", "set_running_limit", "submit",
           "withdraw"]

LIMIT_ENV = "HUBML_MAX_RUNNING_JOBS"
DEFAULT_LIMIT = 1
QUEUE_FILE = "queue.json"


def running_limit() -> int:
    """How many of a project's jobs may run at once (``HUBML_MAX_RUNNING_JOBS``, default 1)."""
    text = os.environ.get(LIMIT_ENV, "").strip()
    if text.isascii() and text.isdigit() and int(text) >= 1:
        return int(text)
    return DEFAULT_LIMIT


def set_running_limit(limit: int) -> None:
    """Set the limit for this process and the processes it starts (kernels, job runners)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidInput(f"the running job limit must be a whole number from 1, not {limit!r}",
                           details={"field": "max_running_jobs"})
    os.environ[LIMIT_ENV] = str(limit)


def _folder(project) -> Path:
    return project.hubml_dir / "jobs"


def _read(folder: Path) -> dict:
    try:
        queue = json.loads((folder / QUEUE_FILE).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        queue = {}
    if not isinstance(queue, dict):
        queue = {}
    return {key: [i for i in queue.get(key, []) if isinstance(i, str)]
            for key in ("waiting", "running")}


def _lock(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    return file_lock(folder / ".queue.lock")


def _fill(project, queue: dict) -> None:
    """Drop ended jobs from ``running``; start waiting ones while there is room."""
    from .jobs import FINAL, Job, effective_status, launch, read_status

    def active(job_id: str) -> bool:
        job = Job(project, job_id)
        return job.path.is_dir() and effective_status(job).get("state") not in FINAL

    queue["running"] = [i for i in queue["running"] if active(i)]
    while queue["waiting"] and len(queue["running"]) < running_limit():
        job = Job(project, queue["waiting"].pop(0))
        status = read_status(job.path)
        if status.get("state") != "queued" or status.get("cancel_requested") or \
                status.get("pid"):
            continue        # cancelled or deleted while it waited, or started elsewhere
        launch(job)
        queue["running"].append(job.id)   # a launch that failed is dropped next time


def submit(job):
    """Put a created job at the end of its project's queue and start it if there is room."""
    folder = _folder(job.project)
    with _lock(folder):
        queue = _read(folder)
        queue["waiting"].append(job.id)
        _fill(job.project, queue)
        write_json_atomic(folder / QUEUE_FILE, queue)
    return job


def schedule(project) -> None:
    """Start waiting jobs if running ones have ended (a no-op without a queue)."""
    folder = _folder(project)
    if not (folder / QUEUE_FILE).is_file():
        return
    with _lock(folder):
        queue = _read(folder)
        before = json.dumps(queue)
        _fill(project, queue)
        if json.dumps(queue) != before:
            write_json_atomic(folder / QUEUE_FILE, queue)


def is_waiting(job) -> bool:
    return job.id in _read(_folder(job.project))["waiting"]


def position(job) -> int | None:
    """1 for the next job to start, 2 for the one after, ...; None if it is not waiting."""
    waiting = _read(_folder(job.project))["waiting"]
    return waiting.index(job.id) + 1 if job.id in waiting else None


def withdraw(job, **final_status) -> bool:
    """Take a waiting job out of the queue, recording ``final_status``; False if it is not
    waiting (it runs, ended, or was never queued)."""
    from .jobs import update_status

    folder = _folder(job.project)
    if not (folder / QUEUE_FILE).is_file():
        return False
    with _lock(folder):
        queue = _read(folder)
        if job.id not in queue["waiting"]:
            return False
        queue["waiting"].remove(job.id)
        update_status(job.path, **final_status)
        write_json_atomic(folder / QUEUE_FILE, queue)
    return True
