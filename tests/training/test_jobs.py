"""Training jobs run by ``python -m hubml.training.runner`` in background processes: they
succeed, report metrics live, register models with lineage, cancel, and fail readably."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.errors import InvalidInput, NotFound
from hubml.training.jobs import DIED, create, launch, update_status
from hubml.workspace.runs import Run

from .conftest import finish, iris_frame

TIMEOUT = 300


def process_gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def test_sklearn_job_on_iris(project, start_script):
    spec = hubml.TrainingSpec("sklearn", "random_forest", "multiclass", "iris", target="species",
                              params={"n_estimators": 20}, model_name="iris-job-rf",
                              custom_params={"ticket": "ML-1"})
    job = project.train(spec)
    assert job.state in ("queued", "running") and job.spec.algorithm == "sklearn.random_forest"
    # the code path, meanwhile: the spec's script trains the same model
    script = start_script(replace(job.spec, model_name="iris-script-rf").to_script(project.name))
    status = job.wait(TIMEOUT).status
    assert status["state"] == "succeeded", job.log()
    assert status["error"] is None and status["created"] <= status["started"] <= status["finished"]
    assert status["model"] == {"name": "iris-job-rf", "version": 1}
    steps = [step for step, _ in job.metrics()["valid_accuracy"]]
    assert steps == sorted(steps) and steps[-1] == 20
    assert job.metrics_json()["metrics"]["train_accuracy"][-1] == {"step": 20, "value": 1.0}
    assert len((job.path / "metrics.jsonl").read_text().splitlines()) == len(steps)
    version = project.model("iris-job-rf").latest
    assert version.lineage()["datasets"] == [{"dataset": "iris", "version": 1}]
    report = job.evaluation()
    assert report["evaluated_on"] == "test" and report["n_samples"] == 30
    assert report["confusion_matrix"]["labels"] == ["setosa", "versicolor", "virginica"]
    run = Run(project, status["run_id"])
    assert run.metrics()["test_accuracy"] == pytest.approx(report["metrics"]["accuracy"])
    assert run.params()["n_estimators"] == "20" and run.params()["dataset_version"] == "1"
    assert {a.path for a in run.client.list_artifacts(run.id)} >= {"evaluation.json",
                                                                    "spec.json"}
    assert json.loads(run.client.get_run(run.id).data.tags["hubml.custom_params"]) == \
        {"ticket": "ML-1"}
    assert json.loads(json.dumps(job.to_json(), allow_nan=False))["model"]["version"] == 1
    assert job in project.jobs() and project.job(job.id) == job
    assert "registered iris-job-rf version 1" in job.log()
    assert "registered iris-script-rf version 1" in finish(script)
    X = iris_frame().drop(columns="species")
    np.testing.assert_array_equal(project.model("iris-script-rf").load().predict(X),
                                  version.load().predict(X))


def test_tensorflow_job_reports_every_epoch(project):
    job = project.train({"framework": "tensorflow", "algorithm": "tensorflow.dense",
                         "task": "multiclass", "dataset": "iris", "target": "species",
                         "params": {"epochs": 3, "early_stopping": False, "layers": [8]},
                         "model_name": "iris-job-keras"})
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    metrics = job.metrics()
    assert [step for step, _ in metrics["loss"]] == [1, 2, 3]
    assert [step for step, _ in metrics["val_accuracy"]] == [1, 2, 3]
    lines = [json.loads(line) for line in (job.path / "metrics.jsonl").read_text().splitlines()]
    assert all(line["time"] < job.status["finished"] for line in lines)   # written as it ran
    history = Run(project, job.status["run_id"]).client.get_metric_history(
        job.status["run_id"], "loss")
    assert sorted(m.step for m in history) == [1, 2, 3]
    labels = project.model("iris-job-keras").load().predict(iris_frame().drop(columns="species"))
    assert set(labels) <= {"setosa", "versicolor", "virginica"} and len(labels) == 150


def test_cancel_stops_the_process(project):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 8))           # ~0.1 s an epoch: 1000 epochs would take minutes
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(8)])
    frame["y"] = X @ rng.normal(size=8) + rng.normal(scale=0.1, size=2000)
    project.save_dataset("synthetic", frame)
    job = project.train(hubml.TrainingSpec(
        "torch", "torch.dense", "regression", "synthetic", target="y",
        params={"epochs": 1000, "early_stopping": False, "batch_size": 32},
        model_name="synthetic-cancelled"))
    deadline = time.monotonic() + TIMEOUT
    while not job.metrics():                     # training is under way
        assert job.state == "running" or job.state == "queued", job.log()
        assert time.monotonic() < deadline
        time.sleep(0.2)
    pid = job.status["pid"]
    assert job.cancel().state == "cancelled"
    assert process_gone(pid)
    assert job.status["error"] == "cancelled" and job.status["finished"]
    assert project.model("synthetic-cancelled").versions() == []
    run = Run(project, job.status["run_id"])
    assert run.client.get_run(run.id).info.status == "KILLED"   # SIGTERM was enough
    assert len(job.metrics()["loss"]) < 1000
    assert job.cancel().state == "cancelled"     # again: nothing changes
    assert "cancelled" in job.log()


def test_cancel_while_starting(project):
    job = project.train(hubml.TrainingSpec("sklearn", "sklearn.knn", "multiclass", "iris",
                                           target="species", model_name="iris-cancelled-knn"))
    pid = job.status["pid"]
    assert job.cancel().state == "cancelled"
    assert process_gone(pid) and project.model("iris-cancelled-knn").versions() == []
    time.sleep(0.5)
    assert job.state == "cancelled"              # nothing overwrote it


def test_single_class_target_fails_with_one_line(project):
    frame = iris_frame().assign(species="setosa")
    project.save_dataset("one-class", frame)
    job = project.train(hubml.TrainingSpec("sklearn", "decision_tree", "multiclass",
                                           "one-class", target="species",
                                           model_name="one-class-tree"))
    status = job.wait(TIMEOUT).status
    assert status["state"] == "failed"
    assert "at least 2 classes" in status["error"] and "\n" not in status["error"]
    assert "Traceback" in job.log() and "Traceback" not in status["error"]
    assert project.model("one-class-tree").versions() == []


def test_dataset_deleted_after_validation(project):
    project.save_dataset("short-lived", iris_frame())
    spec = hubml.TrainingSpec("sklearn", "sklearn.knn", "multiclass", "short-lived",
                              target="species", dataset_version=1)
    spec.validate(project)
    job = create(project, spec)                  # validated and queued, not yet started
    shutil.rmtree(project.path / "datasets" / "short-lived")
    status = launch(job).wait(TIMEOUT).status
    assert status["state"] == "failed"
    assert status["error"].startswith("no dataset named 'short-lived'")


def test_a_job_whose_process_died_reads_as_failed(project):
    job = create(project, hubml.TrainingSpec("sklearn", "sklearn.knn", "multiclass", "iris",
                                             target="species"))
    assert job.state == "queued"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    update_status(job.path, state="running", pid=dead.pid, host=socket.gethostname())
    assert job.state == "failed" and job.status["error"] == DIED
    update_status(job.path, pid=os.getpid())     # the pid now belongs to another program
    assert job.to_json()["state"] == "failed" and job.to_json()["error"] == DIED
    assert job.cancel().state == "failed"        # nothing left to cancel


def test_job_lookup(project):
    with pytest.raises(InvalidInput) as info:
        project.job("../../etc")
    assert info.value.details["field"] == "job"
    with pytest.raises(NotFound):
        project.job("20200101-000000-abcdef")
    with pytest.raises(InvalidInput):
        project.train("sklearn.knn")
    ids = [job.id for job in project.jobs()]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 1
