"""Every framework trains two algorithms through the REST jobs API; each job's test metric is
checked against sklearn.metrics on the registered model's predictions for the same test rows
(the split recomputed from the spec), not against hubml's own evaluation."""

import importlib.util

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

import hubml
from hubml.training.data import split

CASES = {
    "sklearn": [("sklearn.hist_gradient_boosting", "binary", {"max_iter": 30}),
                ("sklearn.ridge", "regression", {"alpha": 0.5})],
    "tensorflow": [("tensorflow.dense", "binary", {"epochs": 4, "layers": [8]}),
                   ("tensorflow.linear", "regression", {"epochs": 4})],
    "torch": [("torch.dense", "binary", {"epochs": 4, "layers": [8]}),
              ("torch.linear", "regression", {"epochs": 4})],
    "h2o": [("h2o.gbm", "binary", {"ntrees": 5, "max_depth": 3}),
            ("h2o.glm", "regression", {})],
}
MODULES = {"sklearn": "sklearn", "tensorflow": "tensorflow", "torch": "torch", "h2o": "h2o"}


@pytest.fixture
def data_project(roots):
    p = hubml.create_project("fw")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["label"] = np.where(X[:, 0] - X[:, 1] > 0, "yes", "no")
    frame["value"] = 2 * X[:, 0] - X[:, 2] + rng.normal(scale=0.1, size=150)
    p.save_dataset("table", frame)
    with p.start_run("setup"):   # the MLflow store, before two jobs use it at once
        pass
    return p, frame


@pytest.mark.parametrize("framework", list(CASES))
async def test_two_algorithms_per_framework_over_rest(api, data_project, framework,
                                                      monkeypatch):
    assert importlib.util.find_spec(MODULES[framework]), f"{framework} must be installed"
    from hubml.training.queue import LIMIT_ENV

    monkeypatch.setenv(LIMIT_ENV, "2")
    p, frame = data_project
    jobs = []
    for algorithm, task, params in CASES[framework]:
        target = "label" if task == "binary" else "value"
        features = ["a", "b", "c"]
        spec = {"framework": framework, "algorithm": algorithm, "task": task,
                "dataset": "table", "target": target, "features": features, "params": params,
                "model_name": f"{algorithm.replace('.', '-').replace('_', '-')}-{task}"}
        code, job = await api("POST", "projects/fw/jobs", spec)
        assert code == 201, job
        jobs.append((job["id"], task, target, features))
    for job_id, task, target, features in jobs:
        job = p.job(job_id).wait(timeout=600)
        assert job.state == "succeeded", job.log()
        code, shown = await api("GET", f"projects/fw/jobs/{job_id}")
        assert code == 200 and shown["state"] == "succeeded"
        _, _, test = split(frame[features + [target]], task, target, 0.2, 0.2, 0)
        predicted = p.model(shown["model"]["name"]).load().predict(test[features])
        if task == "binary":
            expected = metrics.accuracy_score(test[target], np.asarray(predicted).astype(str))
            assert shown["metrics"]["accuracy"] == pytest.approx(expected)
            assert expected >= 0.6, (job_id, expected)
        else:
            expected = metrics.r2_score(test[target], np.asarray(predicted, dtype=float))
            assert shown["metrics"]["r2"] == pytest.approx(expected, rel=1e-6, abs=1e-9)
        assert shown["evaluated_on"] == "test" and job.evaluation()["n_samples"] == len(test)
