"""At most HUBML_MAX_RUNNING_JOBS of a user's jobs run at once; the rest wait in a queue
that every process shares (the SDK here, runner processes, the server) and start in order as
running ones end: finished, failed, cancelled, or killed without a chance to say so.
(test_user_queue.py: one queue across the user's projects.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import hubml
from hubml.training.jobs import DIED, FINAL
from hubml.training.queue import LIMIT_ENV, queue_file, running_limit, set_running_limit

from .conftest import iris_frame

TIMEOUT = 300
QUICK = {"framework": "sklearn", "algorithm": "sklearn.knn", "task": "multiclass",
         "dataset": "iris", "target": "species"}
# a fit that runs until it is stopped (1000 epochs of 120 rows, batch 1: minutes)
SLOW = {"framework": "torch", "algorithm": "torch.dense", "task": "multiclass", "dataset": "iris",
        "target": "species", "params": {"epochs": 1000, "early_stopping": False,
                                        "batch_size": 1}}


@pytest.fixture
def queue_project(root, request, own_queue):
    p = hubml.create_project(f"queue-{request.node.name[5:30].replace('_', '-')}")
    p.save_dataset("iris", iris_frame())
    with p.start_run("setup"):   # the MLflow store exists before the jobs
        pass
    return p


def active(jobs) -> list:
    """Jobs whose runner process is up (launched or running), read from status.json."""
    return [j for j in jobs if j.status.get("pid") and j.status.get("state") not in FINAL]


def watch_until_done(jobs, timeout=TIMEOUT) -> int:
    """Poll every job until all have ended; the most that were active at one poll."""
    most, deadline = 0, time.monotonic() + timeout
    while not all(j.state in FINAL for j in jobs):
        most = max(most, len(active(jobs)))
        assert time.monotonic() < deadline, [j.log() for j in jobs]
        time.sleep(0.05)
    return most


def test_three_jobs_with_limit_one_run_one_after_another_in_order(queue_project, limit_one):
    jobs = [queue_project.train({**QUICK, "model_name": f"knn-{i}"}) for i in range(3)]
    first, second, third = (j.to_json() for j in jobs)
    assert second["state"] == third["state"] == "queued"
    assert (second["queue_position"], third["queue_position"]) == (1, 2)
    assert second["pid"] is None and third["pid"] is None
    assert first["queue_position"] is None
    assert watch_until_done(jobs) == 1
    statuses = [j.status for j in jobs]
    assert [s["state"] for s in statuses] == ["succeeded"] * 3, [j.log() for j in jobs]
    for before, after in zip(statuses[:-1], statuses[1:], strict=True):
        assert before["finished"] <= after["started"]      # never overlapped, order kept
    assert [j.status["model"]["name"] for j in jobs] == ["knn-0", "knn-1", "knn-2"]
    assert all(j.to_json()["queue_position"] is None for j in jobs)
    queue = json.loads(queue_file().read_text())
    assert (queue["waiting"], queue["running"]) == ([], [])


def test_cancelling_a_queued_job_removes_it_without_starting_it(queue_project, limit_one):
    slow = queue_project.train({**SLOW, "model_name": "slow"})
    skipped = queue_project.train({**QUICK, "model_name": "skipped"})
    last = queue_project.train({**QUICK, "model_name": "last"})
    assert [skipped.to_json()["queue_position"], last.to_json()["queue_position"]] == [1, 2]
    assert skipped.cancel().state == "cancelled"
    assert last.to_json()["queue_position"] == 1
    assert skipped.status["error"] == "cancelled" and skipped.status["finished"]
    assert slow.state == "running" or slow.state == "queued"
    assert last.state == "queued" and last.status.get("pid") is None
    slow.cancel(grace=30)
    assert slow.state == "cancelled"
    assert last.wait(TIMEOUT).state == "succeeded", last.log()
    # the cancelled one never ran: no process, no start, nothing in its log, no model
    assert skipped.state == "cancelled"
    assert "pid" not in skipped.status and "started" not in skipped.status
    assert skipped.log() == ""
    assert queue_project.model("skipped").versions() == []


def test_a_runner_killed_without_warning_frees_its_slot(queue_project, limit_one):
    slow = queue_project.train({**SLOW, "model_name": "killed"})
    waiting = queue_project.train({**QUICK, "model_name": "after-kill"})
    deadline = time.monotonic() + TIMEOUT
    while slow.status.get("state") != "running":
        assert time.monotonic() < deadline, slow.log()
        time.sleep(0.1)
    os.killpg(slow.status["pid"], signal.SIGKILL)     # no exit handler runs
    # the next status read notices the dead runner and starts the waiting job
    assert waiting.wait(TIMEOUT).state == "succeeded", waiting.log()
    assert slow.state == "failed" and slow.status["error"] == DIED


def test_a_job_submitted_from_another_process_waits_in_the_same_queue(queue_project,
                                                                      limit_one):
    slow = queue_project.train({**SLOW, "model_name": "blocker"})
    code = ("import sys, json, hubml\n"
            f"job = hubml.project({queue_project.name!r}).train({{**json.loads(sys.argv[1]), "
            "'model_name': 'from-kernel'})\n"
            "print(json.dumps(job.to_json()))\n")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(QUICK)], capture_output=True,
                         text=True, env=dict(os.environ), timeout=120)
    assert out.returncode == 0, out.stderr
    other = json.loads(out.stdout.strip().splitlines()[-1])
    assert other["state"] == "queued" and other["queue_position"] == 1
    slow.cancel(grace=30)
    job = queue_project.job(other["id"])
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    assert job.status["started"] >= slow.status["finished"]


def test_the_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(LIMIT_ENV, raising=False)
    assert running_limit() == 1
    for text in ("0", "-2", "many", "²"):
        monkeypatch.setenv(LIMIT_ENV, text)
        assert running_limit() == 1
    set_running_limit(3)
    assert running_limit() == 3 and os.environ[LIMIT_ENV] == "3"
    with pytest.raises(hubml.errors.InvalidInput, match="whole number from 1"):
        set_running_limit(0)
