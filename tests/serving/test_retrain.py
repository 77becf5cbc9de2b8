"""Retraining held by a deployment (serving/retrain.py), with real jobs on small data: by
request, by a seconds-resolution schedule and interval, by a data threshold, and the metric
guard that keeps the alias on the current version when the new one scores worse."""

import json
import shutil
import time

import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

import hubml
from hubml.errors import Conflict, InvalidInput
from hubml.serving.retrain import Retrainer, better_or_equal
from hubml.workspace.store import tracking_uri

SPEC = {"framework": "sklearn", "algorithm": "sklearn.logistic_regression", "task": "binary",
        "dataset": "points", "target": "label", "model_name": "points", "random_state": 0}


def points(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1],
                         "label": np.where(x[:, 0] + 0.3 * x[:, 1] > 0, "yes", "no")})


@pytest.fixture(scope="module")
def trained_root(tmp_path_factory):
    """Project "retrain": dataset points v1 (80 rows), model points v1 trained by a job,
    alias production -> 1; made once, copied for each test (projects are relocatable)."""
    root = tmp_path_factory.mktemp("retrain-base")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBML_PROJECT_ROOTS", str(root))
        mp.delenv("HUBML_TRACKING_URI", raising=False)
        p = hubml.create_project("retrain")
        p.save_dataset("points", points(80, 0))
        job = p.train(hubml.TrainingSpec(**SPEC)).wait(timeout=300)
        assert job.state == "succeeded", job.log()
        p.model("points").set_alias("production", 1)
    return root


@pytest.fixture
def trained(trained_root, tmp_path, monkeypatch):
    shutil.copytree(trained_root / "retrain", tmp_path / "retrain")
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(tmp_path))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    monkeypatch.delenv("HUBML_RETRAIN", raising=False)
    return hubml.project("retrain")


def grow(p, rows, seed=1):
    """A new version of points with ``rows`` more rows."""
    old = p.dataset("points").load()
    return p.save_dataset("points", pd.concat([old, points(rows, seed)], ignore_index=True))


def run_tags(p, version):
    run_id = p.model("points").version(version).info.run_id
    uri = tracking_uri(p)
    return MlflowClient(tracking_uri=uri, registry_uri=uri).get_run(run_id).data.tags


def test_retrain_by_request_on_the_latest_data_moves_the_alias(trained):
    p = trained
    grow(p, 40)
    r = Retrainer(p, "points")
    started = r.trigger()
    assert started["running"] and started["job"]
    with pytest.raises(Conflict):  # one retraining at a time
        r.trigger()
    last = r.wait()
    assert last["decision"] == "promoted", last
    assert last["new_version"] == 2 and last["current_version"] == 1
    assert last["metric"] == "accuracy" and last["new"] >= last["current"]
    assert last["holdout"]["dataset_version"] == 2 and last["holdout"]["rows"] > 0
    assert p.model("points").aliases()["production"] == 2
    assert p.job(last["job"]).spec.dataset_version in (None, 2)
    assert not r.status()["running"]
    logged = [json.loads(line) for line in
              (p.path / ".hubml" / "retrain" / "points.jsonl").read_text().splitlines()]
    assert logged == [last]
    tags = run_tags(p, 2)
    assert tags["hubml.retrain.decision"] == "promoted"
    assert tags["hubml.retrain.metric"] == "accuracy"
    assert tags["hubml.retrain.current_version"] == "1"


def test_metric_guard_keeps_the_alias_when_the_new_version_is_worse(trained):
    from sklearn.dummy import DummyClassifier

    p = trained
    data = p.dataset("points").load()
    X = data[["x1", "x2"]]
    worse = DummyClassifier(strategy="constant", constant="no").fit(X, data.label)
    bad = p.register_model("points", worse, framework="sklearn", X_example=X)
    r = Retrainer(p, "points", metric="accuracy")
    decision = r.decide(bad.version, reason="test")
    assert decision["decision"] == "kept", decision
    assert decision["new"] < decision["current"]
    assert p.model("points").aliases()["production"] == 1
    assert r.decisions()[-1] == decision
    assert run_tags(p, bad.version)["hubml.retrain.decision"] == "kept"
    # a lower-is-better metric turns the comparison round
    assert better_or_equal("rmse", 0.5, 0.7) and not better_or_equal("accuracy", 0.5, 0.7)


def test_retrain_on_a_schedule_with_seconds(trained):
    r = Retrainer(trained, "points", schedule="* * * * * */1")
    r.start()
    try:
        deadline = time.monotonic() + 120
        while not r.decisions() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        r.stop()
    r.wait()
    first = r.decisions()[0]
    assert first["reason"] == "schedule" and first["decision"] in ("promoted", "kept")


def test_retrain_when_the_dataset_gained_enough_rows(trained):
    p = trained
    r = Retrainer(p, "points", min_new_rows=50, poll_seconds=0.2)
    grow(p, 20)            # not enough yet
    assert r.new_rows() == 20
    r.start()
    try:
        time.sleep(1.5)    # several polls below the threshold
        assert not r.status()["running"] and not r.decisions()
        grow(p, 40, seed=2)
        assert r.new_rows() == 60
        deadline = time.monotonic() + 120
        while not r.decisions() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        r.stop()
    r.wait()
    first = r.decisions()[0]
    assert first["reason"] == "60 new rows", first
    assert first["holdout"]["dataset_version"] == 3


def test_interval_and_settings_from_the_deployment(trained, monkeypatch):
    monkeypatch.setenv("HUBML_RETRAIN", json.dumps({"interval": 0.5, "metric": "f1_macro"}))
    r = Retrainer("retrain", "points")  # a name works too
    assert r.interval == 0.5 and r.metric == "f1_macro"
    r.start()
    try:
        deadline = time.monotonic() + 120
        while not r.decisions() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        r.stop()
    r.wait()
    assert r.decisions()[0]["reason"] == "interval"
    assert r.decisions()[0]["metric"] == "f1_macro"


def test_bad_settings_and_models_without_a_spec_are_refused(trained):
    p = trained
    with pytest.raises(InvalidInput, match="cron"):
        Retrainer(p, "points", schedule="every tuesday")
    with pytest.raises(InvalidInput, match="min_new_rows"):
        Retrainer(p, "points", min_new_rows=-3)
    from sklearn.linear_model import LogisticRegression

    data = p.dataset("points").load()
    X = data[["x1", "x2"]]
    own = p.register_model("own", LogisticRegression().fit(X, data.label), framework="sklearn",
                           X_example=X)
    p.model("own").set_alias("production", own.version)
    with pytest.raises(Conflict, match="not trained by a hubml job"):
        Retrainer(p, "own").trigger()
    assert not p.jobs()[1:]  # only the fixture's job ran
