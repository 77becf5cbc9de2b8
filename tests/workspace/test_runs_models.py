"""Runs in the project's MLflow store; models registered, aliased, loaded by hubml and pyfunc."""

import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

import hubml
from hubml.errors import InvalidInput, NotFound
from hubml.workspace.runs import tracking


@pytest.fixture(scope="module")
def iris_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("projects")
    p = hubml.create_project("iris", root=root)
    X, y = load_iris(return_X_y=True, as_frame=True)
    y = y.map({0: "setosa", 1: "versicolor", 2: "virginica"}).astype("str")
    version = p.save_dataset("iris", X.assign(species=y))
    fw = hubml.frameworks.get("sklearn")
    params = hubml.frameworks.validate_params(fw.algorithm("sklearn.random_forest"),
                                              {"n_estimators": 10})
    model = fw.fit("sklearn.random_forest", "multiclass", params, X, y)
    with p.start_run("exp-1") as run:
        run.log_params(params)
        for step, loss in enumerate([0.9, 0.5, 0.2]):
            run.log_metric("loss", loss, step=step)
        run.set_tags({"team": "churn"})
        mv = p.register_model("iris-rf", model, framework="sklearn", run=run, dataset=version,
                              X_example=X, algorithm="sklearn.random_forest", task="multiclass")
    return {"project": p, "X": X, "y": y, "model": model, "run": run, "mv": mv, "fw": fw}


def test_run_is_visible_to_plain_mlflow_on_the_same_store(iris_project):
    p, run = iris_project["project"], iris_project["run"]
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{p.path / '.hubml' / 'mlflow.db'}")
    stored = client.get_run(run.id)
    assert stored.info.run_name == "exp-1"
    assert stored.data.params["n_estimators"] == "10"
    assert stored.data.tags["team"] == "churn"
    history = client.get_metric_history(run.id, "loss")
    assert [(m.step, m.value) for m in history] == [(0, 0.9), (1, 0.5), (2, 0.2)]
    assert (p.path / ".hubml" / "artifacts").is_dir()


def test_registered_model_loads_the_same_through_hubml_and_pyfunc(iris_project):
    p, X, fw, model = (iris_project[k] for k in ("project", "X", "fw", "model"))
    expected = fw.predict(model, X)
    loaded = p.model("iris-rf").load()
    np.testing.assert_array_equal(loaded.predict(X), expected)
    assert set(loaded.classes) == {"setosa", "versicolor", "virginica"}
    with tracking(p):
        pyfunc = mlflow.pyfunc.load_model("models:/iris-rf/1")
    np.testing.assert_array_equal(fw.decode_pyfunc(loaded.native, pyfunc.predict(X)), expected)


def test_lineage_records_run_dataset_and_framework(iris_project):
    mv = iris_project["mv"]
    info = mv.to_json()
    assert info["framework"] == "sklearn" and info["task"] == "multiclass"
    assert info["lineage"]["run_id"] == iris_project["run"].id
    assert info["lineage"]["datasets"] == [{"dataset": "iris", "version": 1}]


def test_aliases_set_move_remove(iris_project):
    p, X, y, fw = (iris_project[k] for k in ("project", "X", "y", "fw"))
    params = hubml.frameworks.validate_params(fw.algorithm("sklearn.knn"), {})
    knn = fw.fit("sklearn.knn", "multiclass", params, X, y)
    second = p.register_model("iris-rf", knn, framework="sklearn", X_example=X)
    assert second.version == 2
    model = p.model("iris-rf")
    model.set_alias("production", 1)
    assert model.load(alias="production").version.version == 1
    model.set_alias("production", 2)  # move
    assert model.aliases() == {"production": 2}
    model.delete_alias("production")
    assert model.aliases() == {}
    assert model.load().version.version == 2  # latest
    assert [m.name for m in p.models()] == ["iris-rf"]


@pytest.mark.parametrize("call, error, message", [
    (lambda p: p.model("nope").load(), NotFound, "no model named 'nope' in project 'iris'"),
    (lambda p: p.model("iris-rf").load(version=99), NotFound, "has no version 99"),
    (lambda p: p.model("iris-rf").load(alias="canary"), NotFound, "has no alias 'canary'"),
    (lambda p: p.model("iris-rf").set_alias("Prod!", 1), InvalidInput, "alias name 'Prod!'"),
    (lambda p: p.model("iris-rf").set_alias("prod", 42), NotFound, "has no version 42"),
    (lambda p: p.model("iris-rf").delete_alias("ghost"), NotFound, "has no alias 'ghost'"),
    (lambda p: p.model("../x"), InvalidInput, "model name '../x' is not allowed"),
    (lambda p: p.register_model("m", object(), framework="jax"), InvalidInput,
     "unknown framework 'jax'"),
    (lambda p: p.register_model("m", object(), framework="sklearn", dataset="iris"),
     InvalidInput, "dataset must be a dataset version"),
])
def test_model_errors_say_what_to_change(iris_project, call, error, message):
    with pytest.raises(error, match=message):
        call(iris_project["project"])


def test_run_metric_must_be_a_number(iris_project):
    with iris_project["project"].start_run("bad") as run:
        with pytest.raises(InvalidInput, match="metric 'loss' must be a number"):
            run.log_metric("loss", "low")
        assert isinstance(pd.Series(run.metrics()), pd.Series)
