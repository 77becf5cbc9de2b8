"""Basic parameters by role (epochs, batch size, optimizer, learning rate, early stopping,
patience, monitored metric, seed, class weights): each algorithm's schema says which it has and
under what name; the spec sets them by role, bad ones name ``basic.<role>``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.errors import InvalidInput


def spec(algorithm, basic, framework="sklearn", **changes):
    return hubml.TrainingSpec(framework, algorithm, "multiclass", "iris", target="species",
                              basic=basic, **changes)


def test_roles_map_to_each_libraries_names():
    _, forest, params = spec("random_forest", {"seed": 3, "class_weight": "balanced"}) \
        .resolve_algorithm()
    assert forest.basic() == {"class_weight": "class_weight", "seed": "random_state"}
    assert params["random_state"] == 3 and params["class_weight"] == "balanced"
    _, mlp, params = spec("mlp", {"epochs": 7, "learning_rate": 0.01, "batch_size": 16}) \
        .resolve_algorithm()
    assert (params["max_iter"], params["learning_rate_init"], params["batch_size"]) == \
        (7, 0.01, 16)
    frameworks = {f["name"]: f for f in hubml.frameworks.available()}
    dense = next(a for a in frameworks["torch"]["algorithms"] if a["id"] == "torch.dense")
    assert set(dense["basic"]) == {"epochs", "batch_size", "optimizer", "learning_rate",
                                   "early_stopping", "patience", "monitor", "seed",
                                   "class_weight"}
    if "h2o" in frameworks:
        gbm = next(a for a in frameworks["h2o"]["algorithms"] if a["id"] == "h2o.gbm")
        assert gbm["basic"] == {"learning_rate": "learn_rate", "seed": "seed"}


@pytest.mark.parametrize("algorithm, framework, basic, field, words", [
    ("knn", "sklearn", {"epochs": 5}, "basic.epochs", "no epochs parameter"),
    ("torch.dense", "torch", {"epochs": 0}, "basic.epochs", "minimum"),
    ("torch.dense", "torch", {"patience": "soon"}, "basic.patience", "integer"),
    ("torch.dense", "torch", {"monitor": "val_f1"}, "basic.monitor", "val_f1"),
    ("random_forest", "sklearn", {"class_weight": "heavy"}, "basic.class_weight", "heavy"),
    ("random_forest", "sklearn", {"colour": 1}, "basic.colour", "unknown basic parameter"),
])
def test_bad_basic_parameters_name_the_field(project, algorithm, framework, basic, field,
                                             words):
    with pytest.raises(InvalidInput) as info:
        project.train(spec(algorithm, basic, framework=framework))
    assert info.value.details["field"] == field and words in info.value.message


def test_a_role_given_twice_is_refused():
    with pytest.raises(InvalidInput) as info:
        spec("random_forest", {"seed": 1}, params={"random_state": 2}).resolve_algorithm()
    assert info.value.details["field"] == "basic.seed" and "twice" in info.value.message


def test_patience_monitor_and_class_weights_reach_the_fit():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 3)), columns=["a", "b", "c"])
    y = pd.Series(np.where(X["a"] > 1.2, "rare", "common"))       # about 1 in 9 rare
    torch = hubml.frameworks.get("torch")
    common = {"epochs": 200, "early_stopping": True, "learning_rate": 0.05, "layers": [8]}

    def fit(**params):
        return torch.fit("torch.dense", "binary", {**common, **params}, X[:200], y[:200],
                         X[200:], y[200:])
    quick, slow = fit(patience=1), fit(patience=100)
    assert quick.epochs_run < slow.epochs_run
    assert fit(patience=2, monitor="val_accuracy").epochs_run < 200
    plain = fit(patience=100, early_stopping=False)
    balanced = fit(patience=100, early_stopping=False, class_weight="balanced")
    rare = (y[200:] == "rare").to_numpy()
    hits = [float((torch.predict(m, X[200:])[rare] == "rare").mean()) for m in (plain, balanced)]
    assert hits[1] >= hits[0] and hits[1] > 0.5
    sk = hubml.frameworks.get("sklearn")
    tree = sk.fit("sklearn.logistic_regression", "binary", {"class_weight": "balanced"},
                  X, y)
    assert tree.steps[-1][1].class_weight == "balanced"
