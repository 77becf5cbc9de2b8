"""H2O adapter: one JVM per process, labels kept, errors that name what to fix, MLflow, exports.

Every (algorithm, task) pair is fitted by test_conformance.py; this file checks what is H2O's
own: the cluster's life (folder, one start, gone at exit), label mapping, AutoML's leader.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
import psutil
import pytest

from hubml.errors import InvalidInput
from hubml.frameworks import h2o as adapter

from .datasets import dataset
from .exports import LOADERS

FW = adapter.FRAMEWORK
# mlflow's h2o pyfunc calls as_data_frame(), which advises installing polars
pytestmark = pytest.mark.filterwarnings("ignore:Converting H2O frame to pandas")


def h2o_jvms() -> list[int]:
    """Pids of the H2O JVMs this test process started."""
    return [p.pid for p in psutil.Process().children(recursive=True)
            if "java" in p.name() and any("h2o.jar" in a for a in p.cmdline())]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    info = adapter.start_cluster(ice_root=tmp_path_factory.mktemp("h2o") / "ice")
    import h2o

    h2o.no_progress()
    return info


@pytest.fixture(scope="module")
def binary_model(cluster):
    data = dataset("binary")
    return FW.fit("h2o.gbm", "binary", {"ntrees": 5, "max_depth": 3}, data.X_train,
                  data.y_train)


def test_import_is_cheap_and_algorithms_are_plain_data():
    code = ("import sys, hubml.frameworks.h2o as m; ids = [a.id for a in m.FRAMEWORK.algorithms()];"
            "print(ids, [k for k in ('h2o', 'mlflow', 'pandas') if k in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]"), out.stdout
    for name in ("gbm", "glm", "random_forest", "deep_learning", "naive_bayes", "automl"):
        assert f"h2o.{name}" in out.stdout
    assert FW.algorithm("h2o.naive_bayes").tasks == ("binary", "multiclass")


def test_default_ice_root_follows_env(monkeypatch, tmp_path):
    from hubml.frameworks._h2o_cluster import default_ice_root

    monkeypatch.delenv("HUBML_H2O_ICE_ROOT", raising=False)
    monkeypatch.delenv("HUBML_PROJECT_DIR", raising=False)
    assert default_ice_root() is None
    monkeypatch.setenv("HUBML_PROJECT_DIR", str(tmp_path))
    assert default_ice_root() == tmp_path / "h2o-ice"
    monkeypatch.setenv("HUBML_H2O_ICE_ROOT", str(tmp_path / "ice"))
    assert default_ice_root() == tmp_path / "ice"


_LIFECYCLE = """
import json, os, sys
from pathlib import Path
import h2o
from hubml.frameworks import _h2o_cluster as c
project = Path(sys.argv[1])
first = c.start_cluster(ice_root=project / "given" / "ice")   # created, parents too
second = c.start_cluster()      # running already: the same one, not $HUBML_PROJECT_DIR/h2o-ice
h2o.init()                                              # what mlflow's h2o loader calls
print(json.dumps({"first": first, "same": first == second, "url": h2o.connection().base_url,
                  "pid": h2o.connection().local_server._process.pid}))
"""


def test_cluster_starts_once_in_the_given_folder_and_stops_at_exit(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "HUBML_H2O_ICE_ROOT"}
    env["HUBML_PROJECT_DIR"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", _LIFECYCLE, str(tmp_path)], env=env,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["same"] and report["url"] == report["first"]["url"]
    assert report["url"].startswith("http://127.0.0.1:")
    ice = tmp_path / "given" / "ice"
    assert report["first"]["ice_root"] == str(ice.resolve())
    assert (ice / "h2ologs").is_dir() and not (tmp_path / "h2o-ice").exists()
    deadline = time.monotonic() + 15
    while psutil.pid_exists(report["pid"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not psutil.pid_exists(report["pid"]), "the H2O JVM outlived its Python process"


def test_two_fits_share_one_cluster(cluster, binary_model):
    data = dataset("regression")
    before = h2o_jvms()
    assert len(before) == 1
    FW.fit("h2o.glm", "regression", {}, data.X_train, data.y_train)
    FW.fit("h2o.random_forest", "regression", {"ntrees": 3}, data.X_train, data.y_train)
    assert h2o_jvms() == before
    assert adapter.start_cluster()["url"] == cluster["url"]


def test_string_labels_round_trip(binary_model):
    data = dataset("binary")
    pred = FW.predict(binary_model, data.X_valid)
    assert FW.classes(binary_model) == ["no", "yes"]
    assert set(pred.tolist()) <= {"no", "yes"} and pred.dtype.kind in "UO"
    assert (pred == data.y_valid.to_numpy()).mean() > 0.7
    proba = FW.predict_proba(binary_model, data.X_valid)
    assert proba.shape == (len(data.X_valid), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-6)


def test_numeric_labels_keep_their_values_and_order(cluster):
    """Labels 10, 2, 3: H2O sorts levels as text ("10" < "2"); classes and columns stay numeric."""
    data = dataset("multiclass")
    codes = {"setosa": 10, "versicolor": 2, "virginica": 3}
    model = FW.fit("h2o.gbm", "multiclass", {"ntrees": 5}, data.X_train,
                   data.y_train.map(codes).astype("int64"))
    assert FW.classes(model) == [2, 3, 10]
    pred, proba = FW.predict(model, data.X_valid), FW.predict_proba(model, data.X_valid)
    assert pred.dtype.kind == "i"
    assert (pred == np.asarray([2, 3, 10])[proba.argmax(axis=1)]).all()
    assert (pred == data.y_valid.map(codes).to_numpy()).mean() > 0.8


@pytest.mark.parametrize("algorithm, params, field", [
    ("h2o.gbm", {"ntrees": 0}, "ntrees"),
    ("h2o.gbm", {"learn_rate": 2}, "learn_rate"),
    ("h2o.gbm", {"no_such_field": 1}, "no_such_field"),
    ("h2o.automl", {"nfolds": 1}, "nfolds"),
    ("h2o.deep_learning", {"activation": "Sigmoid"}, "activation"),
])
def test_invalid_hyperparameters_name_the_field(algorithm, params, field):
    data = dataset("binary")
    with pytest.raises(InvalidInput) as caught:
        FW.fit(algorithm, "binary", params, data.X_train, data.y_train)
    assert field in caught.value.message and caught.value.details["field"] == field


def test_non_numeric_feature_is_named():
    data = dataset("binary")
    X = data.X_train.assign(city=["Oslo"] * len(data.X_train))
    with pytest.raises(InvalidInput, match="'city'.*encode") as caught:
        FW.fit("h2o.gbm", "binary", {}, X, data.y_train)
    assert caught.value.details["field"] == "city"


def test_unsupported_task_and_missing_columns(binary_model):
    data = dataset("regression")
    with pytest.raises(InvalidInput, match="naive_bayes does not do regression"):
        FW.fit("h2o.naive_bayes", "regression", {}, data.X_train, data.y_train)
    X = dataset("binary").X_valid
    with pytest.raises(InvalidInput, match=X.columns[0]):
        FW.predict(binary_model, X.drop(columns=[X.columns[0]]))
    shuffled = X[X.columns[::-1]].assign(note="not a feature")   # by name, extras ignored
    assert (FW.predict(binary_model, shuffled) == FW.predict(binary_model, X)).all()


def test_callbacks_replay_history_then_final_metrics(cluster):
    data, calls = dataset("binary"), []
    FW.fit("h2o.gbm", "binary", {"ntrees": 4}, data.X_train, data.y_train, data.X_valid,
           data.y_valid, callbacks=[lambda step, metrics: calls.append((step, metrics))])
    steps = [step for step, _ in calls]
    assert steps[:-1] == list(range(1, len(steps))) and len(steps) >= 3
    assert {"train_logloss", "valid_logloss", "train_auc"} <= set(calls[-1][1])


def test_automl_keeps_the_leader(cluster):
    data = dataset("multiclass")
    model = FW.fit("h2o.automl", "multiclass",
                   {"max_models": 2, "nfolds": 0, "max_runtime_secs": 60,
                    "exclude_algos": ["DeepLearning", "StackedEnsemble", "XGBoost"]},
                   data.X_train, data.y_train)
    assert model.algorithm == "h2o.automl" and model.estimator.algo in {"glm", "gbm", "drf"}
    pred = FW.predict(model, data.X_valid)
    assert (pred == data.y_valid.to_numpy()).mean() > 0.8


def test_mlflow_flavor_and_pyfunc(binary_model, mlflow_store):
    import mlflow
    from mlflow.models import Model

    X = dataset("binary").X_valid
    expected = FW.predict(binary_model, X)
    with mlflow.start_run():
        info = FW.log_model(binary_model, "model", metadata={"owner": "test"})
    meta = Model.load(info.model_uri).metadata
    assert meta["owner"] == "test" and meta["hubml_h2o"]["classes"] == ["no", "yes"]
    assert (FW.predict(FW.load_model(info.model_uri), X) == expected).all()
    jvms = h2o_jvms()
    pyfunc = mlflow.pyfunc.load_model(info.model_uri)
    out = pyfunc.predict(X)
    assert h2o_jvms() == jvms, "loading the pyfunc started another JVM"
    assert list(out.columns) == ["predict", "no", "yes"]
    assert (FW.decode_pyfunc(pyfunc, out) == expected).all()
    requirements = mlflow.pyfunc.get_model_dependencies(info.model_uri)
    assert f"h2o=={FW.version()}" in open(requirements).read().split()


def test_exports(binary_model, tmp_path):
    X = dataset("binary").X_valid
    expected = FW.predict(binary_model, X)
    for fmt in FW.export_formats:
        path = FW.export(binary_model, fmt, tmp_path / fmt)
        assert (LOADERS[fmt](path, X) == expected).all(), fmt
    with pytest.raises(InvalidInput, match="choose one of: mlflow, h2o_binary"):
        FW.export(binary_model, "pickle", tmp_path / "pickle")
    if "mojo" not in FW.export_formats:   # h2o 3.46.0.12 gates MOJO behind H2O-3 Secure
        with pytest.raises(InvalidInput, match="MOJO export needs H2O-3 Secure"):
            FW.export(binary_model, "mojo", tmp_path / "mojo")


def test_h2o_refusal_names_the_field(cluster):
    """H2O's own checks (here: too few rows for min_rows) come back as InvalidInput too."""
    data = dataset("binary")
    with pytest.raises(InvalidInput, match="'min_rows' of h2o.gbm: .*too small") as caught:
        FW.fit("h2o.gbm", "binary", {"min_rows": 100}, data.X_train, data.y_train)
    assert caught.value.details["field"] == "min_rows"
