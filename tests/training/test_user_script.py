"""A spec's user script: it defines the whole fit (any framework) or the model (scikit-learn),
its callbacks show up as live metrics, its errors fail the job readably, and a script that does
not exist or defines neither is refused at the field before any job starts."""

from __future__ import annotations

import pytest

import hubml
from hubml.errors import InvalidInput

from .conftest import finish, iris_frame

TIMEOUT = 300
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

FIT = '''
from sklearn.linear_model import LogisticRegression


def fit(spec, train, valid, callbacks):
    X, y = train.drop(columns=[spec.target]), train[spec.target]
    model = LogisticRegression(C=spec.params.get("C", 1.0), max_iter=500)
    for step in (1, 2, 3):
        model.set_params(max_iter=step * 50).fit(X, y)
        for callback in callbacks:
            callback(step, {"train_accuracy": model.score(X, y)})
    return model
'''
BUILD = '''
from sklearn.neighbors import KNeighborsClassifier


def build_model(spec, n_features, n_classes):
    assert n_features == 4 and n_classes == 3
    return KNeighborsClassifier(n_neighbors=7)
'''
RAISING = '''
def fit(spec, train, valid, callbacks):
    callbacks[0](1, {"loss": 1.0})
    raise RuntimeError("my model broke\\nsecond line")
'''


@pytest.fixture(scope="module")
def scripted(project):
    folder = project.path / "scripts"
    folder.mkdir(exist_ok=True)
    for name, text in (("fit_model.py", FIT), ("build.py", BUILD), ("raising.py", RAISING),
                       ("nothing.py", "def train():\n    pass\n"),
                       ("broken.py", "def fit(:\n")):
        (folder / name).write_text(text, "utf-8")
    return project


def spec(script, **changes):
    return hubml.TrainingSpec(**{"framework": "sklearn", "algorithm": "sklearn.logistic_regression",
                                 "task": "multiclass", "dataset": "iris", "target": "species",
                                 "script": script, **changes})


def test_script_fit_runs_with_live_callbacks(scripted, start_script):
    job = scripted.train(spec("scripts/fit_model.py", model_name="iris-script-fit"))
    text = spec("scripts/fit_model.py", model_name="iris-script-fit-2").to_script(scripted.name)
    process = start_script(text)
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    assert [s for s, _ in job.metrics()["train_accuracy"]] == [1, 2, 3]
    from sklearn.linear_model import LogisticRegression

    from hubml.training.data import split

    train, _, test = split(iris_frame(), "multiclass", "species", 0.2, 0.2, 0)
    mine = LogisticRegression(C=1.0, max_iter=150).fit(train[FEATURES], train["species"])
    expected = float((mine.predict(test[FEATURES]) == test["species"]).mean())
    assert job.status["metrics"]["accuracy"] == pytest.approx(expected)
    assert "LogisticRegression" in type(job.model().load()).__name__ or \
        job.model().load().predict(iris_frame()[FEATURES]).shape == (150,)
    assert f"'accuracy': {round(expected, 4)}" in finish(process)


def test_script_build_model_is_fitted_by_hubml(scripted):
    job = scripted.train(spec("scripts/build.py", model_name="iris-script-knn"))
    assert job.wait(TIMEOUT).state == "succeeded", job.log()
    from sklearn.neighbors import KNeighborsClassifier

    from hubml.training.data import split

    train, _, test = split(iris_frame(), "multiclass", "species", 0.2, 0.2, 0)
    mine = KNeighborsClassifier(n_neighbors=7).fit(train[FEATURES], train["species"])
    expected = float((mine.predict(test[FEATURES]) == test["species"]).mean())
    assert job.status["metrics"]["accuracy"] == pytest.approx(expected)
    assert job.metrics()["train_accuracy"]


def test_a_raising_script_fails_the_job_with_one_line(scripted):
    job = scripted.train(spec("scripts/raising.py", model_name="iris-script-raise"))
    status = job.wait(TIMEOUT).status
    assert status["state"] == "failed"
    assert status["error"] == "RuntimeError: my model broke"
    assert "Traceback" in job.log() and "raising.py" in job.log()
    assert job.metrics()["loss"] == [(1, 1.0)]
    assert scripted.model("iris-script-raise").versions() == []


@pytest.mark.parametrize("script, words", [
    ("scripts/missing.py", "there is no script"),
    ("scripts/nothing.py", "defines neither"),
    ("scripts/broken.py", "not valid Python"),
    ("../outside.py", "inside the project"),
    ("/etc/passwd.py", "inside the project"),
    ("scripts/fit_model.txt", ".py file"),
])
def test_bad_scripts_are_refused_before_any_job(scripted, script, words, tree_hash):
    before = tree_hash(scripted.path / ".hubml" / "jobs")
    with pytest.raises(InvalidInput) as info:
        scripted.train(spec(script))
    assert info.value.details["field"] == "script" and words in info.value.message
    assert tree_hash(scripted.path / ".hubml" / "jobs") == before


def test_build_model_needs_scikit_learn(scripted):
    with pytest.raises(InvalidInput) as info:
        spec("scripts/build.py", framework="torch", algorithm="torch.dense").validate(scripted)
    assert info.value.details["field"] == "script" and "define fit" in info.value.message
