"""No token, no prediction; a corpus of bad payloads gets 4xx with a message that names what to
change, and the service stays up and keeps predicting. The native model (``--compile off``)
predicts exactly what MLflow's pyfunc does."""

import json

import httpx
import numpy as np
import pytest

from tests.serving.conftest import FEATURES, training_frame
from tests.serving.support import TOKEN, ServeProcess

LIMIT = 4096


@pytest.fixture(scope="module")
def server(serve_root, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with ServeProcess(serve_root, "clf:1", extra=["--max-body-bytes", str(LIMIT),
                                                  "--compile", "off"], log=log) as s:
        yield s


GOOD = {"dataframe_split": {"columns": FEATURES, "data": [[0.1] * 6]}}


def test_no_token_or_wrong_token_refused(server):
    for headers, status in (({}, 401), ({"Authorization": "Bearer nope"}, 403),
                            ({"Authorization": f"Basic {TOKEN}"}, 401),
                            ({"Authorization": "Bearer"}, 401),
                            ({"Authorization": f"Bearer {TOKEN}x"}, 403)):
        for path in ("/invocations", "/v1/models/clf:predict", "/v2/models/clf/infer",
                     "/v2/models/clf", "/train"):
            response = httpx.post(server.url + path, json=GOOD, headers=headers)
            assert response.status_code == status, (path, headers, response.text)
            assert response.json()["error"]["message"]
    for scheme in ("Bearer", "token", "bearer"):
        ok = httpx.post(server.url + "/invocations", json=GOOD,
                        headers={"Authorization": f"{scheme} {TOKEN}"})
        assert ok.status_code == 200, ok.text


def test_service_refuses_to_start_without_a_token(serve_root, tmp_path):
    s = ServeProcess(serve_root, "clf:1", token=None, log=tmp_path / "serve.log")
    with pytest.raises(RuntimeError, match="HUBML_SERVE_TOKEN"):
        s.start(timeout=60)
    assert not s.alive()


@pytest.mark.parametrize("models,words", [
    (["nope"], ["'nope'", "clf", "reg"]),
    (["clf:9"], ["clf", "9"]),
    (["clf@staging"], ["staging"]),
    (["clf", "clf:2"], ["twice"]),
    (["clf:x"], ["NAME@ALIAS"]),
])
def test_unknown_models_refused_at_start(serve_root, tmp_path, models, words):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "hubml.cli", "serve", "--project", "serve",
                             *models], capture_output=True, text=True, timeout=120,
                            env={"HUBML_PROJECT_ROOTS": str(serve_root), "PATH": "/usr/bin",
                                 "HUBML_SERVE_TOKEN": TOKEN})
    assert result.returncode == 2, result.stderr
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.stderr


CORPUS = [
    # (what, body, content type, status, words the message must contain)
    ("empty body", b"", "application/json", 400, ["empty"]),
    ("malformed JSON", b'{"dataframe_split": {', "application/json", 400, ["JSON"]),
    ("JSON not an object", b"[1, 2]", "application/json", 400, ["object"]),
    ("no known key", b'{"rows": []}', "application/json", 400, ["dataframe_split", "rows"]),
    ("two keys", json.dumps({"instances": [[0] * 6], "inputs": [[0] * 6]}).encode(),
     "application/json", 400, ["exactly one"]),
    ("missing columns", json.dumps({"dataframe_split": {"columns": ["x0", "x1"],
                                                        "data": [[1, 2]]}}).encode(),
     "application/json", 400, ["'x2'", "'x5'"]),
    ("records missing a column", json.dumps({"dataframe_records": [
        dict.fromkeys(FEATURES[:-1], 0)]}).encode(), "application/json", 400, ["'x5'"]),
    ("text in a number column", json.dumps({"dataframe_split": {
        "columns": FEATURES, "data": [[0, 0, "abc", 0, 0, 0]]}}).encode(),
     "application/json", 400, ["x2", "abc", "number"]),
    ("numeric text in a number column", json.dumps({"instances": [
        [0, 0, 0, "1.5", 0, 0]]}).encode(), "application/json", 400, ["x3", "number"]),
    ("a nested object as a value", json.dumps({"instances": [
        [0, 0, 0, {"a": 1}, 0, 0]]}).encode(), "application/json", 400, ["x3"]),
    ("too few values", json.dumps({"instances": [[0, 0, 0]]}).encode(), "application/json",
     400, ["3 values", "6"]),
    ("ragged rows", json.dumps({"instances": [[0] * 6, [0] * 5]}).encode(),
     "application/json", 400, ["row 1"]),
    ("no rows", json.dumps({"instances": []}).encode(), "application/json", 400, ["no rows"]),
    ("data not a list", json.dumps({"dataframe_split": {"columns": FEATURES,
                                                        "data": 5}}).encode(),
     "application/json", 400, ["dataframe_split"]),
    ("huge", json.dumps({"instances": [[0.123456789] * 6] * 200}).encode(),
     "application/json", 413, ["--max-body-bytes"]),
    ("malformed CSV (ragged)", b"x0,x1,x2,x3,x4,x5\n1,2,3\n", "text/csv", 400, ["row 0"]),
    ("CSV with text", b"x0,x1,x2,x3,x4,x5\n1,2,3,4,five,6\n", "text/csv", 400,
     ["x4", "five"]),
    ("CSV missing a column", b"x0,x1\n1,2\n", "text/csv", 400, ["'x2'"]),
    ("CSV not UTF-8", b"x0,x1\n\xff\xfe,1\n", "text/csv", 400, ["CSV"]),
    ("CSV empty", b"", "text/csv", 400, ["empty"]),
    ("other content type", b"<x/>", "application/xml", 415, ["application/json"]),
]


@pytest.mark.parametrize("what,body,ctype,status,words", CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_payload(server, what, body, ctype, status, words):
    response = server.post("/invocations", content=body, headers={"Content-Type": ctype})
    assert response.status_code == status, response.text
    error = response.json()["error"]
    for word in words:
        assert word in error["message"], (word, error)
    assert "Traceback" not in response.text
    # still up, and still right
    assert server.alive()
    assert server.post("/invocations", json=GOOD).status_code == 200


def test_bad_v2_and_tf_payloads(server):
    for path, body, word in (
            ("/v2/models/clf/infer", {"inputs": "x"}, "inputs"),
            ("/v2/models/clf/infer", {"inputs": [{"name": "input-0", "shape": [2, 6],
                                                  "datatype": "FP64", "data": [1, 2]}]},
             "shape"),
            ("/v1/models/clf:predict", {"rows": []}, "instances"),
            ("/v1/models/nope:predict", {"instances": [[0] * 6]}, "clf")):
        response = server.post(path, json=body)
        assert 400 <= response.status_code < 500, response.text
        assert word in response.json()["error"]["message"]
    assert server.client.get("/invocations").status_code == 405
    assert server.client.get("/nowhere").status_code == 404


def test_native_predictions_equal_pyfunc(server, pyfunc_predict):
    X = training_frame(15, seed=11)[FEATURES]   # under the small body limit
    got = server.post("/invocations", json={"dataframe_split": X.to_dict(orient="split",
                                                                           index=False)})
    want = pyfunc_predict("clf", 1, X)
    assert got.status_code == 200, got.text
    assert np.asarray(got.json()["predictions"]).tolist() == want.tolist()


def test_retraining_routes_answer_without_a_500(server):
    """POST /train and GET /training: 501 with a message while serving/retrain.py is not
    installed; once it is, its answer (a JSON object, or a 4xx saying what is missing)."""
    import importlib.util

    installed = importlib.util.find_spec("hubml.serving.retrain") is not None
    for method, path in (("POST", "/train"), ("GET", "/training")):
        response = server.client.request(method, path)
        assert response.status_code != 500, response.text
        doc = response.json()
        if not installed:
            assert response.status_code == 501
            assert "retrain" in doc["error"]["message"]
        elif response.status_code >= 400:
            assert doc["error"]["message"]
        else:
            assert isinstance(doc, dict)
    wrong = server.client.get("/train")
    assert wrong.status_code in (405, 501)
