"""TrainingSpec: validation errors name the field, JSON round trip, and the generated script
trains and registers a model in a real project."""

from __future__ import annotations

import ast
import json

import pytest

import hubml
from hubml.errors import InvalidInput
from hubml.training.spec import TrainingSpec
from hubml.workspace.runs import Run

from .conftest import finish

BASE = {"framework": "sklearn", "algorithm": "sklearn.random_forest", "task": "multiclass",
        "dataset": "iris", "target": "species", "params": {"n_estimators": 10}}


def spec(**changes) -> TrainingSpec:
    return TrainingSpec(**{**BASE, **changes})


def test_json_round_trip():
    original = spec(dataset_version=1, features=["sepal_length", "petal_width"],
                    validation=0.1, test=0.3, custom_params={"note": "first try", "n": [1, 2]},
                    random_state=7, model_name="iris-rf", run_name="exp 1")
    text = json.dumps(original.to_json())
    again = TrainingSpec.from_json(json.loads(text))
    assert again == original and again.to_json() == original.to_json()
    assert TrainingSpec.from_json(BASE) == spec()


@pytest.mark.parametrize(("data", "field"), [
    ([], "spec"),
    ({**BASE, "colour": "red"}, "colour"),
    ({k: v for k, v in BASE.items() if k != "task"}, "task"),
    ({**BASE, "dataset": 3}, "dataset"),
    ({**BASE, "dataset_version": 0}, "dataset_version"),
    ({**BASE, "features": "sepal_length"}, "features"),
    ({**BASE, "params": [1]}, "params"),
])
def test_from_json_rejects_bad_shapes(data, field):
    with pytest.raises(InvalidInput) as info:
        TrainingSpec.from_json(data)
    assert info.value.details["field"] == field


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"framework": "spark"}, "framework", "unknown framework"),
    ({"algorithm": "sklearn.quantum_forest"}, "algorithm", "unknown algorithm"),
    ({"algorithm": "torch.dense"}, "algorithm", "unknown algorithm"),
    ({"task": "ranking"}, "task", "unknown task"),
    ({"algorithm": "sklearn.kmeans", "params": {}}, "task", "does not do multiclass"),
    ({"algorithm": "sklearn.linear_regression", "params": {}}, "task", "does not do"),
    ({"dataset": "../x"}, "dataset", "not allowed"),
    ({"dataset": "wine"}, "dataset", "no dataset named 'wine'"),
    ({"dataset_version": 9}, "dataset_version", "no version 9"),
    ({"target": "colour"}, "target", "unknown target column 'colour'"),
    ({"target": None}, "target", "needs a target"),
    ({"task": "regression", "params": {}}, "target", "numeric target"),
    ({"features": ["sepal_length", "stem"]}, "features", "unknown feature column 'stem'"),
    ({"features": ["sepal_length", "species"]}, "features", "cannot also be a feature"),
    ({"task": "regression", "target": "sepal_length", "params": {}}, "features", "not numeric"),
    ({"params": {"n_estimators": 0}}, "params.n_estimators", "n_estimators"),
    ({"params": {"depth": 3}}, "params.depth", "depth"),
    ({"validation": 0.7}, "validation", "fraction"),
    ({"test": -0.1}, "test", "fraction"),
    ({"validation": True}, "validation", "fraction"),
    ({"test": float("nan")}, "test", "fraction"),
    ({"validation": 0.5, "test": 0.5}, "test", "for training"),
    ({"custom_params": {"x": float("inf")}}, "custom_params", "JSON"),
    ({"random_state": -1}, "random_state", "whole number"),
    ({"model_name": "../x"}, "model_name", "not allowed"),
    ({"model_name": "Churn Model"}, "model_name", "not allowed"),
    ({"run_name": 5}, "run_name", "string"),
])
def test_validate_names_the_field(project, tree_hash, changes, field, says):
    before = tree_hash(project.path)
    with pytest.raises(InvalidInput) as info:
        project.train(spec(**changes))
    assert info.value.details["field"] == field
    assert says in info.value.message
    assert tree_hash(project.path) == before     # nothing started, nothing written


def test_validate_resolves_defaults(project):
    resolved = spec(algorithm="random_forest").validate(project)
    assert resolved.algorithm.id == "sklearn.random_forest"
    assert resolved.features == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert resolved.params["n_estimators"] == 10 and "max_depth" in resolved.params
    assert resolved.model_name == "iris-random-forest"
    assert resolved.version.version == 1
    clustering = spec(algorithm="sklearn.kmeans", task="clustering", target=None,
                      features=["petal_length", "petal_width"], params={"n_clusters": 3})
    assert clustering.validate(project).features == ["petal_length", "petal_width"]


@pytest.mark.parametrize("changes", [
    {},
    {"algorithm": "sklearn.kmeans", "task": "clustering", "target": None, "params": {},
     "custom_params": {"why": "segments"}, "test": 0},
    {"framework": "torch", "algorithm": "torch.dense", "task": "regression",
     "target": "sepal_length", "features": ["petal_length", "petal_width"], "params": {}},
])
def test_script_is_python(changes):
    text = spec(**changes).to_script("training")
    ast.parse(text)
    assert "hubml.project(PROJECT)" in text and "p.register_model(" in text
    assert "PROJECT = sys.argv[1]" in spec(**changes).to_script()


def test_script_trains_and_registers(project, start_script):
    clusters = spec(algorithm="sklearn.kmeans", task="clustering", target=None,
                    features=["petal_length", "petal_width"], params={"n_clusters": 3},
                    model_name="iris-script-clusters", run_name="from a script")
    output = finish(start_script(clusters.to_script(), project.name))
    assert "registered iris-script-clusters version 1" in output
    version = project.model("iris-script-clusters").latest
    assert version.lineage()["datasets"] == [{"dataset": "iris", "version": 1}]
    labels = version.load().predict(project.dataset("iris").load()[["petal_length",
                                                                    "petal_width"]])
    assert len(labels) == 150 and len(set(labels)) == 3
    run_id = hubml.project(project.name).model("iris-script-clusters").latest.info.run_id
    assert "test_silhouette" in Run(project, run_id).metrics()   # logged in the project's store
