"""Loaders for exported models, one per export format: ``LOADERS[fmt](path, X) -> predictions``.

Each loader opens what ``Framework.export(model, fmt, path)`` wrote with that format's own
runtime (not with hubml) and returns what ``Framework.predict`` would return for ``X``: class
labels, regression values (1-d) or cluster ids. Register a loader with ``@loader("fmt")``;
the conformance suite fails for a format that has none.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["LOADERS", "assert_same_predictions", "loader", "plain_labels"]

LOADERS: dict[str, Callable] = {}

# MLflow flavor -> hubml framework whose decode_pyfunc turns pyfunc output into predictions
FLAVOR_FRAMEWORKS = {"sklearn": "sklearn", "tensorflow": "tensorflow", "keras": "tensorflow",
                     "pytorch": "torch", "h2o": "h2o"}


def loader(fmt: str):
    def register(fn):
        LOADERS[fmt] = fn
        return fn

    return register


def plain_labels(values) -> list:
    """Labels as Python values, so numpy str/int/object arrays compare equal."""
    return [v.item() if isinstance(v, np.generic) else v for v in np.asarray(values).ravel()]


def assert_same_predictions(task: str, expected, got, what: str):
    """Labels and cluster ids equal; regression values equal up to float32 rounding."""
    expected, got = np.asarray(expected), np.asarray(got)
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != {expected.shape}"
    if task == "regression":
        scale = max(1.0, float(np.abs(expected).max()))
        np.testing.assert_allclose(got.astype(float), expected.astype(float), rtol=1e-4,
                                   atol=1e-4 * scale, err_msg=what)
    else:
        assert plain_labels(got) == plain_labels(expected), f"{what}: labels differ"


def _column(out):
    out = np.asarray(out)
    return out[:, 0] if out.ndim == 2 and out.shape[1] == 1 else out


@loader("mlflow")
def mlflow_model(path, X):
    """An MLflow model folder through pyfunc; the flavor in its MLmodel names the framework."""
    import mlflow.pyfunc

    from hubml import frameworks

    model = mlflow.pyfunc.load_model(str(path))
    names = [FLAVOR_FRAMEWORKS[f] for f in model.metadata.flavors if f in FLAVOR_FRAMEWORKS]
    assert names, f"no known flavor in {list(model.metadata.flavors)}"
    return frameworks.get(names[0]).decode_pyfunc(model, model.predict(X))


@loader("joblib")
def joblib_model(path, X):
    """scikit-learn: the fitted pipeline predicts on the original DataFrame."""
    import joblib

    return _column(joblib.load(path).predict(X))


@loader("onnx")
def onnx_model(path, X):
    """skl2onnx graphs: first output is labels (classifiers, k-means) or values (n, 1)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name: X.to_numpy(dtype=np.float32, na_value=np.nan)}
    return _column(session.run(None, feed)[0])


# -- TensorFlow and PyTorch: networks output probabilities / values; the export's hubml.json
# sidecar (task, classes, features) turns them into labels, here with plain numpy.

def _net_sidecar(path) -> dict:
    import json
    from pathlib import Path

    return json.loads((Path(path).parent / "hubml.json").read_text())  # beside file or folder


def _net_inputs(meta: dict, X):
    import numpy as np

    return X[meta["features"]].to_numpy(dtype=np.float32, na_value=np.nan)


def _net_decode(meta: dict, out):
    """Binary: (n, 1) P(classes[1]); multiclass: (n, k) probabilities; regression: values."""
    import numpy as np

    out = np.asarray(out, dtype=float).reshape(len(out), -1)
    if meta["task"] == "regression":
        return out[:, 0]
    index = (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)
    return np.asarray(meta["classes"])[index]


@loader("savedmodel")
def tf_savedmodel(path, X):
    """TensorFlow SavedModel (keras ``model.export``): its ``serve`` endpoint."""
    import tensorflow as tf

    meta = _net_sidecar(path)
    loaded = tf.saved_model.load(str(path))  # keep it: its functions use its variables
    return _net_decode(meta, loaded.serve(_net_inputs(meta, X)).numpy())


@loader("keras")
def keras_file(path, X):
    """A ``.keras`` file: built-in layers only, so plain ``keras.models.load_model``."""
    import keras

    meta = _net_sidecar(path)
    model = keras.models.load_model(str(path))
    return _net_decode(meta, keras.ops.convert_to_numpy(model(_net_inputs(meta, X))))


@loader("torchscript")
def torchscript_file(path, X):
    """A TorchScript file: ``torch.jit.load`` and call it."""
    import torch

    meta = _net_sidecar(path)
    model = torch.jit.load(str(path), map_location="cpu").eval()
    with torch.no_grad():
        return _net_decode(meta, model(torch.from_numpy(_net_inputs(meta, X))).numpy())


@loader("state_dict")
def torch_state_dict(path, X):
    """``torch.load`` (weights only) of {config, state_dict}; the module class is the code."""
    import torch

    from hubml.frameworks.torch import module_class

    saved = torch.load(str(path), map_location="cpu", weights_only=True)
    net = module_class()(**saved["config"])
    net.load_state_dict(saved["state_dict"])
    meta = saved["metadata"]
    with torch.no_grad():
        return _net_decode(meta, net.eval()(torch.from_numpy(_net_inputs(meta, X))).numpy())


def _h2o_export(path, X, load):
    """H2O exports: the model file plus hubml_h2o.json (features, original class labels)."""
    import json
    from pathlib import Path

    import h2o
    import numpy as np
    import pandas as pd

    from hubml.frameworks._h2o_cluster import start_cluster

    start_cluster()
    info = json.loads((Path(path) / "hubml_h2o.json").read_text())
    model = load(str((Path(path) / info["file"]).resolve()))
    frame = h2o.H2OFrame(pd.DataFrame({c: X[c].to_numpy(dtype="float64") for c in info["features"]}))
    text = h2o.as_list(model.predict(frame)["predict"].ascharacter(), use_pandas=False, header=False)
    predicted = [row[0] for row in text]
    if not info["classes"]:
        return np.asarray(predicted, dtype="float64")
    by_text = {str(c): c for c in info["classes"]}
    return np.asarray([by_text[v] for v in predicted])


@loader("h2o_binary")
def h2o_binary_model(path, X):
    """An H2O binary model (same h2o version) through h2o.upload_model."""
    import h2o

    return _h2o_export(path, X, h2o.upload_model)


@loader("mojo")
def h2o_mojo_model(path, X):
    """An H2O MOJO zip through h2o.import_mojo (a generic model)."""
    import h2o

    return _h2o_export(path, X, h2o.import_mojo)
