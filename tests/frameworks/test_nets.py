"""What is specific to the network adapters (tensorflow, torch); test_conformance.py covers the
shared contract. Tiny data and few epochs: each fit takes well under a second in torch and a
couple of seconds in TensorFlow (Keras' per-fit tracing)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from hubml import frameworks
from hubml.errors import InvalidInput

NETS = ("tensorflow", "torch")


def frame(rows: int = 60, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(rng.normal(size=(rows, 3)), columns=["a", "b", "c"])


def fit(name, task, y, X=None, params=None, valid=True, callbacks=None, algorithm="dense"):
    X = frame() if X is None else X
    cut = int(len(X) * 0.75)
    fw = frameworks.get(name)
    extra = (X[cut:], y[cut:]) if valid else (None, None)
    return fw, fw.fit(f"{name}.{algorithm}", task, {"epochs": 3, **(params or {})}, X[:cut],
                      y[:cut], *extra, callbacks=callbacks)


@pytest.mark.parametrize("name", NETS)
def test_string_and_integer_labels_round_trip(name, tmp_path):
    X = frame()
    words = pd.Series(np.where(X.a > 0.3, "high", np.where(X.a < -0.3, "low", "mid")))
    fw, model = fit(name, "multiclass", words, X, {"epochs": 5})
    assert fw.classes(model) == ["high", "low", "mid"]
    pred = fw.predict(model, X)
    assert pred.shape == (len(X),) and set(pred) <= {"high", "low", "mid"}
    assert (pred == words).mean() > 0.5, "a separable target should be learned in part"
    # the labels come back through a metadata dict and the export sidecar too
    output = fw._forward(model.net, X.to_numpy(dtype="float32"))
    assert list(fw.decode_pyfunc(model.metadata(), output)) == list(pred)
    fmt = "keras" if name == "tensorflow" else "torchscript"
    path = fw.export(model, fmt, tmp_path)
    assert json.loads((tmp_path / "hubml.json").read_text())["classes"] == ["high", "low", "mid"]
    assert list(fw.predict(fw.load_export(path), X)) == list(pred)

    codes = pd.Series(np.where(X.b > 0, 20, 10))         # integer labels that are not 0..k-1
    fw, model = fit(name, "binary", codes, X, algorithm="linear")
    assert fw.classes(model) == [10, 20]
    assert set(fw.predict(model, X).tolist()) <= {10, 20}
    assert fw.predict_proba(model, X).shape == (len(X), 2)


@pytest.mark.parametrize("name", NETS)
def test_early_stopping_stops_on_a_plateau(name):
    # a learning rate this small leaves float32 weights unchanged: the validation loss is flat
    X = frame()
    y = pd.Series(np.where(X.a > 0, "yes", "no"))
    calls = []
    _, model = fit(name, "binary", y, X, {"epochs": 30, "learning_rate": 1e-9, "optimizer": "sgd",
                                          "batch_size": 64},
                   callbacks=[lambda step, metrics: calls.append((step, set(metrics)))])
    assert model.epochs_run == 6, "1 best epoch + patience 5"
    assert calls == [(step, {"loss", "val_loss", "val_accuracy"}) for step in range(1, 7)]
    calls = []
    _, model = fit(name, "binary", y, X, {"epochs": 8, "learning_rate": 1e-9, "batch_size": 64,
                                          "early_stopping": False},
                   callbacks=[lambda step, metrics: calls.append(step)])
    assert model.epochs_run == 8 and calls == list(range(1, 9))


@pytest.mark.parametrize("name", NETS)
def test_callbacks_once_per_epoch_with_finite_losses(name):
    X = frame()
    y = X.a * 50 + 200                                   # regression in target units
    calls = []
    fit(name, "regression", y, X, {"epochs": 3},
        callbacks=[lambda step, metrics: calls.append((step, metrics))])
    assert [step for step, _ in calls] == [1, 2, 3]
    for _, metrics in calls:
        assert set(metrics) == {"loss", "val_loss", "val_rmse"}
        assert all(np.isfinite(v) for v in metrics.values())
    assert calls[0][1]["loss"] > 100, "regression losses are reported in target units"
    calls.clear()
    fit(name, "binary", pd.Series(X.b > 0), X, {"epochs": 2}, valid=False,
        callbacks=[lambda step, metrics: calls.append((step, metrics))])
    assert [(s, set(m)) for s, m in calls] == [(1, {"loss"}), (2, {"loss"})]
    assert np.isfinite(calls[-1][1]["loss"])


@pytest.mark.parametrize("name", NETS)
def test_missing_values_are_imputed_with_training_means(name, tmp_path):
    X = frame(80)
    y = X.a * 3 + X.b
    X.loc[::4, "a"] = np.nan
    X["d"] = pd.array([1, None, 3, 4] * 20, dtype="Int64")  # a nullable column with NA
    fw, model = fit(name, "regression", y, X, {"epochs": 2}, valid=False)
    train = X[:60]
    row = pd.DataFrame({"a": [np.nan], "b": [0.5], "c": [-1.0],
                        "d": pd.array([None], dtype="Int64")})
    filled = pd.DataFrame({"a": [train.a.mean()], "b": [0.5], "c": [-1.0],
                           "d": [float(train.d.mean())]})
    got, expected = fw.predict(model, row), fw.predict(model, filled)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=1e-4)
    exported = "savedmodel" if name == "tensorflow" else "state_dict"   # NaN inside exports too
    path = fw.export(model, exported, tmp_path)
    reloaded = fw.load_export(path) if name == "tensorflow" else fw.load_state_dict(path)
    np.testing.assert_allclose(fw.predict(reloaded, row), got, rtol=1e-4)
    assert fw.predict(model, row.iloc[:0]).shape == (0,)


@pytest.mark.parametrize("name", NETS)
def test_same_random_state_same_model(name):
    X = frame()
    y = pd.Series(np.where(X.a + X.c > 0, "yes", "no"))
    params = {"epochs": 2, "dropout": 0.2, "random_state": 7}
    fw, first = fit(name, "binary", y, X, params)
    _, second = fit(name, "binary", y, X, params)
    np.testing.assert_array_equal(fw.predict_proba(first, X), fw.predict_proba(second, X))


@pytest.mark.parametrize("name", NETS)
@pytest.mark.parametrize("params, field", [
    ({"layers": [0]}, "layers"), ({"layers": []}, "layers"), ({"dropout": 1.5}, "dropout"),
    ({"optimizer": "lbfgs"}, "optimizer"), ({"momentum": 0.9}, "momentum"),
    ({"learning_rate": 0}, "learning_rate"), ({"epochs": 1001}, "epochs"),
])
def test_invalid_hyperparameters_name_the_field(name, params, field):
    X = frame(20)
    with pytest.raises(InvalidInput) as caught:
        frameworks.get(name).fit(f"{name}.dense", "binary", params, X, X.a > 0)
    assert field in caught.value.message and caught.value.details["field"].startswith(field)


@pytest.mark.parametrize("name", NETS)
def test_inputs_and_tasks_a_caller_can_fix(name):
    fw, X = frameworks.get(name), frame(20)
    with pytest.raises(InvalidInput, match="layers"):    # the linear model has no hidden layers
        fw.fit(f"{name}.linear", "binary", {"layers": [4]}, X, X.a > 0)
    with pytest.raises(InvalidInput, match="'city'.*encode"):
        fw.fit(f"{name}.dense", "binary", {}, X.assign(city="Oslo"), X.a > 0)
    with pytest.raises(InvalidInput, match="clustering"):
        fw.fit(f"{name}.dense", "clustering", {}, X)
    with pytest.raises(InvalidInput, match="multiclass"):
        fw.fit(f"{name}.dense", "binary", {}, X, pd.Series(["a", "b", "c", "d"] * 5))
    with pytest.raises(InvalidInput, match="missing values"):
        fw.fit(f"{name}.dense", "regression", {}, X, X.a.where(X.a > 0))


@pytest.mark.parametrize("name", NETS)
def test_import_stays_cheap(name):
    code = (f"import sys, hubml.frameworks as f; f.get({name!r}).algorithms(); "
            "print(sorted(m for m in ('tensorflow', 'keras', 'torch', 'mlflow', 'pandas') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
