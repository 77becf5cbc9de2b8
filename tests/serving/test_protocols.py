"""Every protocol and payload format of ``hubml serve``, against MLflow's pyfunc predict on the
same input, through a real server process."""

import numpy as np
import pytest

from tests.serving.conftest import FEATURES, training_frame
from tests.serving.support import ServeProcess


@pytest.fixture(scope="module")
def server(serve_root, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with ServeProcess(serve_root, "clf@production", "reg", "text", log=log) as s:
        yield s


@pytest.fixture(scope="module")
def rows():
    return training_frame(25, seed=7)


def _post(server, path, model, **kwargs):
    headers = {"X-Model-Name": model} if path == "/invocations" else {}
    response = server.post(path, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("model", ["clf", "reg"])
def test_mlflow_json_formats_equal_pyfunc(server, rows, pyfunc_predict, model):
    version = 1
    X = rows[FEATURES]
    want = pyfunc_predict(model, version, X)
    bodies = {
        "dataframe_split": {"dataframe_split": X.to_dict(orient="split", index=False)},
        "dataframe_split, other column order": {"dataframe_split": X[FEATURES[::-1]].to_dict(
            orient="split", index=False)},
        "dataframe_records": {"dataframe_records": X.to_dict(orient="records")},
        "instances (rows)": {"instances": X.to_numpy().tolist()},
        "instances (records)": {"instances": X.to_dict(orient="records")},
        "inputs (columns)": {"inputs": X.to_dict(orient="list")},
        "inputs (rows)": {"inputs": X.to_numpy().tolist()},
    }
    for what, body in bodies.items():
        got = np.asarray(_post(server, "/invocations", model, json=body)["predictions"])
        _check(got, want, what)


def _check(got, want, what):
    if want.dtype.kind == "f":
        np.testing.assert_allclose(got, want, rtol=1e-5, err_msg=what)
    else:
        assert got.tolist() == want.tolist(), what


def test_mlflow_csv(server, rows, pyfunc_predict):
    X = rows[FEATURES]
    got = _post(server, "/invocations", "reg", content=X.to_csv(index=False).encode(),
                headers={"Content-Type": "text/csv", "X-Model-Name": "reg"})["predictions"]
    _check(np.asarray(got), pyfunc_predict("reg", 1, X), "csv")


def test_tf_serving(server, rows, pyfunc_predict):
    X = rows[FEATURES]
    want = pyfunc_predict("clf", 1, X)
    got = _post(server, "/v1/models/clf:predict", "clf",
                json={"instances": X.to_dict(orient="records")})["predictions"]
    _check(np.asarray(got), want, "tf instances")
    got = _post(server, "/v1/models/clf/versions/1:predict", "clf",
                json={"inputs": X.to_dict(orient="list")})["outputs"]
    _check(np.asarray(got), want, "tf inputs")
    status = server.client.get("/v1/models/clf").json()
    assert status["model_version_status"][0]["version"] == "1"
    wrong = server.post("/v1/models/clf/versions/2:predict", json={"instances": [[0] * 6]})
    assert wrong.status_code == 404 and "version 1" in wrong.json()["error"]["message"]


def test_open_inference_v2(server, rows, pyfunc_predict):
    X = rows[FEATURES]
    want = pyfunc_predict("reg", 1, X)
    one = {"id": "r1", "inputs": [{"name": "input-0", "shape": list(X.shape),
                                   "datatype": "FP64", "data": X.to_numpy().ravel().tolist()}]}
    doc = _post(server, "/v2/models/reg/infer", "reg", json=one)
    assert doc["model_name"] == "reg" and doc["model_version"] == "1" and doc["id"] == "r1"
    out = doc["outputs"][0]
    assert out["shape"] == [len(X)] and out["datatype"] == "FP64"
    _check(np.asarray(out["data"]), want, "v2 one tensor")
    per_column = {"inputs": [{"name": c, "shape": [len(X)], "datatype": "FP64",
                              "data": X[c].tolist()} for c in FEATURES]}
    doc = _post(server, "/v2/models/reg/versions/1/infer", "reg", json=per_column)
    _check(np.asarray(doc["outputs"][0]["data"]), want, "v2 per column")
    labels = _post(server, "/v2/models/clf/infer", "clf", json=one)["outputs"][0]
    assert labels["datatype"] == "BYTES"
    _check(np.asarray(labels["data"]), pyfunc_predict("clf", 1, X), "v2 labels")


def test_v2_metadata_and_health(server):
    meta = server.client.get("/v2/models/reg").json()
    assert meta["name"] == "reg" and meta["versions"] == ["1"]
    assert [i["name"] for i in meta["inputs"]] == FEATURES
    assert server.client.get("/v2/models/reg/ready").json() == {"name": "reg", "ready": True}
    assert server.client.get("/v2").json()["name"] == "hubml"
    for path in ("/ping", "/v2/health/live", "/v2/health/ready"):
        assert server.client.get(path, headers={"Authorization": ""}).status_code == 200
    assert server.client.get("/v2/models/nope").status_code == 404


def test_text_column_model(server, rows, pyfunc_predict):
    """The user's own Pipeline with a text column gets a typed DataFrame."""
    X = rows[["x0", "x1"]].assign(colour=np.where(rows.x3 > 0, "red", "blue"))
    want = pyfunc_predict("text", 1, X)
    got = _post(server, "/invocations", "text",
                json={"dataframe_records": X.to_dict(orient="records")})["predictions"]
    _check(np.asarray(got), want, "text records")
    got = _post(server, "/invocations", "text", content=X.to_csv(index=False).encode(),
                headers={"Content-Type": "text/csv", "X-Model-Name": "text"})["predictions"]
    _check(np.asarray(got), want, "text csv")
    bad = server.post("/invocations", headers={"X-Model-Name": "text"},
                      json={"dataframe_records": [{"x0": 1, "x1": 2, "colour": 3}]})
    assert bad.status_code == 400 and "colour" in bad.json()["error"]["message"]


def test_several_models_need_a_name(server):
    response = server.post("/invocations", json={"instances": [[0.0] * 6]})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "X-Model-Name" in message and "clf" in message and "reg" in message


def test_metrics(server, rows):
    _post(server, "/v1/models/reg:predict", "reg", json={"instances": [[0.0] * 6]})
    text = server.client.get("/metrics").text
    assert 'hubml_serve_requests_total{model="reg",protocol="tfserving",status="200",' \
           'version="1"}' in text
    assert "hubml_serve_request_seconds_bucket" in text


def test_missing_values(server, pyfunc_predict):
    """null is a missing value: HistGradientBoosting takes it (as MLflow's pyfunc does);
    GradientBoostingRegressor refuses it with a 400 that says so, served compiled or not."""
    X = training_frame(10, seed=9)[FEATURES]
    X.iloc[2, 1] = np.nan
    records = [{k: (None if v != v else v) for k, v in r.items()}
               for r in X.to_dict(orient="records")]
    got = _post(server, "/invocations", "clf", json={"dataframe_records": records})
    _check(np.asarray(got["predictions"]), pyfunc_predict("clf", 1, X), "missing values")
    refused = server.post("/invocations", headers={"X-Model-Name": "reg"},
                          json={"dataframe_records": records})
    assert refused.status_code == 400, refused.text
    assert "NaN" in refused.json()["error"]["message"]
