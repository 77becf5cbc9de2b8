"""Models endpoints over models that are not the adapters': a user's own estimator, one logged
with plain MLflow; and a store that cannot be read answers 503, not "no models"."""

import mlflow
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from hubml.workspace.store import tracking_uri
from tests.server.helpers import error_of

BASE = "projects/sales/models"


def _iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    X.columns = ["sl", "sw", "pl", "pw"]
    return X, y


async def test_own_and_plain_mlflow_models_list_and_show(api, project):
    X, y = _iris()
    project.register_model("own", LogisticRegression(max_iter=300).fit(X, y),
                           framework="sklearn", X_example=X)
    project.model("own").set_alias("production", 1)
    mlflow.set_tracking_uri(tracking_uri(project))
    try:
        with mlflow.start_run():
            mlflow.sklearn.log_model(LogisticRegression(max_iter=300).fit(X, y), name="model",
                                     registered_model_name="plain",
                                     serialization_format="pickle")
    finally:
        mlflow.set_tracking_uri(None)
    code, body = await api("GET", BASE)
    assert code == 200, body
    assert body == {"models": [
        {"name": "own", "latest_version": 1, "framework": "sklearn", "task": "multiclass",
         "aliases": {"production": 1}},
        {"name": "plain", "latest_version": 1, "framework": "sklearn", "task": None,
         "aliases": {}}]}
    code, body = await api("GET", f"{BASE}/plain")
    assert code == 200 and [v["framework"] for v in body["versions"]] == ["sklearn"]
    code, body = await api("GET", f"{BASE}/plain/versions/1")
    assert code == 200 and body["formats"] == ["mlflow", "joblib", "onnx"]
    code, body = await api("GET", f"{BASE}/own/versions/1")
    assert code == 200 and body["aliases"] == ["production"]


async def test_an_unreadable_store_is_503_with_retry(api, project):
    X, y = _iris()
    project.register_model("own", LogisticRegression(max_iter=300).fit(X, y),
                           framework="sklearn")
    (project.path / ".hubml" / "mlflow.db").write_bytes(b"garbage" * 500)
    for path in (BASE, f"{BASE}/own", f"{BASE}/own/versions/1"):
        code, body = await api("GET", path)
        assert code == 503, (path, body)
        error = error_of(body)
        assert error["code"] == "store_unavailable" and "retry" in error["message"]
