"""Training jobs: a TrainingSpec run by ``python -m hubml.training.runner <jobdir>`` in a
separate, detached process (its own session, stdin from /dev/null).

``<project>/.hubml/jobs/<id>/`` holds ``spec.json``, ``status.json`` (written atomically under
a lock: state queued|running|succeeded|failed|cancelled, created, started, finished, pid,
host, error, run_id, model, metrics), ``log.txt`` (output and full tracebacks),
``metrics.jsonl`` (one line per training callback), ``trials.jsonl`` (one line per tuning
trial, :meth:`Job.trials`) and ``evaluation.json``. Ids sort by
creation time: ``20261123-140501-ab12cd``. Jobs beyond the running limit wait in the
user's queue (:mod:`hubml.training.queue`, one for all the user's projects, kept outside them)
with state queued and a queue position.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from ..errors import Conflict, InvalidInput, NotFound
from ..messages import msg
from ..workspace.storage import atomic_folder, file_lock, write_json_atomic

__all__ = ["DIED", "FINAL", "STATES", "Job", "effective_status", "get_job", "list_jobs",
           "start"]

STATES = ("queued", "running", "succeeded", "failed", "cancelled")
FINAL = ("succeeded", "failed", "cancelled")
DIED = "the job process ended unexpectedly; see log.txt"
CANCEL_GRACE = 10.0     # seconds between SIGTERM and SIGKILL
_ID = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9a-f]{6}")  # fullmatch: no trailing "\n"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def jobs_dir(project) -> Path:
    return project.hubml_dir / "jobs"


def read_status(folder: Path) -> dict:
    try:
        return json.loads((folder / "status.json").read_text("utf-8"))
    except FileNotFoundError:
        return {}


def update_status(folder: Path, **changes) -> dict:
    """Merge ``changes`` into status.json unless the job already reached a final state."""
    with file_lock(folder / ".status.lock"):
        status = read_status(folder)
        if status.get("state") in FINAL:
            return status
        status.update(changes)
        write_json_atomic(folder / "status.json", status)
        return status


def _alive(pid: int, job_id: str, start: str | None = None) -> bool:
    """Is ``pid`` still this job's runner (not gone, not a zombie, not a reused pid)?

    ``start`` is the runner's start time as status.json recorded it (see
    :func:`.warm.process_start`): a runner forked by the warm worker has the worker's command
    line, so its start time tells it from a later process that reused the pid."""
    proc = Path(f"/proc/{pid}")
    if not Path("/proc/self/stat").exists():     # no procfs: signal 0 is all we have
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        command = (proc / "cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    except OSError:
        return True
    if state in ("Z", "X"):
        return False
    if start is not None:
        from .warm import process_start

        return process_start(pid) == start
    # an exiting process has released its memory, and its cmdline reads empty, before it
    # becomes a zombie: it is still ours until then (seen as a flaky cancel in CI)
    return not command or job_id.encode() in command


def effective_status(job) -> dict:
    """status.json, with a job whose runner ended without a final state read as failed."""
    status = read_status(job.path)
    pid = status.get("pid")
    if status.get("state") in ("queued", "running") and pid and \
            status.get("host") in (None, socket.gethostname()) and \
            not _alive(pid, job.id, status.get("pid_start")):
        status = read_status(job.path)     # it may have ended properly a moment ago
        if status.get("state") in FINAL:
            return status
        log = job.path / "log.txt"
        finished = datetime.fromtimestamp(log.stat().st_mtime, timezone.utc).isoformat(
            timespec="milliseconds") if log.exists() else None
        status = {**status, "state": "failed", "error": DIED, "finished": finished}
    return status


class Job:
    """One training job; get it from ``p.train(spec)``, ``p.jobs()`` or ``p.job(id)``."""

    def __init__(self, project, job_id: str):
        if not isinstance(job_id, str) or not _ID.fullmatch(job_id):
            raise InvalidInput(f"{str(job_id)[:40]!r} is not a job id (like "
                               "20261123-140501-ab12cd)", details={"field": "job"})
        self.project, self.id = project, job_id
        self.path = jobs_dir(project) / job_id

    def __repr__(self) -> str:
        return f"<hubml.Job {self.id} {self.state}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, Job) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    @property
    def status(self) -> dict:
        """status.json; a job whose process ended without a final state reads as failed.

        Reading a waiting job, or one whose runner is gone, also starts the next waiting
        jobs if there is room (see :mod:`hubml.training.queue`)."""
        from . import queue

        status = effective_status(self)
        waiting = status.get("state") == "queued" and not status.get("pid")
        if status.get("error") == DIED or (waiting and queue.is_waiting(self)):
            queue.schedule()
            status = effective_status(self)
        elif waiting and queue.is_orphaned(self, status):
            status = {**status, "state": "failed", "error": msg("job.not_in_queue")}
        return status

    @property
    def state(self) -> str:
        return self.status.get("state", "queued")

    @property
    def spec(self):
        from .spec import TrainingSpec

        return TrainingSpec(**json.loads((self.path / "spec.json").read_text("utf-8")))

    def wait(self, timeout: float | None = None, interval: float = 0.2) -> Job:
        """Block until the job ends; TimeoutError after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (state := self.state) not in FINAL:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"job {self.id} is still {state} after {timeout} s")
            time.sleep(interval)
        return self

    def metrics(self) -> dict[str, list[tuple[int, float]]]:
        """Training metrics so far: ``{name: [(step, value), ...]}`` in step order."""
        out: dict[str, list[tuple[int, float]]] = {}
        try:
            text = (self.path / "metrics.jsonl").read_text("utf-8")
        except FileNotFoundError:
            return out
        for line in text.splitlines():
            try:
                entry = json.loads(line)
                step, values = int(entry["step"]), entry["metrics"]
            except (ValueError, KeyError, TypeError):
                continue    # a line being written right now
            for name, value in values.items():
                out.setdefault(name, []).append((step, value))
        return out

    def trials(self) -> list[dict]:
        """Tuning trials finished so far, in the order they ended: ``{number, params, value,
        state (complete|pruned|failed), duration (s), run_id (the MLflow child run),
        intermediate ([step, value] reported while fitting), error}``; [] without tuning."""
        from .tuner import read_trials

        return read_trials(self.path)

    def metrics_json(self) -> dict:
        return {"metrics": {name: [{"step": s, "value": v} for s, v in points]
                            for name, points in self.metrics().items()}}

    def log(self, tail: int | None = None) -> str:
        """log.txt (its last ``tail`` characters when given)."""
        try:
            with open(self.path / "log.txt", "rb") as f:
                if tail is not None:
                    f.seek(max(0, f.seek(0, os.SEEK_END) - int(tail)))
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def evaluation(self) -> dict | None:
        """The full evaluation report of a finished job (evaluation.json), or None."""
        try:
            return json.loads((self.path / "evaluation.json").read_text("utf-8"))
        except FileNotFoundError:
            return None

    def model(self):
        """The registered ModelVersion of a succeeded job, else None."""
        from ..workspace.models import ModelVersion

        model = self.status.get("model")
        return ModelVersion(self.project, model["name"], model["version"]) if model else None

    def cancel(self, grace: float = CANCEL_GRACE) -> Job:
        """Stop the job: SIGTERM to its process group, SIGKILL after ``grace`` seconds.

        A job that already ended is left as it is; one that finished registering its model
        while being cancelled stays succeeded. A job waiting in the queue is taken out of it
        and never starts."""
        from . import queue

        if queue.withdraw(self, state="cancelled", finished=now(), error="cancelled"):
            return self
        status = self.status
        if status.get("state") in FINAL:
            return self
        host = status.get("host")
        if host not in (None, socket.gethostname()):
            raise Conflict(f"job {self.id} runs on {host}; cancel it from there")
        update_status(self.path, cancel_requested=True)
        status = read_status(self.path)
        pid, start = status.get("pid"), status.get("pid_start")
        killed = False
        if pid and _alive(pid, self.id, start):
            for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(pid, sig)
                except ProcessLookupError:
                    break
                except PermissionError:
                    raise Conflict(f"job {self.id} runs as another user; only they can cancel "
                                   "it") from None
                killed = sig == signal.SIGKILL
                deadline = time.monotonic() + wait
                while _alive(pid, self.id, start) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if not _alive(pid, self.id, start):
                    break
        status = update_status(self.path, state="cancelled", finished=now(), error="cancelled")
        if killed and status.get("run_id"):
            _end_run(self.project, status["run_id"])
        queue.schedule()    # a runner killed by SIGKILL could not start the next
        return self

    def to_json(self) -> dict:
        status = self.status
        try:
            spec = json.loads((self.path / "spec.json").read_text("utf-8"))
        except (FileNotFoundError, ValueError):
            spec = None
        from .queue import position

        state = status.get("state", "queued")
        return {"id": self.id, "project": self.project.name, "state": state,
                "queue_position": position(self) if state == "queued" else None,
                **{key: status.get(key) for key in ("created", "started", "finished", "pid",
                                                    "error", "run_id", "model", "metrics",
                                                    "evaluated_on", "tuning")},
                "spec": spec}


def _end_run(project, run_id: str) -> None:
    """Close the MLflow run of a runner killed by SIGKILL (it stayed RUNNING)."""
    try:
        from ..workspace.runs import Run

        client = Run(project, run_id).client
        if client.get_run(run_id).info.status == "RUNNING":
            client.set_terminated(run_id, "KILLED")
    except Exception:   # the job is cancelled either way; the run's status is cosmetic
        pass


def _new_id() -> str:
    return f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def create(project, spec) -> Job:
    """The job folder with spec.json and a queued status.json (not started)."""
    folder = jobs_dir(project)
    with atomic_folder(folder) as tmp:
        (tmp / "log.txt").touch()
        while (folder / (job_id := _new_id())).exists():
            pass
        write_json_atomic(tmp / "spec.json", spec.to_json())
        write_json_atomic(tmp / "status.json", {"id": job_id, "state": "queued",
                                                "created": now()})
        os.rename(tmp, folder / job_id)
    return Job(project, job_id)


def launch(job: Job) -> Job:
    """Start the runner process for a created job now, outside the queue (the queue calls
    this when a job's turn comes; :func:`start` queues)."""
    from . import warm

    pid = warm.spawn(job)
    if pid is not None:      # forked by the user's warm worker: it reaps the runner
        update_status(job.path, pid=pid, host=socket.gethostname(),
                      pid_start=warm.process_start(pid), warm=True)
        return job
    package_parent = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH"))
                                        if p)
    env.setdefault("PYTHONUNBUFFERED", "1")
    with open(job.path / "log.txt", "ab") as log:
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "hubml.training.runner", str(job.path)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, cwd=str(job.project.path), env=env)
        except OSError as exc:
            update_status(job.path, state="failed", finished=now(),
                          error=f"the job process could not start: {exc}")
            return job
    update_status(job.path, pid=process.pid, host=socket.gethostname(),
                  pid_start=warm.process_start(process.pid), warm=False)
    # reap the child when it ends, so it leaves no zombie behind in this process
    threading.Thread(target=process.wait, name=f"hubml-job-{job.id}", daemon=True).start()
    return job


def start(project, spec) -> Job:
    """Validate ``spec`` (a TrainingSpec or its JSON) and run it as a background job: at
    once if fewer than ``HUBML_MAX_RUNNING_JOBS`` of the user's jobs (in any of the user's
    projects) run, else queued."""
    from .spec import TrainingSpec

    if isinstance(spec, dict):
        spec = TrainingSpec.from_json(spec)
    elif not isinstance(spec, TrainingSpec):
        raise InvalidInput(f"train() needs a hubml.TrainingSpec, not {type(spec).__name__}",
                           details={"field": "spec"})
    resolved = spec.validate(project)
    # the job records what it trains on: the version that is the latest now, the full ids
    spec = replace(spec, algorithm=resolved.algorithm.id, model_name=resolved.model_name,
                   dataset_version=resolved.version.version)
    from .queue import submit

    return submit(create(project, spec))


def list_jobs(project) -> list[Job]:
    """The project's jobs, newest first."""
    folder = jobs_dir(project)
    if not folder.is_dir():
        return []
    return [Job(project, p.name) for p in sorted(folder.iterdir(), reverse=True)
            if _ID.fullmatch(p.name) and (p / "status.json").is_file()]


def get_job(project, job_id: str) -> Job:
    job = Job(project, job_id)
    if not (job.path / "status.json").is_file():
        recent = ", ".join(j.id for j in list_jobs(project)[:5]) or "none yet"
        raise NotFound(f"no job {job_id!r} in project {project.name!r}; recent jobs: {recent}")
    return job
