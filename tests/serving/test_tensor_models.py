"""The tensor protocols with a network: the user's own torch Module, served by name, through
TensorFlow Serving ``instances`` and an Open Inference Protocol tensor, equal to MLflow's
pyfunc predict (the network's output) on the same rows."""

import os

import numpy as np
import pandas as pd
import pytest

from tests.serving.support import ServeProcess


@pytest.fixture(scope="module")
def torch_root(tmp_path_factory):
    import torch

    import hubml

    root = tmp_path_factory.mktemp("torch-root")
    old = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        X = pd.DataFrame(np.random.default_rng(0).normal(size=(50, 4)).astype("float32"),
                         columns=["a", "b", "c", "d"])
        hubml.create_project("nets").register_model("net", net, framework="torch",
                                                    X_example=X, task="regression")
    finally:
        if old is None:
            os.environ.pop("HUBML_PROJECT_ROOTS", None)
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = old
    return root


def test_torch_module_over_tensor_protocols(torch_root, tmp_path, monkeypatch):
    import mlflow.pyfunc

    import hubml
    from hubml.workspace.runs import tracking

    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(torch_root))
    rows = np.random.default_rng(1).normal(size=(12, 4)).round(4)
    frame = pd.DataFrame(rows.astype("float32"), columns=["a", "b", "c", "d"])
    with tracking(hubml.project("nets"), create=False):
        want = np.asarray(mlflow.pyfunc.load_model("models:/net/1").predict(frame)).reshape(-1)
    with ServeProcess(torch_root, "net", project="nets", log=tmp_path / "serve.log") as s:
        tf = s.post("/v1/models/net:predict", json={"instances": rows.tolist()})
        assert tf.status_code == 200, tf.text
        np.testing.assert_allclose(np.asarray(tf.json()["predictions"]).reshape(-1), want,
                                   rtol=1e-5, atol=1e-6)
        v2 = s.post("/v2/models/net/infer", json={"inputs": [{
            "name": "input-0", "shape": [12, 4], "datatype": "FP32",
            "data": rows.reshape(-1).tolist()}]})
        assert v2.status_code == 200, v2.text
        out = v2.json()["outputs"][0]
        np.testing.assert_allclose(np.asarray(out["data"]).reshape(-1), want, rtol=1e-5,
                                   atol=1e-6)
        wrong = s.post("/v1/models/net:predict", json={"instances": [[1.0, 2.0]]})
        assert wrong.status_code == 400 and "4" in wrong.json()["error"]["message"]
        assert "(native)" in s.log_text()
