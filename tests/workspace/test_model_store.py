"""The project's MLflow store: models logged with plain MLflow, store failures reported as
such, listings scoped to the project in a shared store and paged past MLflow's 100."""

import os
import sqlite3

import mlflow
import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression

import hubml
from hubml.errors import Conflict, NotFound, StoreUnavailable
from hubml.workspace import models as workspace_models
from hubml.workspace.models import model_listing
from hubml.workspace.runs import tracking
from hubml.workspace.store import tracking_uri


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    X.columns = ["sl", "sw", "pl", "pw"]
    return X, y


class Doubler(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return model_input["sl"] * 2


@pytest.fixture
def plain(root, iris):
    """A project whose models were logged with plain MLflow against its tracking URI."""
    X, y = iris
    p = hubml.create_project("plain")
    lr = LogisticRegression(max_iter=500).fit(X, y)
    p.save_dataset("iris", X)   # the store is made by plain MLflow, not by hubml
    mlflow.set_tracking_uri(tracking_uri(p))
    try:
        with mlflow.start_run():
            mlflow.sklearn.log_model(lr, name="model", registered_model_name="plain-lr",
                                     serialization_format="pickle")
            mlflow.pyfunc.log_model(name="doubler", python_model=Doubler(),
                                    registered_model_name="doubler", input_example=X.head(2))
    finally:
        mlflow.set_tracking_uri(None)
    return p, lr


def test_models_logged_with_plain_mlflow_list_with_their_flavor_and_load(plain, iris):
    p, lr = plain
    X, _ = iris
    listing = model_listing(p)
    assert [(m["name"], m["framework"], m["latest_version"]) for m in listing] == [
        ("doubler", "mlflow", 1), ("plain-lr", "sklearn", 1)]
    np.testing.assert_array_equal(p.model("plain-lr").load().predict(X), lr.predict(X))
    np.testing.assert_allclose(p.model("doubler").load().predict(X), X["sl"] * 2)
    assert p.model("plain-lr").latest.to_json()["framework"] == "sklearn"
    p.model("doubler").set_alias("production", 1)
    assert model_listing(p)[0]["aliases"] == {"production": 1}


def test_a_store_that_cannot_be_read_is_reported_not_hidden(root, iris):
    X, y = iris
    p = hubml.create_project("broken")
    p.register_model("lr", LogisticRegression(max_iter=200).fit(X, y), framework="sklearn")
    (p.path / ".hubml" / "mlflow.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable, match="retry") as caught:
        p.models()
    assert caught.value.status == 503
    with pytest.raises(StoreUnavailable):
        p.model("lr").load()


def test_a_locked_store_is_a_retryable_error_not_no_models(root, iris):
    X, y = iris
    p = hubml.create_project("locked")
    p.register_model("lr", LogisticRegression(max_iter=200).fit(X, y), framework="sklearn")
    writer = sqlite3.connect(p.path / ".hubml" / "mlflow.db", check_same_thread=False)
    writer.execute("BEGIN EXCLUSIVE")   # a job in the middle of a write
    try:
        with pytest.raises(StoreUnavailable, match="database is locked.*retry"):
            p.models()
    finally:
        writer.rollback()
        writer.close()
    assert [m.name for m in p.models()] == ["lr"]   # and once it is done, there it is


def test_a_missing_model_is_still_not_found(root):
    p = hubml.create_project("empty")
    with p.start_run("r"):
        pass
    with pytest.raises(NotFound, match="no model named 'ghost'"):
        p.model("ghost").load()
    assert model_listing(p) == []


@pytest.fixture
def shared(root, tmp_path, monkeypatch):
    monkeypatch.setenv("HUBML_TRACKING_URI", f"sqlite:///{tmp_path / 'shared.db'}")
    return hubml.create_project("team-a"), hubml.create_project("team-b")


def test_a_shared_store_lists_only_the_projects_own_models(shared, iris):
    a, b = shared
    X, y = iris
    a.register_model("churn", LogisticRegression(max_iter=200).fit(X, y), framework="sklearn")
    b.register_model("sales", LinearRegression().fit(X, y), framework="sklearn")
    assert [m.name for m in a.models()] == ["churn"]
    assert [m["name"] for m in model_listing(b)] == ["sales"]
    with pytest.raises(NotFound, match="no model named 'churn' in project 'team-b'"):
        b.model("churn").load()
    with pytest.raises(Conflict, match="another project; choose another name"):
        b.register_model("churn", LinearRegression().fit(X, y), framework="sklearn")


def test_listings_page_past_mlflows_first_hundred(shared, iris, monkeypatch):
    a, b = shared
    X, y = iris
    a.register_model("m-000", LogisticRegression(max_iter=200).fit(X, y), framework="sklearn")
    client = mlflow.MlflowClient(tracking_uri=tracking_uri(a), registry_uri=tracking_uri(a))
    source = client.get_model_version("m-000", "1").source
    tags = client.get_registered_model("m-000").tags
    with tracking(a):   # more registry entries, straight through MLflow: fast
        for i in range(1, 105):
            client.create_registered_model(f"m-{i:03d}", tags=tags)
        for i in (64, 104):
            client.create_model_version(f"m-{i:03d}", source,
                                        tags={"hubml.framework": "sklearn"})
        client.create_registered_model("not-a-project-model")
    names = [m.name for m in a.models()]
    assert names == [f"m-{i:03d}" for i in range(105)]
    listing = {m["name"]: m for m in model_listing(a)}
    assert len(listing) == 105
    assert [n for n, m in listing.items() if m["framework"] == "sklearn"] == [
        "m-000", "m-064", "m-104"]
    monkeypatch.setattr(workspace_models, "_PAGE", 30)   # several pages
    assert [m["name"] for m in model_listing(a)] == names
    assert b.models() == []



def test_hubml_leaves_mlflow_pointing_where_the_user_had_it(root, iris, tmp_path):
    """After hubml registered a model, a user's own MLflow code against another store must
    register there, not in the hubml project (MLflow keeps MLFLOW_REGISTRY_URI set)."""
    X, y = iris
    before = {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")}
    p = hubml.create_project("mine")
    p.register_model("lr", LogisticRegression(max_iter=500).fit(X, y), framework="sklearn",
                     X_example=X)
    assert {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")} == before
    other = f"sqlite:///{tmp_path / 'other.db'}"
    mlflow.set_tracking_uri(other)
    try:
        with mlflow.start_run():
            mlflow.sklearn.log_model(LogisticRegression(max_iter=500).fit(X, y), name="model",
                                     registered_model_name="elsewhere",
                                     serialization_format="pickle")
    finally:
        mlflow.set_tracking_uri(None)
    assert [m.name for m in p.models()] == ["lr"]
    client = mlflow.MlflowClient(tracking_uri=other, registry_uri=other)
    assert [m.name for m in client.search_registered_models()] == ["elsewhere"]
