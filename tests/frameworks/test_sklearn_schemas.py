"""Every scikit-learn algorithm's hyperparameter schema agrees with its estimators' own
``_parameter_constraints``: keys are constructor parameters, numeric bounds lie inside the
Interval constraints, enums are among the StrOptions (deprecated values excluded)."""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from hubml.frameworks._sklearn_algorithms import ALGORITHMS
from hubml.frameworks._sklearn_constraints import estimators, problems


@pytest.mark.parametrize("algorithm", ALGORITHMS, ids=lambda a: a.id)
def test_schema_agrees_with_the_estimator(algorithm):
    assert estimators(algorithm), algorithm.id
    assert problems(algorithm) == []


def _changed(algorithm_id: str, key: str, **prop):
    algorithm = next(a for a in ALGORITHMS if a.id == algorithm_id)
    schema = copy.deepcopy(algorithm.schema)
    schema["properties"][key] = {**schema["properties"].get(key, {}), **prop}
    return replace(algorithm, schema=schema)


@pytest.mark.parametrize("algorithm, words", [
    (_changed("sklearn.random_forest", "n_trees", type="integer", minimum=1, maximum=9),
     "not a parameter"),
    (_changed("sklearn.random_forest", "n_estimators", minimum=0), "not inside"),
    (_changed("sklearn.hist_gradient_boosting", "learning_rate", exclusiveMinimum=-1),
     "not inside"),
    (_changed("sklearn.elastic_net", "l1_ratio", maximum=2), "not inside"),
    (_changed("sklearn.knn", "weights", enum=["uniform", "distance", "closest"]), "closest"),
    (_changed("sklearn.decision_tree", "criterion",
              enum=["auto", "gini", "friedman_mse"]), "friedman_mse"),
    (_changed("sklearn.ridge", "alpha", type=["number", "null"]), "null"),
    (_changed("sklearn.lasso", "max_iter", type="boolean"), "booleans"),
])
def test_the_check_finds_disagreements(algorithm, words):
    found = problems(algorithm)
    assert found and any(words in p for p in found), found
