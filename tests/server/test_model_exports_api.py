"""Model exports over REST: each format a version lists downloads as a file (or a zip of a
folder format), loads back with its own runtime and predicts what the registered model does."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from tornado.httpclient import HTTPClientError

import hubml
from tests.frameworks.exports import LOADERS, assert_same_predictions
from tests.server.helpers import error_of

BASE = "projects/ml/models/iris-forest/versions"


def _iris_X() -> pd.DataFrame:
    df = load_iris(as_frame=True).frame.rename(columns=lambda c: c.replace(" (cm)", "")
                                               .replace(" ", "_"))
    return df.drop(columns=["target"])


async def _download(jp_fetch, path: str):
    response = await jp_fetch("hubml", "api", *path.split("/"), method="GET")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename="), disposition
    return disposition.split("filename=", 1)[1].strip('"'), response.body, response.headers


def _opened(filename: str, body: bytes, where) -> object:
    """The downloaded file on disk; a zip is unpacked and its one top folder returned."""
    target = where / filename
    target.write_bytes(body)
    if not filename.endswith(".zip"):
        return target
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
        archive.extractall(where)
    assert tops == {filename.removesuffix(".zip")}, tops
    return where / tops.pop()


@pytest.mark.parametrize("fmt", ["joblib", "mlflow", "onnx"])
async def test_each_sklearn_format_downloads_and_predicts_the_same(jp_fetch, api, ml_project,
                                                                   fmt, tmp_path):
    code, detail = await api("GET", f"{BASE}/2")
    assert code == 200 and fmt in detail["formats"]
    filename, body, headers = await _download(jp_fetch, f"{BASE}/2/export/{fmt}")
    expected_name = "iris-forest-v2-mlflow.zip" if fmt == "mlflow" else f"iris-forest-v2.{fmt}"
    assert filename == expected_name
    assert int(headers["Content-Length"]) == len(body) > 0
    path = _opened(filename, body, tmp_path)
    X = _iris_X()
    expected = ml_project.model("iris-forest").load(version=2).predict(X)
    assert_same_predictions("multiclass", expected, LOADERS[fmt](path, X), fmt)
    cached = list((ml_project.path / ".hubml" / "exports" / "iris-forest" / "2" / fmt).iterdir())
    assert filename in {p.name for p in cached}
    again = await _download(jp_fetch, f"{BASE}/2/export/{fmt}")   # from the cache, same bytes
    assert again[1] == body


async def test_an_unknown_format_is_404_naming_the_formats(api, ml_project):
    code, body = await api("GET", f"{BASE}/1/export/savedmodel")
    error = error_of(body)
    assert code == 404 and error["details"]["formats"] == ["mlflow", "joblib", "onnx"]
    assert "savedmodel" in error["message"] and "joblib, onnx" in error["message"]
    code, body = await api("GET", f"{BASE}/9/export/joblib")
    assert code == 404
    assert not (ml_project.path / ".hubml" / "exports" / "iris-forest" / "9").exists()


async def test_export_needs_authentication(jp_fetch, ml_project):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("hubml", "api", *f"{BASE}/1/export/joblib".split("/"),
                       headers={"Authorization": ""})
    assert info.value.code == 403


@pytest.fixture
def keras_project(roots):
    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120)})
    y = pd.Series(np.where(X.a + X.b > 0, "yes", "no"))
    fw = hubml.frameworks.get("tensorflow")
    model = fw.fit("tensorflow.dense", "binary", {"epochs": 3, "layers": [8]}, X, y)
    p = hubml.create_project("nets")
    p.register_model("net", model, framework="tensorflow", X_example=X.head(5))
    return p, X


@pytest.mark.parametrize("fmt, inner", [("keras", "model.keras"), ("savedmodel", "savedmodel")])
async def test_keras_exports_download_as_zips_that_tf_keras_loads(jp_fetch, keras_project,
                                                                  fmt, inner, tmp_path):
    p, X = keras_project
    filename, body, _ = await _download(jp_fetch, f"projects/nets/models/net/versions/1/export/"
                                                  f"{fmt}")
    assert filename == f"net-v1-{fmt}.zip"
    folder = _opened(filename, body, tmp_path)
    assert (folder / "hubml.json").is_file()       # task, classes, features beside the model
    expected = p.model("net").load().predict(X)
    assert_same_predictions("binary", expected, LOADERS[fmt](folder / inner, X), fmt)
