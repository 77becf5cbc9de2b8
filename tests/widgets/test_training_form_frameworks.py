"""The training form with TensorFlow, PyTorch and H2O: two algorithms each, trained as jobs
through the form (driven without a kernel), their accuracy checked against the registered
model's own predictions on the same split, scored here with scikit-learn.

Tiny on purpose: iris, a few epochs or trees. All six jobs start at once (three run at a
time), so the runners train while this process loads each framework to check the models.
"""

from __future__ import annotations

import pytest
from sklearn.metrics import accuracy_score

import hubml
from hubml.training import split

from .test_training_form import THREADS, TIMEOUT, iris_frame

CASES = {
    "tensorflow": [("tensorflow.linear", {"epochs": 8, "batch_size": 16}),
                   ("tensorflow.dense", {"epochs": 8, "batch_size": 16})],
    "torch": [("torch.linear", {"epochs": 8, "batch_size": 16}),
              ("torch.dense", {"epochs": 8, "batch_size": 16})],
    "h2o": [("h2o.gbm", {"ntrees": 10, "max_depth": 3}),
            ("h2o.glm", {})],
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("form-frameworks") / "projects"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HUBML_PROJECT_ROOTS", str(folder))
        mp.setenv("JUPYTER_DATA_DIR", str(folder.parent / "jupyter-data"))
        mp.setenv("HUBML_MAX_RUNNING_JOBS", "3")
        mp.setenv("HUBML_H2O_ICE_ROOT", str(folder.parent / "h2o-ice"))
        (folder.parent / "h2o-ice").mkdir(parents=True)
        for name, value in {**THREADS, "TF_NUM_INTRAOP_THREADS": "1",
                            "TF_NUM_INTEROP_THREADS": "1"}.items():
            mp.setenv(name, value)
        p = hubml.create_project("form-frameworks")
        p.save_dataset("iris", iris_frame())
        with p.start_run("setup"):
            pass
        yield p


@pytest.fixture(scope="module")
def started(project):
    """{framework: [form, form]}, every job started through its form."""
    names = [f["name"] for f in hubml.frameworks.available()]
    out = {}
    for framework, cases in CASES.items():
        assert framework in names, f"{framework} is not installed here; install " \
                                   f"hubml[{framework}]"
        for algorithm, params in cases:
            form = hubml.widgets.TrainingForm(project, dataset="iris")
            form.set(framework=framework, algorithm=algorithm, target="species",
                     task="multiclass", validation=0.2, test=0.2, random_state=1,
                     params=params)
            assert form.spec().algorithm == algorithm
            form.train()
            out.setdefault(framework, []).append(form)
    return out


@pytest.mark.parametrize("framework", list(CASES))
def test_two_algorithms_per_framework(project, started, framework):
    forms = started[framework]
    df = project.dataset("iris").load()
    _, _, test = split(df, "multiclass", "species", 0.2, 0.2, 1)
    features = [c for c in df.columns if c != "species"]
    for form in forms:
        job = form.wait(TIMEOUT)
        assert job.state == "succeeded", job.log()
        report = job.evaluation()
        assert report["n_samples"] == len(test) == 30
        predicted = job.model().load().predict(test[features])
        own = accuracy_score(test["species"].to_numpy(), [str(v) for v in predicted])
        assert report["metrics"]["accuracy"] == pytest.approx(own)
        assert own > 0.5, f"{job.spec.algorithm} learned nothing: accuracy {own}"
        # live metrics were drawn per step, the result page has the multiclass charts
        assert form.monitor.chart.figure.data and form.monitor.progress.bar_style == "success"
        titles = [title for title, _ in form.results.figures]
        assert "Confusion matrix" in titles and "Learning curves" in titles
        assert form.results.formats.options, "no export formats offered"
