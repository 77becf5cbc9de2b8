"""The training form driven from Python, without a kernel: scikit-learn jobs with metrics
checked against a refit on the same split, the live view and result page, Register, saved
specs loading back unchanged, and invalid values marked at their fields with no job started.

Other frameworks: test_training_form_frameworks.py.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

import hubml
from hubml.errors import InvalidInput
from hubml.training import split
from tests.training.conftest import iris_frame

TIMEOUT = 300
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("form") / "projects"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBML_PROJECT_ROOTS", str(folder))
        mp.setenv("JUPYTER_DATA_DIR", str(folder.parent / "jupyter-data"))
        mp.setenv("HUBML_MAX_RUNNING_JOBS", "2")    # the two algorithms train side by side
        for name, value in THREADS.items():
            mp.setenv(name, value)
        p = hubml.create_project("form")
        p.save_dataset("iris", iris_frame())
        with p.start_run("setup"):   # the MLflow store exists before two jobs use it
            pass
        yield p


def test_form_opens_on_the_dataset_with_a_spec_that_fits(project):
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    spec = form.spec()
    # the target guessed from the data (the text column), an algorithm that does its task
    assert (spec.dataset, spec.target, spec.task) == ("iris", "species", "multiclass")
    assert spec.task in next(a for a in hubml.frameworks.get(spec.framework).algorithms()
                             if a.id == spec.algorithm).tasks
    assert spec.run_name == f"iris-{spec.algorithm.split('.')[1].replace('_', '-')}"
    assert set(form.data.features.options) == {"sepal_length", "sepal_width", "petal_length",
                                               "petal_width"}
    # hyperparameter fields follow the algorithm's schema; basic ones in column 2
    form.set(framework="sklearn", algorithm="sklearn.hist_gradient_boosting")
    assert {"max_iter", "learning_rate", "max_depth"} <= set(form.params)
    assert form.params["random_state"] in form.basic_box.children
    assert form.params["max_iter"] in form.hyper_box.children
    assert form.spec().params["max_iter"] == 100


@pytest.mark.parametrize("case", ["sklearn"])
def test_two_sklearn_algorithms_trained_through_the_form(project, case):
    forms = {}
    for algorithm, params in (("sklearn.random_forest", {"n_estimators": 20}),
                              ("sklearn.logistic_regression", {"C": 2.0, "max_iter": 300})):
        form = hubml.widgets.TrainingForm(project, dataset="iris")
        form.set(framework="sklearn", algorithm=algorithm, target="species", task="multiclass",
                 validation=0.2, test=0.2, random_state=3, params=params,
                 custom_params={"ticket": "ML-7"})
        form.train()
        forms[algorithm] = form
    df = project.dataset("iris").load()
    train, _, test = split(df, "multiclass", "species", 0.2, 0.2, 3)
    features = [c for c in df.columns if c != "species"]
    for algorithm, form in forms.items():
        job = form.wait(TIMEOUT)
        assert job.state == "succeeded", job.log()
        report = job.evaluation()
        # the same split refit by scikit-learn directly gives the same accuracy
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        own = (RandomForestClassifier(n_estimators=20, random_state=0)
               if algorithm.endswith("forest") else
               make_pipeline(StandardScaler(), LogisticRegression(C=2.0, max_iter=300)))
        own.fit(train[features], train["species"])
        expected = accuracy_score(test["species"], own.predict(test[features]))
        assert report["evaluated_on"] == "test" and report["n_samples"] == len(test) == 30
        assert report["metrics"]["accuracy"] == pytest.approx(expected, abs=1 / 30 + 1e-9)
        # and the registered model scores exactly what the report says on those rows
        model = job.model().load()
        assert accuracy_score(test["species"], model.predict(test[features])) == \
            pytest.approx(report["metrics"]["accuracy"])
        # the live view followed it to the end
        assert form.monitor.progress.bar_style == "success" and form.monitor.progress.value == 1
        traces = {tr.name: list(tr.y) for tr in form.monitor.chart.figure.data}
        assert traces and all(len(v) == len(job.metrics()[k]) for k, v in traces.items())
        assert "succeeded" in form.monitor.caption.value
        # the result page: metric table and the multiclass charts
        titles = [title for title, _ in form.results.figures]
        assert titles[:3] == ["Confusion matrix", "ROC curve", "Precision-recall curve"]
        assert f"{report['metrics']['accuracy']:.4g}" in form.results.table.value
        cm = form.results.figures[0][1].data[0]
        assert np.asarray(cm.z).sum() == 30
        assert job.spec.custom_params == {"ticket": "ML-7"}
        assert form.buttons["train"].disabled is False and form.buttons["cancel"].disabled


def test_register_sets_alias_name_and_exports(project):
    job = next(j for j in project.jobs() if j.state == "succeeded"
               and j.spec.algorithm == "sklearn.random_forest")
    form = hubml.widgets.TrainingForm(project)
    form.results.show(job)
    version = form.register(alias="production", formats=["joblib"])
    assert (version.name, version.version) == (job.model().name, job.model().version)
    assert project.model(version.name).aliases() == {"production": version.version}
    assert "production" in form.results.registered.value
    assert "joblib" in form.results.registered.value
    # another name: the same logged model, registered under it as well
    renamed = form.register(name="iris-chosen", alias="staging", formats=[])
    assert renamed.name == "iris-chosen" and project.model("iris-chosen").aliases() == {
        "staging": renamed.version}
    df = project.dataset("iris").load()
    X = df.drop(columns=["species"])
    assert list(renamed.load().predict(X)) == list(job.model().load().predict(X))
    assert renamed.to_json()["lineage"]["datasets"] == [{"dataset": "iris", "version": 1}]
    assert "iris-chosen" in form.results.registered.value


def test_saved_spec_loads_back_unchanged(project):
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.svm", target="species", task="multiclass",
             validation=0.15, test=0.25, random_state=None, model_name="iris-svm-x",
             run_name="my svm", params={"C": 3.5, "kernel": "linear", "gamma": "auto"},
             custom_params={"owner": "ana", "weights": [1, 2], "note": "123"})
    form.set(features=["petal_length", "petal_width"])
    saved = form.spec()
    path = form.save_spec("svm-try")
    assert path == project.path / "specs" / "svm-try.json"
    assert json.loads(path.read_text()) == saved.to_json()
    assert "data:application/json;base64," in form.message.value
    again = hubml.widgets.TrainingForm(project)
    assert "svm-try" in again.spec_name.options
    again.load_spec("svm-try")
    assert again.spec() == saved
    assert again.spec().custom_params["note"] == "123"    # text that looks like a number
    # the same spec given as a TrainingSpec and as JSON
    third = hubml.widgets.TrainingForm(project, spec=saved.to_json())
    assert third.spec() == saved
    # the script view of the same spec
    script = form.export_script()
    assert script == saved.to_script(project) and '"iris-svm-x"' in script
    assert form.output.children[1].value == script


def test_invalid_values_are_marked_at_their_fields_and_start_nothing(project):
    before = len(project.jobs())
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.random_forest", target="species")
    form.params["n_estimators"].input.value = "0"          # below the schema's minimum
    form.params["max_depth"].input.value = "deep"          # not a number
    form.split_seed.value = "-4.5"                         # not a whole number
    with pytest.raises(InvalidInput):
        form.train()
    errors = form.errors()
    assert set(errors) == {"params.n_estimators", "params.max_depth", "random_state"}
    assert "minimum 1" in errors["params.n_estimators"]
    assert "'deep' is not a number" in errors["params.max_depth"]
    assert form.fields["params.n_estimators"].error.layout.display is None
    assert "hubml-tf-invalid" in form.fields["params.n_estimators"]._dom_classes
    assert "3 marked field" in form.message.value
    # fixed values clear the marks; the next problem is one only the project can tell
    form.params["n_estimators"].input.value = "5"
    form.params["max_depth"].input.value = ""
    form.split_seed.value = "1"
    form.set(task="regression")          # regression on a text target
    with pytest.raises(InvalidInput) as info:
        form.train()
    assert info.value.details["field"] == "target"
    assert set(form.errors()) == {"target"} and "numeric target" in form.errors()["target"]
    # a missing target, an unknown algorithm, a wrong-type value through set()
    form.set(task="multiclass", target=None)
    with pytest.raises(InvalidInput):
        form.train()
    assert "needs a target" in form.errors()["target"]
    with pytest.raises(InvalidInput) as info:
        form.set(algorithm="sklearn.nope")
    assert info.value.details["field"] == "algorithm" and "sklearn.random_forest" in \
        form.errors()["algorithm"]
    # an empty dataset
    project.save_dataset("empty", iris_frame().iloc[:0])
    form.set(dataset="empty", target="species", task="multiclass")
    with pytest.raises(InvalidInput):
        form.train()
    assert "too few for training" in form.errors()["dataset"]
    # the Train button does the same, with no exception escaping into the notebook
    form.buttons["train"].click()
    assert "too few for training" in form.errors()["dataset"]
    assert len(project.jobs()) == before


def test_a_search_range_outside_the_schema_is_marked(project):
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.random_forest", target="species")
    field = form.params["n_estimators"]
    field.toggle.value = True
    assert form.tuning.layout.display is None     # the tuning settings appear
    field.low.value, field.high.value = "0", "50"
    with pytest.raises(InvalidInput):
        form.train()
    assert "below the minimum 1" in form.errors()["params.n_estimators"]
    field.low.value = "60"
    with pytest.raises(InvalidInput):
        form.train()
    assert "must be below high" in form.errors()["params.n_estimators"]


def test_tuning_from_the_search_toggles(project):
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.hist_gradient_boosting", target="species",
             task="multiclass", params={"max_iter": 10})
    form.params["learning_rate"].toggle.value = True
    form.params["learning_rate"].low.value = "0.01"
    form.params["learning_rate"].high.value = "0.5"
    form.params["learning_rate"].log_scale.value = True
    form.params["max_depth"].toggle.value = True
    form.params["max_depth"].low.value, form.params["max_depth"].high.value = "2", "4"
    form.tuning.n_trials.value = "4"
    form.tuning.sampler.value = "random"
    form.tuning.metric.value = "log_loss"
    assert form.tuning.direction.value == "minimize"     # follows the metric
    spec = form.spec()
    assert spec.tuning["search_space"] == {
        "learning_rate": {"type": "float", "low": 0.01, "high": 0.5, "log": True},
        "max_depth": {"type": "int", "low": 2, "high": 4, "log": False}}
    assert (spec.tuning["n_trials"], spec.tuning["sampler"]) == (4, "random")
    # the spec with its search loads back into a new form unchanged
    again = hubml.widgets.TrainingForm(project, spec=spec)
    assert again.spec() == spec and again.params["max_depth"].toggle.value
    job = form.train()
    form.wait(TIMEOUT)
    assert job.state == "succeeded", job.log()
    trials = job.trials()
    assert len(trials) == 4
    # the live trials table and parallel-coordinates chart show every trial
    assert form.monitor.trials_box.layout.display is None
    assert form.monitor.trials_table.value.count("<tr>") == 1 + 4
    dims = {d["label"] for d in form.monitor.parallel.figure.data[0].dimensions}
    assert {"learning_rate", "max_depth", "value"} <= dims
    best = min(t["value"] for t in trials if t["value"] is not None)
    assert f"{best:.4g}" in form.monitor.trials_table.value


def test_basic_parameters_data_parts_and_script(project):
    holdout = iris_frame().sample(24, random_state=5).reset_index(drop=True)
    project.save_dataset("iris-holdout", holdout)
    split = iris_frame()
    split["__split__"] = ["train", "train", "validation", "test", "train"] * 30
    project.save_dataset("iris-split", split)
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.logistic_regression", target="species",
             task="multiclass", datasets={"test": "iris-holdout@1"},
             basic={"class_weight": "balanced"}, params={"max_iter": 300})
    assert form.params["class_weight"] in form.basic_box.children     # column 2, by role
    spec = form.spec()
    assert spec.basic == {"class_weight": "balanced"} and "class_weight" not in spec.params
    assert spec.datasets == {"test": "iris-holdout@1"} and spec.split_column is None
    assert hubml.widgets.TrainingForm(project, spec=spec.to_json()).spec() == spec
    job = form.train()
    form.wait(TIMEOUT)
    assert job.state == "succeeded", job.log()
    assert job.evaluation()["n_samples"] == 24          # scored on the separate test set
    # a split column instead of shares; it is neither a feature nor the target
    form.set(dataset="iris-split", datasets=None, split_column="__split__", target="species")
    spec = form.spec()
    assert spec.split_column == "__split__" and "__split__" not in form.data.features.options
    assert hubml.widgets.TrainingForm(project, spec=spec).spec() == spec
    # a script that is not there: marked at its field, no job
    before = len(project.jobs())
    form.set(script="scripts/missing.py")
    with pytest.raises(InvalidInput):
        form.train()
    assert "script" in form.errors() and len(project.jobs()) == before


def test_clustering_result_page(project):
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.kmeans", target=None, task="clustering",
             params={"n_clusters": 3}, features=["petal_length", "petal_width"])
    job = form.train()
    form.wait(TIMEOUT)
    assert job.state == "succeeded", job.log()
    figures = dict(form.results.figures)
    sizes = figures["Cluster sizes"].data[0]
    assert sum(sizes.y) == job.evaluation()["n_samples"]
    projection = figures["2-D projection (PCA)"]
    assert len(projection.data) == 3                          # one colour per cluster
    assert sum(len(tr.x) for tr in projection.data) == 150    # every row of the version
    assert "silhouette" in form.results.table.value


def test_cancel_from_the_form(project):
    form = hubml.widgets.TrainingForm(project, dataset="iris")
    form.set(framework="sklearn", algorithm="sklearn.random_forest", target="species",
             params={"n_estimators": 5000})
    job = form.train()
    assert form.buttons["train"].disabled and not form.buttons["cancel"].disabled
    form.buttons["cancel"].click()      # the button calls form.cancel()
    assert job.state == "cancelled"
    form.monitor.wait(30)
    assert form.monitor.progress.bar_style == "warning"
    assert "cancelled" in form.monitor.caption.value
    assert not form.buttons["train"].disabled and form.buttons["cancel"].disabled
    assert form.results.layout.display == "none" and job.model() is None
