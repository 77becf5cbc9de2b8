"""One queue per user, across all of the user's projects: with a limit of 1, jobs of two
projects never run at once and start in submission order; a queued job of one project can be
cancelled while another project's job runs; the queue lives outside every project, so a copied
project carries no queue state, and another user (another home) has a queue of their own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import hubml
from hubml.messages import msg
from hubml.training.jobs import FINAL
from hubml.training.queue import queue_file

from .conftest import iris_frame
from .test_job_queue import QUICK, SLOW, TIMEOUT, active, watch_until_done


@pytest.fixture
def projects(root, request, own_queue, limit_one):
    """Two projects of one user, each with the iris dataset and its MLflow store."""
    made = []
    for letter in "ab":
        p = hubml.create_project(f"u{letter}-{request.node.name[5:28].replace('_', '-')}")
        p.save_dataset("iris", iris_frame())
        with p.start_run("setup"):
            pass
        made.append(p)
    return made


def wait_running(job) -> None:
    deadline = time.monotonic() + TIMEOUT
    while job.status.get("state") != "running":
        assert time.monotonic() < deadline, job.log()
        time.sleep(0.1)


def test_jobs_of_two_projects_share_one_slot_in_submission_order(projects):
    a, b = projects
    jobs = [a.train({**QUICK, "model_name": "first"}), b.train({**QUICK, "model_name": "second"}),
            a.train({**QUICK, "model_name": "third"})]
    positions = [j.to_json()["queue_position"] for j in jobs]
    assert positions[1:] == [1, 2]      # counted across both projects
    assert positions[0] is None or jobs[0].state in FINAL
    assert [j.to_json()["project"] for j in jobs] == [a.name, b.name, a.name]
    assert watch_until_done(jobs) == 1
    statuses = [j.status for j in jobs]
    assert [s["state"] for s in statuses] == ["succeeded"] * 3, [j.log() for j in jobs]
    for before, after in zip(statuses[:-1], statuses[1:], strict=True):
        assert before["finished"] <= after["started"]
    assert [s["model"]["name"] for s in statuses] == ["first", "second", "third"]
    assert len(b.model("second").versions()) == 1 and a.model("second").versions() == []
    queue = json.loads(queue_file().read_text())
    assert (queue["waiting"], queue["running"]) == ([], [])


def test_cancelling_a_queued_job_of_the_other_project(projects):
    a, b = projects
    slow = a.train({**SLOW, "model_name": "slow"})
    skipped = b.train({**QUICK, "model_name": "skipped"})
    last = a.train({**QUICK, "model_name": "last"})
    assert [skipped.to_json()["queue_position"], last.to_json()["queue_position"]] == [1, 2]
    assert skipped.cancel().state == "cancelled"
    assert last.to_json()["queue_position"] == 1 and last.status.get("pid") is None
    assert len(active([slow, skipped, last])) == 1
    slow.cancel(grace=30)
    assert last.wait(TIMEOUT).state == "succeeded", last.log()
    assert skipped.state == "cancelled" and skipped.log() == ""
    assert "pid" not in skipped.status and "started" not in skipped.status
    assert b.model("skipped").versions() == []


def test_a_copied_project_carries_no_queue_state(projects, root):
    a, b = projects
    slow = b.train({**SLOW, "model_name": "blocker"})
    waiting = a.train({**QUICK, "model_name": "waiting"})
    assert waiting.to_json()["queue_position"] == 1
    copy = hubml.project(shutil.copytree(a.path, root / f"{a.name}-copy").name)
    # the queue is the user's, outside both projects; nothing of it is inside the copy
    assert not queue_file().resolve().is_relative_to(root.resolve())
    assert not [p for p in copy.path.rglob("*") if "queue" in p.name]
    copied = copy.job(waiting.id)
    assert copied.to_json()["queue_position"] is None
    assert copied.state == "failed" and copied.status["error"] == msg("job.not_in_queue")
    assert waiting.to_json()["queue_position"] == 1      # the original still waits its turn
    slow.cancel(grace=30)
    assert waiting.wait(TIMEOUT).state == "succeeded", waiting.log()
    # the copy's job never started
    assert copied.status.get("pid") is None and copied.log() == ""
    assert copy.model("waiting").versions() == []
    assert json.loads(queue_file().read_text())["waiting"] == []


def test_another_user_of_a_shared_project_has_their_own_queue(projects, tmp_path):
    a, _ = projects
    slow = a.train({**SLOW, "model_name": "mine"})
    wait_running(slow)
    # the other user: same project folder, another home (so another Jupyter data dir)
    code = ("import sys, json, hubml\n"
            f"job = hubml.project({a.name!r}).train({{**json.loads(sys.argv[1]), "
            "'model_name': 'theirs'})\n"
            "print(json.dumps(job.to_json()))\n")
    env = {**os.environ, "JUPYTER_DATA_DIR": str(tmp_path / "other-user")}
    out = subprocess.run([sys.executable, "-c", code, json.dumps(QUICK)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    theirs = json.loads(out.stdout.strip().splitlines()[-1])
    assert theirs["queue_position"] is None      # not behind my running job
    job = a.job(theirs["id"])
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    assert slow.state == "running"               # mine was never stopped or queued
    assert (tmp_path / "other-user" / "hubml" / queue_file().name).is_file()
    slow.cancel(grace=30)
