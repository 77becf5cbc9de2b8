"""RunCompare over the project's MLflow store: a training job's run and a run that user code
made with ``p.start_run`` side by side (parameters, metrics, curves overlaid, parallel axes)."""

from __future__ import annotations

import pytest

import hubml
from hubml.errors import InvalidInput

from .test_training_form import THREADS, TIMEOUT, iris_frame


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare") / "projects"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBML_PROJECT_ROOTS", str(folder))
        mp.setenv("JUPYTER_DATA_DIR", str(folder.parent / "jupyter-data"))
        for name, value in THREADS.items():
            mp.setenv(name, value)
        p = hubml.create_project("compare")
        p.save_dataset("iris", iris_frame())
        yield p


def test_a_job_run_and_a_code_run_side_by_side(project):
    assert hubml.widgets.RunCompare(project).runs() == []     # no store yet: nothing listed
    with project.start_run("by-code") as run:     # the user's own training loop
        run.log_params({"n_estimators": 99, "algorithm": "own"})
        for step, value in enumerate((0.5, 0.7, 0.9), start=1):
            run.log_metric("train_accuracy", value, step=step)
        run.log_metric("test_accuracy", 0.8)
    job = project.train(hubml.TrainingSpec(
        "sklearn", "random_forest", "multiclass", "iris", target="species",
        params={"n_estimators": 10}, run_name="by-the-job"))
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    job_run = job.status["run_id"]

    rc = hubml.widgets.RunCompare(project)
    labels = dict((v, k) for k, v in rc.picker.options)
    assert set(labels) == {job_run, run.id}
    assert f"job {job.id}" in labels[job_run] and "by-code · code" in labels[run.id]
    # the tuning trials of a job are child runs: not listed among the runs to pick
    assert all(r["parent_id"] is None for r in rc.runs())
    rc.select([job_run, run.id])
    table = rc.table()
    assert list(table.columns) == ["by-the-job", "by-code"]    # in the order picked
    assert table.loc["param.n_estimators"].tolist() == ["10", "99"]
    assert table.loc["metric.test_accuracy", "by-code"] == pytest.approx(0.8)
    assert table.loc["metric.test_accuracy", "by-the-job"] == pytest.approx(
        job.evaluation()["metrics"]["accuracy"])
    assert "by-code" in rc.tables.value and "param.n_estimators" in rc.tables.value
    # the metric both logged per step: one chart, a line per run
    curves = {view.figure.layout.title.text: view.figure for view in rc.curves.children}
    overlaid = curves["train_accuracy per step"]
    assert [tr.name for tr in overlaid.data] == ["by-the-job", "by-code"]
    assert list(overlaid.data[1].y) == [0.5, 0.7, 0.9]
    assert list(overlaid.data[0].x) == [s for s, _ in job.metrics()["train_accuracy"]]
    (parallel,) = rc.parallel.children
    dims = {d["label"]: list(d["values"]) for d in parallel.figure.data[0].dimensions}
    assert dims["n_estimators"] == [10.0, 99.0]
    assert "test_accuracy" in dims
    # fewer runs picked, fewer columns; a run of no such id says so
    rc.select([run.id])
    assert list(rc.table().columns) == ["by-code"] and rc.parallel.children == ()
    with pytest.raises(InvalidInput, match="no run 'nope'"):
        rc.select(["nope"])
