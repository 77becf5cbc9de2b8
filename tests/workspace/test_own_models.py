"""The user's own models (not made by an adapter's fit) register, load, list and take aliases
like the adapters' own: scikit-learn estimators and Pipelines, Keras, torch and H2O."""

import mlflow
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

import hubml
from hubml.errors import InvalidInput
from hubml.workspace.runs import tracking


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    X.columns = ["sl", "sw", "pl", "pw"]
    return X.astype("float32"), y


@pytest.fixture
def p(root):
    return hubml.create_project("own")


def _pyfunc_predict(p, uri, X):
    with tracking(p):
        return mlflow.pyfunc.load_model(uri).predict(X)


def test_own_logistic_regression_registers_loads_lists_and_takes_an_alias(p, iris):
    from sklearn.linear_model import LogisticRegression

    X, y = iris
    own = LogisticRegression(max_iter=500).fit(X, y)
    mv = p.register_model("lr", own, framework="sklearn", X_example=X)
    assert mv.version == 1 and mv.to_json()["task"] == "multiclass"
    np.testing.assert_array_equal(p.model("lr").load().predict(X), own.predict(X))
    np.testing.assert_array_equal(_pyfunc_predict(p, "models:/lr/1", X), own.predict(X))
    p.model("lr").set_alias("production", 1)
    np.testing.assert_array_equal(p.model("lr").load(alias="production").predict(X),
                                  own.predict(X))
    assert [m.name for m in p.models()] == ["lr"]


def test_own_pipeline_with_a_text_column_keeps_its_input(p, iris):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    X, y = iris
    frame = X.assign(kind=np.where(y == 0, "a", "b"))
    pipeline = Pipeline([
        ("encode", ColumnTransformer([("onehot", OneHotEncoder(), ["kind"])],
                                     remainder="passthrough")),
        ("forest", RandomForestRegressor(n_estimators=5, random_state=0)),
    ]).fit(frame, X["pl"])
    p.register_model("pipe", pipeline, framework="sklearn", X_example=frame)
    loaded = p.model("pipe").load()
    np.testing.assert_allclose(loaded.predict(frame), pipeline.predict(frame))
    assert p.model("pipe").latest.to_json()["task"] == "regression"


def test_register_inside_start_run_without_run_uses_the_open_run(p, iris):
    from sklearn.tree import DecisionTreeClassifier

    X, y = iris
    with p.start_run("inside") as run:
        run.log_metric("accuracy", 0.97)
        mv = p.register_model("tree", DecisionTreeClassifier().fit(X, y), framework="sklearn",
                              X_example=X)
        assert mlflow.active_run().info.run_id == run.id   # still the same, still open
    assert mv.lineage()["run_id"] == run.id
    assert run.metrics() == {"accuracy": 0.97}


def test_an_unfitted_or_foreign_object_is_refused_with_what_to_do(p, iris):
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(InvalidInput, match="not fitted yet; call fit"):
        p.register_model("lr", LogisticRegression(), framework="sklearn")
    with pytest.raises(InvalidInput, match="expected a fitted scikit-learn estimator"):
        p.register_model("lr", object(), framework="sklearn")
    with pytest.raises(InvalidInput, match="pass X_example="):
        import torch

        p.register_model("net", torch.nn.Linear(4, 1), framework="torch")
    assert p.models() == []


def test_own_torch_module_registers_and_loads_with_equal_predictions(p, iris):
    import torch

    X, y = iris
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3),
                              torch.nn.Softmax(dim=1))
    with torch.no_grad():
        expected = net(torch.tensor(X.to_numpy())).argmax(dim=1).numpy()
    mv = p.register_model("net", net, framework="torch", X_example=X)
    assert mv.to_json()["task"] == "multiclass"
    loaded = p.model("net").load()
    np.testing.assert_array_equal(loaded.predict(X), expected)
    fw = hubml.frameworks.get("torch")
    decoded = fw.decode_pyfunc(loaded.native, _pyfunc_predict(p, "models:/net/1", X))
    np.testing.assert_array_equal(decoded, expected)


def test_own_torch_regression_by_task(p, iris):
    import torch

    X, y = iris
    net = torch.nn.Linear(4, 1)
    with torch.no_grad():
        expected = net(torch.tensor(X.to_numpy()))[:, 0].numpy()
    p.register_model("reg", net, framework="torch", X_example=X, task="regression")
    np.testing.assert_allclose(p.model("reg").load().predict(X), expected, rtol=1e-6)


def test_own_keras_model_registers_and_loads_with_equal_predictions(p, iris):
    from hubml.frameworks.tensorflow import _keras

    keras = _keras()
    X, y = iris
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    expected = model.predict(X.to_numpy(), verbose=0).argmax(axis=1)
    mv = p.register_model("keras", model, framework="tensorflow", X_example=X)
    assert mv.to_json()["task"] == "multiclass"
    loaded = p.model("keras").load()
    np.testing.assert_array_equal(loaded.predict(X), expected)
    fw = hubml.frameworks.get("tensorflow")
    decoded = fw.decode_pyfunc(loaded.native, _pyfunc_predict(p, "models:/keras/1",
                                                              X.to_numpy()))
    np.testing.assert_array_equal(decoded, expected)


def test_own_h2o_model_registers_and_loads_with_equal_predictions(p, iris):
    from hubml.frameworks.h2o import start_cluster

    start_cluster()
    import h2o
    from h2o.estimators import H2OGeneralizedLinearEstimator

    X, y = iris
    frame = h2o.H2OFrame(X.assign(species=y.map({0: "a", 1: "b", 2: "c"})))
    frame["species"] = frame["species"].asfactor()
    glm = H2OGeneralizedLinearEstimator(family="multinomial", seed=0)
    glm.train(x=list(X.columns), y="species", training_frame=frame)
    expected = glm.predict(h2o.H2OFrame(X))["predict"].as_data_frame()["predict"].to_numpy()
    p.register_model("glm", glm, framework="h2o", X_example=X)
    assert p.model("glm").latest.to_json()["task"] == "multiclass"
    predicted = p.model("glm").load().predict(X)
    assert list(pd.Series(predicted).astype(str)) == list(pd.Series(expected).astype(str))
