"""The warm job worker: jobs are forked from a process that imported the libraries already, in
their own session (cancel kills the whole group), survive the worker and the submitter, and a
runner whose pid was reused reads as died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.training import warm
from hubml.training.jobs import DIED, update_status

TIMEOUT = 300


def worker_ready(timeout=TIMEOUT) -> int:
    """Start the user's worker if needed; the pid of the one listening."""
    warm.ensure_started()
    deadline = time.monotonic() + timeout
    path = warm.socket_path()
    while time.monotonic() < deadline:
        if path.exists():
            for proc in Path("/proc").iterdir():
                try:
                    if proc.name.isdigit() and str(path).encode() in \
                            (proc / "cmdline").read_bytes():
                        return int(proc.name)
                except OSError:
                    continue
        time.sleep(0.2)
    log = path.with_suffix(".log")
    raise AssertionError(f"no warm worker on {path} after {timeout} s: "
                         f"{log.read_text() if log.exists() else 'no log'}")


def warm_train(project, spec):
    """A job started by the warm worker. When hubml's code changes (on a developer's machine,
    another test session syncing its checkout), the worker is replaced: try again."""
    for _ in range(3):
        worker_ready()
        job = project.train(spec)
        if job.status.get("warm"):
            return job
        job.cancel()
    raise AssertionError(f"three jobs in a row started cold: {job.log()}")


def ppid_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.fixture(scope="module")
def slow_data(project):
    if not project.dataset("slow").exists():
        rng = np.random.default_rng(0)
        X = rng.normal(size=(2000, 8))
        frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(8)])
        frame["y"] = X @ rng.normal(size=8)
        project.save_dataset("slow", frame)
    return project


def long_spec(name):
    return hubml.TrainingSpec("torch", "torch.dense", "regression", "slow", target="y",
                              params={"epochs": 1000, "early_stopping": False, "batch_size": 32},
                              model_name=name)


def wait_running(job):
    deadline = time.monotonic() + TIMEOUT
    while not job.metrics():
        assert job.state in ("queued", "running"), job.log()
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_warm_job_runs_in_its_own_session_and_cancels(slow_data):
    job = warm_train(slow_data, long_spec("slow-warm-cancelled"))
    wait_running(job)
    pid = job.status["pid"]
    # forked from a warm worker (it keeps the worker's command line), its own session and group
    assert b"hubml.training.warm" in Path(f"/proc/{pid}/cmdline").read_bytes()
    assert os.getsid(pid) == pid and os.getpgid(pid) == pid
    assert job.cancel(grace=10).state == "cancelled"
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)     # the worker reaps it
    assert not Path(f"/proc/{pid}").exists()
    assert len(job.metrics()["loss"]) < 1000


def test_a_job_outlives_its_worker_and_its_submitter(slow_data, monkeypatch):
    from hubml.training.queue import LIMIT_ENV

    monkeypatch.setenv(LIMIT_ENV, "2")       # the job after the worker's death starts at once
    worker_ready()
    # submitted by a process that exits at once, as a Jupyter server that is restarted
    code = ("import hubml; p = hubml.project('training'); "
            "print(p.train(hubml.TrainingSpec('sklearn', 'knn', 'multiclass', 'iris', "
            "target='species', params={'n_neighbors': 3}, model_name='iris-orphan')).id)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=dict(os.environ), timeout=TIMEOUT).stdout
    job = slow_data.job(out.strip().splitlines()[-1])
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    # a worker killed mid-job leaves its job running; the next job starts all the same
    job = warm_train(slow_data, long_spec("slow-orphaned"))
    wait_running(job)
    parent = ppid_of(job.status["pid"])
    if parent != 1:       # (its worker may have exited already, when hubml's code changed)
        assert b"hubml.training.warm" in Path(f"/proc/{parent}/cmdline").read_bytes()
        os.kill(parent, signal.SIGKILL)
    before = len(job.metrics()["loss"])
    deadline = time.monotonic() + TIMEOUT
    while len(job.metrics()["loss"]) <= before + 2:    # it goes on training without its worker
        assert job.state == "running" and time.monotonic() < deadline, job.log()
        time.sleep(0.1)
    after = slow_data.train(hubml.TrainingSpec("sklearn", "knn", "multiclass", "iris",
                                               target="species", model_name="iris-after"))
    assert job.cancel().state == "cancelled"
    assert after.wait(TIMEOUT).state == "succeeded", after.log()


def test_a_reused_pid_reads_as_died(project):
    from hubml.training.jobs import create

    job = create(project, hubml.TrainingSpec("sklearn", "knn", "multiclass", "iris",
                                             target="species"))
    import socket

    # our own pid and host, but another process's start time: not the job's runner
    update_status(job.path, state="running", pid=os.getpid(), host=socket.gethostname(),
                  pid_start="1")
    assert job.state == "failed" and job.status["error"] == DIED


def test_an_h2o_job_leaves_no_jvm_behind(project):
    # a forked runner ends with os._exit, which skips the atexit that stops H2O's JVM: a
    # 1 GB java process was left behind by every warm H2O job
    from tests.training.conftest import iris_frame

    project.save_dataset("iris-h2o", iris_frame())
    job = warm_train(project, hubml.TrainingSpec("h2o", "h2o.glm", "multiclass", "iris-h2o",
                                                 target="species", model_name="iris-h2o-warm"))
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    name = f"hubml_{job.status['pid']}_".encode()

    def jvms():
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and name in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 30
    while jvms() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert jvms() == []
