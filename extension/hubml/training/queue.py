"""The queue of a user's training jobs: at most :func:`running_limit` run at once on the
user's server, across all of the user's projects.

The queue lives outside every project, in the user's Jupyter data directory
(``jupyter_core.paths.jupyter_data_dir()``, i.e. ``$JUPYTER_DATA_DIR`` or
``~/.local/share/jupyter``): ``hubml/jobs-queue.json`` holds ``{"id": token, "waiting":
[entries], "running": [entries]}`` in submission order, an entry being ``{"project":
absolute project path, "job": job id}``, and it changes only under ``hubml/jobs-queue.lock``.
The Jupyter server, the SDK in its kernels and the job runners (separate processes of one
user, one home) share it; a project copied, moved or shared carries no queue state, and two
users of a shared group project each have their own queue. A job's own status.json stays in
``<project>/.hubml/jobs/<id>/`` and records the id of the queue it waits in.

Nothing runs a scheduler: whoever notices a free slot starts the next waiting job, whatever
its project. That is the submitter, a runner as it exits (finished, failed or cancelled), a
cancel, and a status read of a waiting job or of a job whose runner is gone (a crash,
SIGKILL), so a queue never stalls on a runner that died.

The limit is ``HUBML_MAX_RUNNING_JOBS`` (default 1). The server sets it from
``c.HubML.max_running_jobs``; kernels and runner processes inherit it.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from ..errors import InvalidInput
from ..workspace.storage import file_lock, write_json_atomic

__all__ = ["LIMIT_ENV", "is_orphaned", "is_waiting", "position", "queue_file", "running_limit",
           "schedule", "set_running_limit", "submit", "withdraw"]

LIMIT_ENV = "HUBML_MAX_RUNNING_JOBS"
DEFAULT_LIMIT = 1
QUEUE_FILE = "jobs-queue.json"
LOCK_FILE = "jobs-queue.lock"


def running_limit() -> int:
    """How many of the user's jobs may run at once (``HUBML_MAX_RUNNING_JOBS``, default 1)."""
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


def queue_file() -> Path:
    """The user's queue file (read the environment each time: tests and servers set it)."""
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "hubml" / QUEUE_FILE


def _entry(job) -> dict:
    return {"project": str(Path(job.project.path).resolve()), "job": job.id}


def _job(entry: dict):
    from ..workspace.projects import Project
    from .jobs import Job

    return Job(Project(Path(entry["project"])), entry["job"])


def _valid(entry) -> bool:
    from .jobs import _ID

    return isinstance(entry, dict) and isinstance(entry.get("project"), str) and \
        os.path.isabs(entry["project"]) and isinstance(entry.get("job"), str) and \
        bool(_ID.fullmatch(entry["job"]))


def _read() -> dict:
    try:
        queue = json.loads(queue_file().read_text("utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        queue = {}
    if not isinstance(queue, dict):
        queue = {}
    out = {key: [e for e in queue.get(key, []) if _valid(e)] if isinstance(queue.get(key), list)
           else [] for key in ("waiting", "running")}
    out["id"] = queue.get("id") if isinstance(queue.get("id"), str) else None
    return out


def _write(queue: dict) -> None:
    write_json_atomic(queue_file(), queue)


def _lock():
    folder = queue_file().parent
    folder.mkdir(parents=True, exist_ok=True)
    return file_lock(folder / LOCK_FILE)


def _fill(queue: dict) -> None:
    """Drop ended jobs from ``running``; start waiting ones while there is room."""
    from .jobs import FINAL, effective_status, launch, read_status

    def active(entry: dict) -> bool:
        job = _job(entry)
        return job.path.is_dir() and effective_status(job).get("state") not in FINAL

    queue["running"] = [e for e in queue["running"] if active(e)]
    while queue["waiting"] and len(queue["running"]) < running_limit():
        entry = queue["waiting"].pop(0)
        job = _job(entry)
        status = read_status(job.path) if job.path.is_dir() else {}
        if status.get("state") != "queued" or status.get("cancel_requested") or \
                status.get("pid"):
            continue        # cancelled, deleted or moved while it waited, or started elsewhere
        launch(job)
        queue["running"].append(entry)   # a launch that failed is dropped next time


def submit(job):
    """Put a created job at the end of the user's queue and start it if there is room."""
    from .jobs import update_status

    with _lock():
        queue = _read()
        queue["id"] = queue["id"] or secrets.token_hex(8)
        queue["waiting"].append(_entry(job))
        _write(queue)       # first the queue, then the status that names it (is_orphaned)
        update_status(job.path, queue=queue["id"])
        _fill(queue)
        _write(queue)
    return job


def schedule() -> None:
    """Start waiting jobs if running ones have ended (a no-op without a queue)."""
    if not queue_file().is_file():
        return
    with _lock():
        queue = _read()
        before = json.dumps(queue)
        _fill(queue)
        if json.dumps(queue) != before:
            _write(queue)


def is_waiting(job) -> bool:
    return _entry(job) in _read()["waiting"]


def is_orphaned(job, status: dict) -> bool:
    """A job that ``status`` shows waiting in this user's queue, which no longer holds it:
    a copy of the project (or the project moved) while the job waited. It never starts."""
    from .jobs import read_status

    if status.get("state") != "queued" or status.get("pid") or not status.get("queue"):
        return False
    queue = _read()
    if status["queue"] != queue["id"] or _entry(job) in queue["waiting"]:
        return False
    again = read_status(job.path)    # it may have been started or withdrawn a moment ago
    return again.get("state") == "queued" and not again.get("pid")


def position(job) -> int | None:
    """1 for the next job to start, 2 for the one after, ... counting the waiting jobs of all
    the user's projects; None if it is not waiting."""
    waiting, entry = _read()["waiting"], _entry(job)
    return waiting.index(entry) + 1 if entry in waiting else None


def withdraw(job, **final_status) -> bool:
    """Take a waiting job out of the queue, recording ``final_status``; False if it is not
    waiting (it runs, ended, or was never queued)."""
    from .jobs import update_status

    if not queue_file().is_file():
        return False
    with _lock():
        queue, entry = _read(), _entry(job)
        if entry not in queue["waiting"]:
            return False
        queue["waiting"].remove(entry)
        update_status(job.path, **final_status)
        _write(queue)
    return True
