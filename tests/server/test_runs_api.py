"""Runs over REST: what users' own scripts logged with ``p.start_run`` and what jobs logged (with
their tuning trials as child runs), listed newest first with params and latest metrics, and
each run's metric curves."""

import jsonschema
import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.server.openapi import openapi_document
from tests.server.helpers import error_of, tree_hash


def get(api, path):
    """GET with the query string of ``path`` passed as params (jp_fetch quotes the path)."""
    path, _, query = path.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&")) if query else None
    return api("GET", path, params=params)


def schema(name):
    return {"$ref": f"#/components/schemas/{name}",
            "components": openapi_document()["components"]}


@pytest.fixture
def runs_project(roots):
    p = hubml.create_project("runs")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 2))
    p.save_dataset("points", pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1],
                                           "label": np.where(x[:, 0] > 0, "yes", "no")}))
    return p


async def test_code_runs_and_job_runs_are_listed(api, runs_project):
    assert (await api("GET", "projects/runs/runs"))[1] == {"runs": [], "total": 0}
    with runs_project.start_run("by-hand") as mine:      # a user's own script, in effect
        mine.log_params({"alpha": 0.5})
        for step, loss in enumerate([0.9, 0.5, 0.25], start=1):
            mine.log_metric("loss", loss, step=step)
    spec = {"framework": "sklearn", "algorithm": "sklearn.hist_gradient_boosting",
            "task": "binary", "dataset": "points", "target": "label", "params": {"max_iter": 20},
            "tuning": {"search_space": {"max_depth": {"type": "int", "low": 1, "high": 4}},
                       "n_trials": 3, "sampler": "random"}}
    code, job = await api("POST", "projects/runs/jobs", spec)
    assert code == 201, job
    job_obj = runs_project.job(job["id"]).wait(timeout=300)
    assert job_obj.state == "succeeded", job_obj.log()

    code, listing = await api("GET", "projects/runs/runs")
    assert code == 200
    jsonschema.validate(listing, schema("RunList"))
    assert listing["total"] == 2 and [r["source"] for r in listing["runs"]] == ["job", "code"]
    job_run, code_run = listing["runs"]
    assert job_run["id"] == job_obj.status["run_id"] and job_run["job_id"] == job["id"]
    assert job_run["parent_id"] is None and job_run["status"] == "FINISHED"
    assert job_run["metrics"]["test_accuracy"] == pytest.approx(
        job_obj.status["metrics"]["accuracy"])
    assert code_run == {**code_run, "name": "by-hand", "source": "code", "job_id": None,
                        "parent_id": None, "params": {"alpha": "0.5"},
                        "metrics": {"loss": 0.25}, "status": "FINISHED"}
    assert code_run["start_time"] <= code_run["end_time"] <= job_run["start_time"]

    # the trials are child runs of the job's run, listed only when asked for
    code, everything = await get(api, "projects/runs/runs?children=1&limit=1000")
    children = [r for r in everything["runs"] if r["parent_id"]]
    assert everything["total"] == 5 and len(children) == 3
    assert {r["parent_id"] for r in children} == {job_run["id"]}
    assert sorted(c["id"] for c in children) == sorted(
        t["run_id"] for t in (await api("GET", f"projects/runs/jobs/{job['id']}/trials"))[1][
            "trials"])
    # paging: newest first, offset and limit
    page = (await get(api, "projects/runs/runs?children=true&limit=2&offset=1"))[1]
    assert [r["id"] for r in page["runs"]] == [r["id"] for r in everything["runs"][1:3]]
    assert page["total"] == 5
    # the SDK lists the same runs
    assert [r["id"] for r in runs_project.runs()] == [job_run["id"], code_run["id"]]

    code, curves = await api("GET", f"projects/runs/runs/{code_run['id']}/metrics")
    assert code == 200
    jsonschema.validate(curves, schema("RunMetrics"))
    assert [(p["step"], p["value"]) for p in curves["loss"]] == [(1, 0.9), (2, 0.5), (3, 0.25)]
    assert all(p["timestamp"] for p in curves["loss"])
    job_curves = (await api("GET", f"projects/runs/runs/{job_run['id']}/metrics"))[1]
    expected = job_obj.metrics()["valid_accuracy"]
    assert [(p["step"], p["value"]) for p in job_curves["valid_accuracy"]] == \
        [(s, pytest.approx(v)) for s, v in expected]
    assert runs_project.run_metrics(code_run["id"]) == curves


@pytest.mark.parametrize("path, code, field", [
    ("runs?limit=-1", 400, "limit"),
    ("runs?limit=5000", 400, "limit"),
    ("runs?offset=x", 400, "offset"),
    ("runs?children=maybe", 400, "children"),
    ("runs/not-a-run/metrics", 400, "run_id"),
    ("runs/0123456789abcdef0123456789abcdef/metrics", 404, None),
])
async def test_bad_run_requests(api, runs_project, path, code, field):
    with runs_project.start_run("one"):
        pass
    before = tree_hash(runs_project.path)
    status, answer = await get(api, f"projects/runs/{path}")
    assert status == code, answer
    if field:
        assert error_of(answer)["details"]["field"] == field
    assert tree_hash(runs_project.path) == before


async def test_runs_of_unknown_project_404(api, roots):
    assert (await api("GET", "projects/nope/runs"))[0] == 404
    assert (await api("GET", "projects/nope/runs/0123456789abcdef0123456789abcdef/metrics"))[
        0] == 404
