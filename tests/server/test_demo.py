"""First server start of a hub user: the demo project appears, made by the public SDK."""

import json
import time

import numpy as np
import pytest

import hubml


@pytest.fixture
def first_start_env(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(tmp_path / "projects"))
    monkeypatch.setenv("HUBML_DEMO_PROJECT", "1")  # what HubMLLocalSpawner sets
    return tmp_path


async def test_first_start_makes_demo_project_in_background(first_start_env, jp_fetch):
    # the server answers at once; the demo is made by a detached process
    assert (await jp_fetch("hubml", "api", "status")).code == 200
    marker = first_start_env / "home" / ".hubml" / "demo-created"
    deadline = time.monotonic() + 240
    while not marker.exists():
        assert time.monotonic() < deadline, (first_start_env / "home" / ".hubml" /
                                             "demo.log").read_text()
        time.sleep(0.5)
    demo = hubml.project("demo")
    assert {d.name for d in demo.datasets()} == {"breast-cancer", "iris", "diabetes",
                                                 "iris-features"}
    scaled = demo.dataset("iris-features").latest
    assert scaled.meta["parents"] == [{"dataset": "iris", "version": 1}]
    assert [s["step"] for s in scaled.meta["recipe"]] == ["drop_columns", "standardize"]
    tasks = {}
    for model in demo.models():
        info = model.latest.to_json()
        tasks[info["task"]] = model.name
        assert model.aliases() == {"production": 1}
        assert model.latest.lineage()["datasets"]
    assert set(tasks) == {"binary", "multiclass", "regression", "clustering"}
    iris = demo.dataset("iris").load()
    predicted = demo.model(tasks["multiclass"]).load(alias="production").predict(
        iris.drop(columns=["species"]))
    assert np.mean(predicted == iris["species"].to_numpy()) > 0.9
    run = demo.model(tasks["binary"]).latest.lineage()["run_id"]
    import mlflow

    metrics = mlflow.MlflowClient(f"sqlite:///{demo.path / '.hubml' / 'mlflow.db'}").get_run(
        run).data.metrics
    assert metrics["roc_auc"] > 0.9 and "balanced_accuracy" in metrics
    # a second start does nothing: the marker says the demo was made
    from hubml.firststart import maybe_create_demo

    assert maybe_create_demo() is None
    assert json.loads(json.dumps(demo.to_json()))["tags"] == ["demo"]
