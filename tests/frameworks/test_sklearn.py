"""scikit-learn adapter specifics beyond the conformance suite: inputs, callbacks, formats."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from hubml import frameworks
from hubml.errors import InvalidInput
from hubml.frameworks import sklearn as adapter

from .datasets import dataset
from .exports import LOADERS, assert_same_predictions

FW = frameworks.get("sklearn")


def messy(data):
    """The same features with pandas nullable dtypes, a bool column and missing values."""
    X = data.X_train.copy()
    X.iloc[::7, 0] = np.nan
    X["count"] = pd.array(np.arange(len(X)) % 5, dtype="Int64")
    X.loc[X.index[::4], "count"] = pd.NA
    X["flag"] = pd.array(np.arange(len(X)) % 2 == 0, dtype="boolean")
    return X


def test_import_and_algorithms_stay_cheap():
    code = ("import sys, hubml.frameworks as f; fw = f.get('sklearn'); fw.algorithms(); "
            "fw.to_json(); heavy = [m for m in ('sklearn', 'mlflow', 'pandas', 'numpy', "
            "'skl2onnx') if m in sys.modules]; assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("algorithm", ["random_forest", "knn", "logistic_regression"])
def test_missing_values_and_nullable_dtypes(algorithm, tmp_path):
    data = dataset("multiclass")
    X = messy(data)
    model = FW.fit(algorithm, "multiclass", {}, X, data.y_train)
    pred = FW.predict(model, X)
    assert set(pred) <= set(data.y_train) and len(pred) == len(X)
    onnx = LOADERS["onnx"](FW.export(model, "onnx", tmp_path), X)   # NaN imputed in ONNX too
    assert_same_predictions("multiclass", pred, onnx, "onnx with missing values")


def test_clustering_with_missing_values():
    X = messy(dataset("clustering"))
    model = FW.fit("sklearn.kmeans", "clustering", {"n_clusters": 2}, X)
    assert set(FW.predict(model, X)) == {0, 1}


def test_non_numeric_column_is_named():
    data = dataset("binary")
    X = data.X_train.assign(city="Oslo")
    with pytest.raises(InvalidInput, match="'city'.*encode") as caught:
        FW.fit("sklearn.ridge", "regression", {}, X, pd.Series(np.arange(len(X)), dtype=float))
    assert caught.value.details["column"] == "city"
    model = FW.fit("sklearn.naive_bayes", "binary", {}, data.X_train, data.y_train)
    with pytest.raises(InvalidInput, match="city"):
        FW.predict(model, X)
    with pytest.raises(InvalidInput, match="feature names"):   # a column missing
        FW.predict(model, data.X_valid.iloc[:, 1:])


@pytest.mark.parametrize("task, y, message", [
    ("binary", dataset("multiclass").y_train, "multiclass"),
    ("regression", dataset("binary").y_train, "numeric target"),
    ("clustering", None, "does not do"),
])
def test_task_and_target_mistakes(task, y, message):
    algorithm = "sklearn.decision_tree"
    with pytest.raises(InvalidInput, match=message):
        FW.fit(algorithm, task, {}, dataset("multiclass").X_train, y)


def test_missing_target_values_are_refused():
    data = dataset("binary")
    y = data.y_train.copy()
    y.iloc[3] = None
    with pytest.raises(InvalidInput, match="1 missing"):
        FW.fit("sklearn.knn", "binary", {}, data.X_train, y)


def test_integer_labels_keep_their_values():
    data = dataset("binary")
    y = (data.y_train == "yes").astype(int) * 10
    model = FW.fit("sklearn.logistic_regression", "binary", {}, data.X_train, y)
    assert FW.classes(model) == [0, 10] and set(FW.predict(model, data.X_valid)) <= {0, 10}


def test_criterion_is_checked_against_the_task():
    data = dataset("regression")
    with pytest.raises(InvalidInput, match="criterion") as caught:
        FW.fit("sklearn.decision_tree", "regression", {"criterion": "gini"}, data.X_train,
               data.y_train)
    assert caught.value.details["field"] == "criterion"
    FW.fit("sklearn.decision_tree", "regression", {"criterion": "absolute_error"},
           data.X_train, data.y_train)


@pytest.mark.parametrize("penalty", ["l2", "l1", "elasticnet", "none"])
def test_logistic_penalties_without_deprecation_warnings(penalty):
    data = dataset("binary")
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        model = FW.fit("sklearn.logistic_regression", "binary",
                       {"penalty": penalty, "max_iter": 2000}, data.X_train, data.y_train)
    assert FW.predict(model, data.X_valid).shape == (len(data.X_valid),)


def test_forest_reports_each_batch_of_trees():
    data, calls = dataset("binary"), []
    model = FW.fit("sklearn.random_forest", "binary", {"n_estimators": 20.0}, data.X_train,
                   data.y_train, data.X_valid, data.y_valid,
                   callbacks=[lambda step, metrics: calls.append((step, metrics))])
    assert [step for step, _ in calls] == list(range(2, 21, 2))
    assert set(calls[-1][1]) == {"train_accuracy", "valid_accuracy"}
    forest = model.steps[-1][1]
    assert len(forest.estimators_) == 20 and forest.warm_start is False


def test_boosting_stops_early_on_the_validation_set():
    data, steps = dataset("regression"), []
    model = FW.fit("sklearn.hist_gradient_boosting", "regression",
                   {"max_iter": 500, "early_stopping": True, "learning_rate": 0.5},
                   data.X_train, data.y_train, data.X_valid, data.y_valid,
                   callbacks=[lambda step, metrics: steps.append(step)])
    booster = model.steps[-1][1]
    assert booster.n_iter_ < 500 and steps[-1] < 500 and booster.max_iter == 500
    assert steps == sorted(steps)


def test_network_reports_every_epoch():
    data, calls = dataset("regression"), []
    FW.fit("sklearn.mlp", "regression", {"max_iter": 15, "hidden_layer_sizes": [8, 4]},
           data.X_train, data.y_train, callbacks=[lambda s, m: calls.append((s, m))])
    assert [s for s, _ in calls] == list(range(1, 16)) and "train_r2" in calls[-1][1]


def test_formats_and_unsupported_formats(tmp_path, monkeypatch):
    assert all(FW.formats_for(a.id) == ("mlflow", "joblib", "onnx") for a in FW.algorithms())
    data = dataset("multiclass")
    model = FW.fit("sklearn.knn", "multiclass", {}, data.X_train, data.y_train)
    with pytest.raises(InvalidInput, match="supports: mlflow, joblib, onnx"):
        FW.export(model, "savedmodel", tmp_path)
    monkeypatch.setitem(adapter.UNSUPPORTED_FORMATS, "knn", {"onnx"})
    assert FW.formats_for("knn") == ("mlflow", "joblib")
    with pytest.raises(InvalidInput, match="supports: mlflow, joblib$"):
        FW.export(model, "onnx", tmp_path)


def test_mlflow_export_is_pickle_with_pinned_requirements(tmp_path):
    import sklearn
    import yaml

    data = dataset("binary")
    model = FW.fit("sklearn.hist_gradient_boosting", "binary", {"max_iter": 5}, data.X_train,
                   data.y_train)
    folder = FW.export(model, "mlflow", tmp_path)
    flavor = yaml.safe_load(open(f"{folder}/MLmodel"))["flavors"]["sklearn"]
    assert flavor["serialization_format"] == "pickle"
    requirements = open(f"{folder}/requirements.txt").read()
    assert f"scikit-learn=={sklearn.__version__}" in requirements
    assert yaml.safe_load(open(f"{folder}/MLmodel"))["metadata"]["classes"] == ["no", "yes"]
