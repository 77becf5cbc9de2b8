"""Fixtures for the REST API tests: a Jupyter server with hubml (pytest-jupyter), project
roots in a temporary folder, sample projects, and a small upload limit."""

import json
import os

import numpy as np
import pandas as pd
import pytest
from tornado.httpclient import HTTPClientError

import hubml
from tests.server.helpers import orders_frame

UPLOAD_LIMIT = 64 * 1024  # c.HubML.max_upload_bytes in these tests


@pytest.fixture
def jp_server_config(jp_server_config):
    return {"ServerApp": {"jpserver_extensions": {"hubml": True}},
            "HubML": {"max_upload_bytes": UPLOAD_LIMIT}}


@pytest.fixture
def roots(tmp_path, monkeypatch):
    root = tmp_path / "projects"
    root.mkdir()
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(root))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    return root


@pytest.fixture
def project(roots):
    """Project "sales": dataset "orders" (2 versions, the second with a NaN), "customers"."""
    p = hubml.create_project("sales", description="sales data", tags=["q1"])
    v1 = p.save_dataset("orders", orders_frame(), description="first")
    second = orders_frame(40, seed=1)
    second.loc[3, "amount"] = np.nan
    p.save_dataset("orders", second, description="second", parents=[v1],
                   recipe=[{"step": "drop_missing"}])
    p.save_dataset("customers", pd.DataFrame({"id": [1, 2], "name": ["a", "b"]}))
    return p


@pytest.fixture(scope="session")
def model_root(tmp_path_factory):
    """A project "ml" with model "iris-forest" (versions 1 and 2, alias production -> 1), made
    once per session through the SDK; tests that change aliases put them back."""
    from sklearn.datasets import load_iris

    root = tmp_path_factory.mktemp("model-root")
    old = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        p = hubml.create_project("ml")
        df = load_iris(as_frame=True).frame.rename(columns=lambda c: c.replace(" (cm)", "")
                                                   .replace(" ", "_"))
        version = p.save_dataset("iris", df)
        fw = hubml.frameworks.get("sklearn")
        X, y = df.drop(columns=["target"]), df["target"]
        for n in (5, 10):
            model = fw.fit("sklearn.random_forest", "multiclass", {"n_estimators": n}, X, y)
            with p.start_run(f"forest-{n}") as run:
                run.log_params({"n_estimators": n})
                run.log_metric("accuracy", 0.9 + n / 1000)
                p.register_model("iris-forest", model, framework="sklearn", run=run,
                                 dataset=version, algorithm="sklearn.random_forest",
                                 task="multiclass")
        p.model("iris-forest").set_alias("production", 1)
    finally:
        if old is None:
            del os.environ["HUBML_PROJECT_ROOTS"]
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = old
    return root


@pytest.fixture
def ml_project(model_root, monkeypatch):
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(model_root))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    return hubml.project("ml")


@pytest.fixture
def api(jp_fetch):
    """``await api("GET", "projects/sales")`` -> (status, JSON body); never raises on 4xx."""
    async def call(method: str, path: str, body=None, params=None, headers=None):
        kwargs = {"method": method}
        if body is not None:
            kwargs["body"] = body if isinstance(body, (bytes, str)) else json.dumps(body)
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = b""
        parts = path.split("/")
        try:
            response = await jp_fetch("hubml", "api", *parts, params=params, headers=headers,
                                      **kwargs)
        except HTTPClientError as exc:
            response = exc.response
        text = response.body.decode("utf-8") if response.body else ""
        return response.code, (json.loads(text) if text else None)
    return call
