"""Training jobs over REST: start from a TrainingSpec, list, status, metrics, cancel."""

import time

import numpy as np
import pandas as pd
import pytest

import hubml
from tests.server.helpers import error_of, tree_hash


@pytest.fixture
def train_project(roots):
    p = hubml.create_project("train")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 2))
    p.save_dataset("points", pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1],
                                           "label": np.where(x[:, 0] > 0, "yes", "no")}))
    return p


SPEC = {"framework": "sklearn", "algorithm": "sklearn.logistic_regression", "task": "binary",
        "dataset": "points", "target": "label", "model_name": "points-logreg"}


def wait_for(job, timeout=180):
    job.wait(timeout=timeout)
    return job


async def test_start_list_show_metrics(api, train_project):
    code, job = await api("POST", "projects/train/jobs", SPEC)
    assert code == 201, job
    assert job["state"] in ("queued", "running") and job["spec"]["dataset"] == "points"
    assert job["spec"]["dataset_version"] == 1
    wait_for(train_project.job(job["id"]))
    code, done = await api("GET", f"projects/train/jobs/{job['id']}")
    assert code == 200 and done["state"] == "succeeded", train_project.job(job["id"]).log()
    assert done["model"]["name"] == "points-logreg"
    assert done["log"] and done["log"] == train_project.job(job["id"]).log()[-20_000:]
    code, listing = await api("GET", "projects/train/jobs")
    assert [j["id"] for j in listing["jobs"]] == [job["id"]]
    code, metrics = await api("GET", f"projects/train/jobs/{job['id']}/metrics")
    assert code == 200
    expected = train_project.job(job["id"]).metrics()
    assert metrics["metrics"] == {k: [{"step": s, "value": v} for s, v in pts]
                                  for k, pts in expected.items()}
    models = (await api("GET", "projects/train/models"))[1]["models"]
    assert [m["name"] for m in models] == ["points-logreg"]
    # cancelling a finished job leaves it as it was
    code, again = await api("POST", f"projects/train/jobs/{job['id']}/cancel")
    assert code == 200 and again["state"] == "succeeded"


async def test_cancel_a_running_job(api, train_project):
    spec = {**SPEC, "framework": "torch", "algorithm": "torch.dense",
            "params": {"epochs": 1000, "early_stopping": False, "batch_size": 1}}
    code, job = await api("POST", "projects/train/jobs", spec)
    assert code == 201, job
    time.sleep(0.5)
    code, cancelled = await api("POST", f"projects/train/jobs/{job['id']}/cancel")
    assert code == 200 and cancelled["state"] == "cancelled"
    assert (await api("GET", f"projects/train/jobs/{job['id']}"))[1]["state"] == "cancelled"


@pytest.mark.parametrize("method, path, body, code, field", [
    ("POST", "jobs", {**SPEC, "algorithm": "sklearn.nope"}, 400, "algorithm"),
    ("POST", "jobs", {**SPEC, "framework": "caffe"}, 400, "framework"),
    ("POST", "jobs", {**SPEC, "dataset": "missing"}, 400, "dataset"),
    ("POST", "jobs", {**SPEC, "target": "nope"}, 400, "target"),
    ("POST", "jobs", {**SPEC, "task": "regression"}, 400, "task"),
    ("POST", "jobs", {**SPEC, "algorithm": "sklearn.ridge", "task": "regression"}, 400, "target"),
    ("POST", "jobs", {**SPEC, "params": {"max_iter": -1}}, 400, "params.max_iter"),
    ("POST", "jobs", {**SPEC, "test": 0.9}, 400, "test"),
    ("POST", "jobs", {**SPEC, "colour": 1}, 400, "colour"),
    ("POST", "jobs", {"framework": "sklearn"}, 400, "algorithm"),
    ("POST", "jobs", [1], 400, "body"),
    ("GET", "jobs/20260101-000000-abcdef", None, 404, None),
    ("GET", "jobs/not-a-job", None, 400, "job"),
    ("GET", "jobs/..", None, 400, "id"),
    ("GET", "jobs/20260101-000000-abcdef/metrics", None, 404, None),
    ("POST", "jobs/20260101-000000-abcdef/cancel", None, 404, None),
])
async def test_job_errors_change_nothing(api, train_project, method, path, body, code, field):
    before = tree_hash(train_project.path)
    status, answer = await api(method, f"projects/train/{path}", body)
    assert status == code, answer
    error = error_of(answer)
    if field:
        assert error["details"]["field"] == field, error
    assert tree_hash(train_project.path) == before


async def test_jobs_of_unknown_project_404(api, roots):
    assert (await api("GET", "projects/nope/jobs"))[0] == 404
    assert (await api("POST", "projects/nope/jobs", SPEC))[0] == 404


async def test_job_json_matches_the_openapi_schema(api, train_project):
    import jsonschema

    from hubml.server.openapi import openapi_document

    doc = openapi_document()
    code, job = await api("POST", "projects/train/jobs", SPEC)
    train_project.job(job["id"]).wait(timeout=180)
    listing = (await api("GET", "projects/train/jobs"))[1]
    schema = {"$ref": "#/components/schemas/JobList", "components": doc["components"]}
    jsonschema.validate(listing, schema)
    assert listing["jobs"][0]["state"] == "succeeded"


async def test_jobs_beyond_the_limit_wait_in_a_visible_queue(api, train_project, jp_serverapp,
                                                             monkeypatch):
    import asyncio

    import jsonschema

    from hubml.server.openapi import openapi_document
    from hubml.training.queue import LIMIT_ENV

    assert jp_serverapp.web_app.settings["hubml_config"].max_running_jobs == 1
    monkeypatch.setenv(LIMIT_ENV, "1")
    posted = []
    for i in range(4):
        code, job = await api("POST", "projects/train/jobs", {**SPEC, "model_name": f"q-{i}"})
        assert code == 201, job
        posted.append(job)
    assert [j["state"] for j in posted[1:]] == ["queued"] * 3
    assert [j["queue_position"] for j in posted] == [None, 1, 2, 3]
    assert all(j["pid"] is None for j in posted[1:])
    schema = {"$ref": "#/components/schemas/JobList",
              "components": openapi_document()["components"]}
    jsonschema.validate((await api("GET", "projects/train/jobs"))[1], schema)
    code, cancelled = await api("POST", f"projects/train/jobs/{posted[2]['id']}/cancel")
    assert code == 200 and cancelled["state"] == "cancelled"
    assert cancelled["queue_position"] is None and cancelled["pid"] is None
    kept = [posted[0]["id"], posted[1]["id"], posted[3]["id"]]
    deadline, most = time.monotonic() + 300, 0
    while True:
        jobs = {j["id"]: j for j in (await api("GET", "projects/train/jobs"))[1]["jobs"]}
        running = [j for j in jobs.values() if j["pid"] and j["state"] in ("queued", "running")]
        most = max(most, len(running))
        if all(jobs[i]["state"] in ("succeeded", "failed", "cancelled") for i in kept):
            break
        assert time.monotonic() < deadline, jobs
        await asyncio.sleep(0.1)
    assert most == 1
    assert [jobs[i]["state"] for i in kept] == ["succeeded"] * 3
    assert jobs[posted[2]["id"]]["state"] == "cancelled" and not jobs[posted[2]["id"]]["started"]
    starts = [jobs[i]["started"] for i in kept]
    assert starts == sorted(starts)
    assert jobs[kept[0]]["finished"] <= jobs[kept[1]]["started"]
    assert jobs[kept[1]]["finished"] <= jobs[kept[2]]["started"]


def test_max_running_jobs_is_a_documented_setting(monkeypatch):
    from traitlets.config import Config

    from hubml.server.config import HubML
    from hubml.training.queue import LIMIT_ENV

    assert "queue" in HubML.max_running_jobs.help
    monkeypatch.delenv(LIMIT_ENV, raising=False)
    assert HubML().max_running_jobs == 1
    monkeypatch.setenv(LIMIT_ENV, "4")
    assert HubML().max_running_jobs == 4
    assert HubML(config=Config({"HubML": {"max_running_jobs": 2}})).max_running_jobs == 2
