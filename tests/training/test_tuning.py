"""Hyperparameter tuning with Optuna: the search space is checked against the algorithm's schema,
trials run as MLflow child runs of the job's run, the best parameters make the final model, and
the median pruner stops iterative trials early."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.errors import InvalidInput
from hubml.training.data import split
from hubml.workspace.runs import Run

TIMEOUT = 300


def noisy_frame(n=400, seed=1):
    from sklearn import datasets

    X, y = datasets.make_classification(n_samples=n, n_features=6, n_informative=3,
                                        flip_y=0.3, random_state=seed)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)])
    frame["y"] = np.where(y == 1, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def noisy(project):
    if not project.dataset("noisy").exists():
        project.save_dataset("noisy", noisy_frame())
    return project


def spec(tuning, **changes):
    base = dict(framework="sklearn", algorithm="sklearn.decision_tree", task="binary",
                dataset="noisy", target="y", validation=0.25, test=0.25, tuning=tuning)
    return hubml.TrainingSpec(**{**base, **changes})


@pytest.mark.parametrize("tuning, field, words", [
    ({"search_space": {"max_depth": {"type": "int", "low": 0, "high": 10}}},
     "tuning.search_space.max_depth", "minimum"),
    ({"search_space": {"max_depth": {"type": "int", "low": 2, "high": 500}}},
     "tuning.search_space.max_depth", "maximum"),
    ({"search_space": {"max_depth": {"type": "float", "low": 2, "high": 5}}},
     "tuning.search_space.max_depth", "not a number range"),
    ({"search_space": {"criterion": {"type": "int", "low": 1, "high": 3}}},
     "tuning.search_space.criterion", "choices"),
    ({"search_space": {"criterion": {"choices": ["gini", "purple"]}}},
     "tuning.search_space.criterion", "purple"),
    ({"search_space": {"depth": {"type": "int", "low": 1, "high": 3}}},
     "tuning.search_space.depth", "no hyperparameter"),
    ({"search_space": {"max_depth": {"type": "int", "low": 5, "high": 2}}},
     "tuning.search_space.max_depth", "below"),
    ({"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8}}, "metric": "r2"},
     "tuning.metric", "unknown metric"),
    ({"search_space": {"min_samples_leaf": {"type": "int", "low": 1, "high": 9, "log": True,
                                            "step": 2}}},
     "tuning.search_space.min_samples_leaf", "log-scale"),
    ({"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8}}, "n_trials": 0},
     "tuning.n_trials", "n_trials"),
    ({"search_space": {}}, "tuning.search_space", "search_space"),
    ({"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8}}, "sampler": "bayes"},
     "tuning.sampler", "sampler"),
    ({"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8}}, "colour": 1},
     "tuning.colour", "unknown tuning field"),
])
def test_bad_search_space_names_the_field(noisy, tuning, field, words, tree_hash):
    before = tree_hash(noisy.path)
    with pytest.raises(InvalidInput) as info:
        noisy.train(spec(tuning))
    assert info.value.details["field"] == field
    assert words in info.value.message
    assert tree_hash(noisy.path) == before        # no job folder, nothing written


def test_grid_and_validation_rules(noisy):
    with pytest.raises(InvalidInput) as info:
        spec({"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8}}},
             validation=0).validate(noisy)
    assert info.value.details["field"] == "validation"
    with pytest.raises(InvalidInput) as info:
        hubml.TrainingSpec.from_json({**spec(None).to_json(), "algorithm": "sklearn.svm",
                                      "tuning": {"sampler": "grid", "search_space": {
                                          "C": {"type": "float", "low": 0.1, "high": 2}}}})
    assert info.value.details["field"] == "tuning.search_space.C"
    # the schema's exclusiveMinimum of C is respected at the range's low end
    with pytest.raises(InvalidInput) as info:
        spec({"search_space": {"C": {"type": "float", "low": 0, "high": 2}}},
             algorithm="sklearn.svm").validate(noisy)
    assert info.value.details["field"] == "tuning.search_space.C"
    # a list hyperparameter is searched by choices, each checked against its schema
    spec({"search_space": {"hidden_layer_sizes": {"choices": [[8], [16, 8]]}}},
         algorithm="sklearn.mlp").validate(noisy)
    with pytest.raises(InvalidInput) as info:
        spec({"search_space": {"hidden_layer_sizes": {"choices": [[8], [0]]}}},
             algorithm="sklearn.mlp").validate(noisy)
    assert info.value.details["field"] == "tuning.search_space.hidden_layer_sizes"
    resolved = spec({"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8}},
                     "metric": "log_loss"}).validate(noisy)
    assert resolved.tuning["direction"] == "minimize" and resolved.tuning["sampler"] == "tpe"


def test_search_beats_the_defaults_and_records_child_runs(noisy):
    tuning = {"search_space": {"max_depth": {"type": "int", "low": 1, "high": 8},
                               "min_samples_leaf": {"type": "int", "low": 1, "high": 60,
                                                    "log": True},
                               "criterion": {"choices": ["gini", "entropy"]}},
              "sampler": "tpe", "n_trials": 20, "metric": "accuracy"}
    job = noisy.train(spec(tuning, model_name="noisy-tuned-tree"))
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    trials = job.trials()
    assert len(trials) == 20 and sorted(t["number"] for t in trials) == list(range(20))
    assert {t["state"] for t in trials} <= {"complete", "pruned"}
    summary = job.status["tuning"]
    best = max(t["value"] for t in trials if t["state"] == "complete")
    assert summary["best_value"] == pytest.approx(best) and summary["finished"] == 20
    # independently: the defaults on the same split score lower on the validation rows
    train, valid, _ = split(noisy_frame(), "binary", "y", 0.25, 0.25, 0)
    fw = hubml.frameworks.get("sklearn")
    features = [f"x{i}" for i in range(6)]
    default = fw.fit("sklearn.decision_tree", "binary", {}, train[features], train["y"])
    default_accuracy = float((fw.predict(default, valid[features]) == valid["y"]).mean())
    tuned = fw.fit("sklearn.decision_tree", "binary", summary["best_params"], train[features],
                   train["y"])
    tuned_accuracy = float((fw.predict(tuned, valid[features]) == valid["y"]).mean())
    assert tuned_accuracy == pytest.approx(summary["best_value"])
    assert summary["best_value"] > default_accuracy + 0.02
    # one child run per trial, nested under the job's run, with its params and metric
    parent = Run(noisy, job.status["run_id"])
    children = parent.client.search_runs(
        [parent.client.get_run(parent.id).info.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{parent.id}'", max_results=100)
    assert len(children) == 20
    by_id = {c.info.run_id: c for c in children}
    for trial in trials:
        child = by_id[trial["run_id"]]
        assert child.data.params["max_depth"] == str(trial["params"]["max_depth"])
        assert child.data.metrics["valid_accuracy"] == pytest.approx(trial["value"])
    # the final model was fitted with the best parameters and registered as usual
    assert parent.params()["max_depth"] == str(summary["best_params"]["max_depth"])
    assert job.model().name == "noisy-tuned-tree"
    assert job.to_json()["tuning"]["best_trial"] == summary["best_trial"]


def test_pruning_cuts_the_epochs_run(noisy, monkeypatch):
    from hubml.training.queue import LIMIT_ENV

    monkeypatch.setenv(LIMIT_ENV, "2")          # both searches at once
    space = {"learning_rate": {"type": "float", "low": 1e-3, "high": 0.3, "log": True},
             "max_depth": {"type": "int", "low": 1, "high": 6}}
    jobs = {pruner: noisy.train(spec(
        {"search_space": space, "sampler": "random", "pruner": pruner, "n_trials": 12},
        algorithm="sklearn.hist_gradient_boosting", params={"max_iter": 40},
        model_name=f"noisy-hgb-{pruner}")) for pruner in ("median", "none")}
    steps = {}
    for pruner, job in jobs.items():
        assert job.wait(TIMEOUT).state == "succeeded", job.log()
        trials = job.trials()
        assert len(trials) == 12
        steps[pruner] = sum(len(t["intermediate"]) for t in trials)
        if pruner == "none":
            assert all(t["state"] == "complete" for t in trials)
        else:
            assert sum(t["state"] == "pruned" for t in trials) >= 2
    # the same 12 sampled trials (random sampler, same seed): pruned ones stopped early
    assert [t["params"] for t in jobs["median"].trials()] == \
        [t["params"] for t in jobs["none"].trials()]
    assert steps["median"] < steps["none"] == 12 * 10
