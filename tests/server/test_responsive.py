"""A server that stays responsive: handlers do their blocking work in the hubml thread pool
(c.HubML.blocking_threads), errors keep their JSON across the pool, and GET changes gives
cheap fingerprints (and waits for a change) so the panels fetch listings only when needed."""

import asyncio
import datetime
import json
import os
import threading

import pandas as pd
import pytest

import hubml
from tests.server.helpers import error_of

JOB_ID = "20260101-000000-abcdef"


@pytest.fixture
def jp_server_config(jp_server_config):
    # one thread: a second hubml request queues behind a blocked one
    return {**jp_server_config, "HubML": {**jp_server_config["HubML"], "blocking_threads": 1,
                                          "changes_check_seconds": 0.1}}


def _job_with_a_fifo(project) -> str:
    """A job folder whose spec.json is a named pipe: reading it waits for a writer."""
    folder = project.hubml_dir / "jobs" / JOB_ID
    folder.mkdir(parents=True)
    (folder / "status.json").write_text(json.dumps({"id": JOB_ID, "state": "succeeded"}))
    (folder / "log.txt").write_text("done\n")
    os.mkfifo(folder / "spec.json")
    return str(folder / "spec.json")


async def test_a_handler_waiting_on_the_disk_does_not_stop_the_event_loop(api, jp_fetch, roots):
    p = hubml.create_project("slow")
    fifo = _job_with_a_fifo(p)
    rescued = threading.Event()

    def rescue():  # if the loop were blocked, nothing below would run: unblock it, then fail
        if not rescued.is_set():
            rescued.set()
            with open(fifo, "w") as f:
                f.write("{}")

    timer = threading.Timer(60, rescue)
    timer.start()
    try:
        job = asyncio.ensure_future(api("GET", f"projects/slow/jobs/{JOB_ID}"))
        fd = await _writer_once_read(fifo, rescued)  # the handler now waits in read()
        try:
            queued = asyncio.ensure_future(api("GET", "projects/slow"))
            status = await jp_fetch("api", "status")  # Jupyter's own handler, on the loop
            assert status.code == 200
            await asyncio.sleep(0.2)  # time for the second request to reach the pool
            assert not job.done() and not queued.done()  # the pipe; the one thread is taken
            os.write(fd, b'{"framework": "sklearn"}')
        finally:
            os.close(fd)
        code, body = await job
        assert code == 200 and body["spec"] == {"framework": "sklearn"}, body
        code, body = await queued
        assert code == 200 and body["name"] == "slow"
        assert not rescued.is_set()
    finally:
        timer.cancel()
        rescued.set()


async def _writer_once_read(fifo: str, rescued: threading.Event) -> int:
    """The write end of the pipe, opened once a reader has opened the read end."""
    while not rescued.is_set():
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # ENXIO: no reader yet
            await asyncio.sleep(0.02)
    raise AssertionError("the job request never read spec.json")


async def test_errors_keep_their_json_across_the_thread_pool(api, project):
    code, body = await api("GET", "projects/nope/models")
    assert code == 404 and error_of(body)["code"] == "not_found"
    assert "sales" in body["error"]["message"]  # names the projects there are
    code, body = await api("GET", "projects/sales/datasets/orders/versions/9")
    assert code == 404 and error_of(body)["code"] == "not_found"
    code, body = await api("PATCH", "projects/sales", {"tags": "not-a-list"})
    assert code == 400 and error_of(body)["details"]["field"] == "tags"
    code, body = await api("PATCH", "projects/nope", {"tags": "not-a-list"})
    assert code == 404  # the project first, then the body, as before


async def _changes(api, *projects, since=None, wait=None):
    params = [("project", p) for p in projects]
    if since is not None:
        params += [("since", since), ("wait", str(wait or 0))]
    code, body = await api("GET", "changes", params=params)
    assert code == 200, body
    return body


async def test_changes_follow_datasets_projects_and_jobs(api, project):
    first = await _changes(api, "sales", "nope")
    assert first["project"]["nope"] is None
    assert set(first["project"]["sales"]) == {"datasets", "models", "jobs"}
    assert await _changes(api, "sales", "nope") == first  # nothing changed: the same answer

    project.save_dataset("orders", pd.DataFrame({"order_id": [1]}),
                         allow_schema_change=True)  # a new version
    second = await _changes(api, "sales", "nope")
    assert second["token"] != first["token"]
    sales, before = second["project"]["sales"], first["project"]["sales"]
    assert sales["datasets"] != before["datasets"]
    assert (sales["models"], sales["jobs"]) == (before["models"], before["jobs"])
    assert second["projects"] == first["projects"]

    project.update(description="changed")
    third = await _changes(api, "sales")
    assert third["projects"] != second["projects"]

    jobs = project.hubml_dir / "jobs" / JOB_ID
    jobs.mkdir(parents=True)
    (jobs / "status.json").write_text(json.dumps({"id": JOB_ID, "state": "succeeded"}))
    fourth = await _changes(api, "sales")
    assert fourth["project"]["sales"]["jobs"] != third["project"]["sales"]["jobs"]
    assert fourth["project"]["sales"]["datasets"] == third["project"]["sales"]["datasets"]


async def test_changes_follow_the_model_registry(api, ml_project):
    before = (await _changes(api, "ml"))["project"]["ml"]
    model = ml_project.model("iris-forest")
    model.set_alias("changes-test", 2)
    try:
        after = (await _changes(api, "ml"))["project"]["ml"]
    finally:
        model.delete_alias("changes-test")
    assert after["models"] != before["models"]
    assert after["datasets"] == before["datasets"]


async def test_changes_wait_for_a_change(api, project):
    now = await _changes(api, "sales")
    same = await _changes(api, "sales", since=now["token"], wait=1)  # nothing happens
    assert same == now
    waiting = asyncio.ensure_future(_changes(api, "sales", since=now["token"], wait=30))
    await asyncio.sleep(0.3)  # let the request start waiting (the answer is the same if not)
    assert not waiting.done()
    await asyncio.get_running_loop().run_in_executor(
        None, lambda: project.save_dataset("fresh", pd.DataFrame({"x": [1, 2]})))
    changed = await waiting
    assert changed["token"] != now["token"]
    assert changed["project"]["sales"]["datasets"] != now["project"]["sales"]["datasets"]


async def test_changes_refuse_bad_arguments(api, roots):
    code, body = await api("GET", "changes", params=[("project", "Bad Name")])
    assert code == 400 and error_of(body)["details"]["field"] == "project"
    code, body = await api("GET", "changes", params=[("project", f"p{i}") for i in range(21)])
    assert code == 400 and error_of(body)["details"]["field"] == "project"
    code, body = await api("GET", "changes", params={"wait": "61"})
    assert code == 400 and error_of(body)["details"]["field"] == "wait"


async def test_the_change_feed_does_not_count_as_activity(api, project, jp_serverapp):
    """JupyterHub's idle culler reads the server's last activity: a panel left open, whose
    feed long-polls all day, must not keep the server alive; a real request still counts."""
    settings = jp_serverapp.web_app.settings
    settings["api_last_activity"] = before = datetime.datetime(2000, 1, 1,
                                                               tzinfo=datetime.timezone.utc)
    await _changes(api, project.name)
    assert settings["api_last_activity"] == before
    await api("GET", "projects")
    assert settings["api_last_activity"] > before
