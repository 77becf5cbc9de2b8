"""Fixtures for the prediction service: a project with registered models (made once per
session through the SDK), and real ``hubml serve`` processes on free loopback ports."""

import os

import numpy as np
import pandas as pd
import pytest

import hubml
from tests.serving.support import TOKEN, ServeProcess  # noqa: F401  (used by the tests)

FEATURES = [f"x{i}" for i in range(6)]


def training_frame(n=400, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, len(FEATURES))), columns=FEATURES)
    X["label"] = np.where(X.x0 + X.x1 * X.x2 > 0, "yes", "no")
    X["amount"] = 3 * X.x0 - X.x3 ** 2 + rng.normal(scale=0.1, size=n)
    return X


@pytest.fixture(scope="session")
def serve_root(tmp_path_factory):
    """Project "serve": dataset "train"; models "clf" (HistGradientBoosting, string labels,
    v1 and v2 = other hyperparameters, alias production -> 1), "reg" (GradientBoosting
    regressor), "text" (the user's own Pipeline with a text column)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import (
        GradientBoostingRegressor,
        HistGradientBoostingClassifier,
        RandomForestClassifier,
    )
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    root = tmp_path_factory.mktemp("serve-root")
    old = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        p = hubml.create_project("serve")
        df = training_frame()
        dv = p.save_dataset("train", df)
        X = df[FEATURES]
        p.register_model("clf", HistGradientBoostingClassifier(max_iter=30, random_state=0)
                         .fit(X, df.label), framework="sklearn", dataset=dv, X_example=X)
        p.register_model("clf", RandomForestClassifier(n_estimators=5, random_state=1)
                         .fit(X, df.label), framework="sklearn", dataset=dv, X_example=X)
        p.model("clf").set_alias("production", 1)
        p.register_model("reg", GradientBoostingRegressor(n_estimators=30, random_state=0)
                         .fit(X, df.amount), framework="sklearn", dataset=dv, X_example=X)
        text = df[["x0", "x1"]].assign(colour=np.where(df.x3 > 0, "red", "blue"))
        pipe = make_pipeline(ColumnTransformer([("oh", OneHotEncoder(), ["colour"])],
                                               remainder="passthrough"),
                             HistGradientBoostingClassifier(max_iter=10)).fit(text, df.label)
        p.register_model("text", pipe, framework="sklearn", X_example=text)
    finally:
        if old is None:
            os.environ.pop("HUBML_PROJECT_ROOTS", None)
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = old
    return root


@pytest.fixture
def project(serve_root, monkeypatch):
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(serve_root))
    monkeypatch.delenv("HUBML_TRACKING_URI", raising=False)
    return hubml.project("serve")


@pytest.fixture
def pyfunc_predict(project):
    """MLflow's own pyfunc predict of a model version, for comparisons."""
    import mlflow.pyfunc

    from hubml.workspace.runs import tracking

    cache = {}

    def predict(name, version, frame):
        if (name, version) not in cache:
            with tracking(project, create=False):
                cache[name, version] = mlflow.pyfunc.load_model(f"models:/{name}/{version}")
        out = cache[name, version].predict(frame)
        return np.asarray(out.to_numpy() if hasattr(out, "to_numpy") else out).reshape(-1)

    return predict
