"""Training, validation and test rows from a split column or from separate dataset versions:
jobs train and evaluate on exactly those rows, the script does the same, bad data settings
name their field before any job starts."""

from __future__ import annotations

import json

import numpy as np
import pytest

import hubml
from hubml.errors import InvalidInput

from .conftest import finish, iris_frame

TIMEOUT = 300
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def marked_iris():
    frame = iris_frame()
    frame["__split__"] = np.array(["train", "train", "train", "validation", "test"] * 30)
    return frame


@pytest.fixture(scope="module")
def parted(project):
    if not project.dataset("iris-marked").exists():
        project.save_dataset("iris-marked", marked_iris())
        frame = iris_frame()
        project.save_dataset("iris-fit", frame.iloc[::2])
        project.save_dataset("iris-check", frame.iloc[1::4])
        project.save_dataset("iris-final", frame.iloc[3::4])
        project.save_dataset("iris-narrow", frame.iloc[3::4].drop(columns="petal_width"))
    return project


def accuracy_of(train, scored, params):
    fw = hubml.frameworks.get("sklearn")
    model = fw.fit("sklearn.random_forest", "multiclass", params, train[FEATURES],
                   train["species"])
    return float((fw.predict(model, scored[FEATURES]) == scored["species"].to_numpy()).mean())


def test_split_column_decides_the_rows(parted, start_script):
    spec = hubml.TrainingSpec("sklearn", "random_forest", "multiclass", "iris-marked",
                              target="species", split_column="__split__",
                              params={"n_estimators": 15}, model_name="iris-marked-rf")
    assert spec.validate(parted).counts == {"train": 90, "validation": 30, "test": 30}
    job = parted.train(spec)
    script = start_script(spec.to_script(parted.name).replace(
        '"iris-marked-rf"', '"iris-marked-script"'))
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    assert "90 training, 30 validation, 30 test rows" in job.log()
    report = job.evaluation()
    assert report["n_samples"] == 30 and report["evaluated_on"] == "test"
    frame = marked_iris()
    expected = accuracy_of(frame[frame.__split__ == "train"], frame[frame.__split__ == "test"],
                           {"n_estimators": 15})
    assert job.status["metrics"]["accuracy"] == pytest.approx(expected)
    assert len(job.model().load().predict(iris_frame()[FEATURES])) == 150  # no __split__
    output = finish(script)
    assert "90 training, 30 validation, 30 test rows" in output
    assert f"'accuracy': {round(expected, 4)}" in output


def test_separate_datasets_for_each_part(parted, start_script):
    spec = hubml.TrainingSpec.from_json({
        "framework": "sklearn", "algorithm": "sklearn.random_forest", "task": "multiclass",
        "datasets": {"train": "iris-fit@1", "validation": "iris-check", "test": "iris-final@1"},
        "target": "species", "params": {"n_estimators": 15}, "model_name": "iris-parts-rf"})
    assert spec.dataset == "iris-fit" and spec.dataset_version == 1
    assert spec.validate(parted).counts == {"train": 75, "validation": 38, "test": 37}
    job = parted.train(spec)
    script = start_script(spec.to_script(parted.name).replace(
        '"iris-parts-rf"', '"iris-parts-script"'))
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    frame = iris_frame()
    expected = accuracy_of(frame.iloc[::2], frame.iloc[3::4], {"n_estimators": 15})
    assert job.status["metrics"]["accuracy"] == pytest.approx(expected)
    assert job.evaluation()["n_samples"] == 37
    lineage = job.model().lineage()["datasets"]
    assert [d["dataset"] for d in lineage] == ["iris-fit", "iris-check", "iris-final"]
    assert f"'accuracy': {round(expected, 4)}" in finish(script)
    # one part given, the other split off the training dataset by its fraction
    half = hubml.TrainingSpec("sklearn", "knn", "multiclass", "iris-fit", target="species",
                              datasets={"test": "iris-final"}, validation=0.2)
    assert half.validate(parted).counts == {"train": 60, "validation": 15, "test": 37}
    assert json.loads(json.dumps(half.to_json()))["datasets"] == {"test": "iris-final"}


@pytest.mark.parametrize("changes, field, words", [
    ({"split_column": "nope"}, "split_column", "unknown split column"),
    ({"split_column": "species", "target": "petal_width", "task": "regression",
      "algorithm": "sklearn.ridge", "features": FEATURES[:3]},
     "split_column", "other than train"),
    ({"split_column": "__split__", "datasets": {"test": "iris-final"}}, "split_column",
     "not both"),
    ({"split_column": "__split__", "features": ["__split__"]}, "features", "split column"),
    ({"datasets": {"test": "missing-one"}}, "datasets.test", "missing-one"),
    ({"datasets": {"test": "iris-final@9"}}, "datasets.test", "9"),
    ({"datasets": {"test": "Bad Name"}}, "datasets.test", "dataset"),
    ({"datasets": {"holdout": "iris-final"}}, "datasets.holdout", "unknown part"),
    ({"datasets": {"validation": "iris-narrow"}}, "datasets.validation", "petal_width"),
    ({"datasets": {"train": "iris-marked"}}, "datasets.train", "another dataset"),
])
def test_bad_data_settings_name_the_field(parted, changes, field, words, tree_hash):
    base = {"framework": "sklearn", "algorithm": "sklearn.knn", "task": "multiclass",
            "dataset": "iris-marked" if "split_column" in changes else "iris-fit",
            "target": "species"}
    before = tree_hash(parted.path)
    with pytest.raises(InvalidInput) as info:
        parted.train({**base, **changes})
    assert info.value.details["field"] == field, info.value
    assert words in info.value.message
    assert tree_hash(parted.path) == before
