"""``hubml batch-predict``: a dataset version scored in chunks into a new dataset version,
equal to the model's in-process predict, with its lineage recorded."""

import subprocess
import sys

import numpy as np
import pytest

from tests.serving.conftest import FEATURES, training_frame


@pytest.fixture
def scoring(project):
    """A dataset to score with an id column and a missing value."""
    frame = training_frame(1000, seed=3)[FEATURES].assign(id=np.arange(1000) + 10_000)
    frame.loc[5, "x1"] = np.nan
    return project.save_dataset("to-score", frame, force=True)


def test_batch_predict_cli(project, scoring, serve_root):
    before = [v.version for v in project.dataset("scored").versions()] \
        if project.dataset("scored").exists() else []
    result = subprocess.run(
        [sys.executable, "-m", "hubml.cli", "batch-predict", "--project", "serve",
         "clf@production", "--dataset", f"to-score:{scoring.version}", "--output", "scored",
         "--keep", "id", "--batch-rows", "128"],
        env={"HUBML_PROJECT_ROOTS": str(serve_root), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "1000/1000" in result.stderr   # the progress bar reached the end
    out = project.dataset("scored").latest
    assert out.version not in before
    frame = out.load()
    assert list(frame.columns) == ["id", "prediction"]
    source = scoring.load()
    assert frame["id"].tolist() == source["id"].tolist()
    want = project.model("clf").load(alias="production").predict(source[FEATURES])
    assert frame["prediction"].tolist() == list(want)
    meta = out.meta
    assert meta["parents"] == [{"dataset": "to-score", "version": scoring.version}]
    assert meta["source"]["type"] == "batch_predict"
    assert (meta["source"]["model"], meta["source"]["model_version"]) == ("clf", 1)


def test_batch_predict_regression_in_process(project, scoring):
    """GradientBoostingRegressor takes no NaN: the chunk with it is named, nothing saved."""
    from hubml.errors import InvalidInput
    from hubml.serving import batch_predict
    from hubml.serving.registry import parse_spec

    with pytest.raises(InvalidInput, match="rows 0 to 299 of to-score"):
        batch_predict(project, parse_spec("reg:1"), "to-score", scoring.version, "never",
                      batch_rows=300, progress=False)
    assert not project.dataset("never").exists()
    clean = project.save_dataset("clean", scoring.load().fillna(0.0), force=True)
    out = batch_predict(project, parse_spec("reg:1"), "clean", clean.version, "reg-scored",
                        batch_rows=300, progress=False)
    got = out.load()["prediction"].to_numpy()
    want = project.model("reg").load(version=1).predict(clean.load()[FEATURES])
    np.testing.assert_array_equal(got, want)
    assert out.meta["source"]["model_uri"] == "models:/reg/1"


def test_batch_predict_bad_input_changes_nothing(project, scoring):
    from hubml.errors import InvalidInput, NotFound
    from hubml.serving import batch_predict
    from hubml.serving.registry import parse_spec

    with pytest.raises(InvalidInput, match="'nope'"):
        batch_predict(project, parse_spec("reg:1"), "to-score", None, "never", keep=["nope"],
                      progress=False)
    with pytest.raises(NotFound):
        batch_predict(project, parse_spec("reg:1"), "no-such-data", None, "never",
                      progress=False)
    with pytest.raises(InvalidInput, match="'x0'"):
        _missing_columns(project)
    assert not project.dataset("never").exists()


def _missing_columns(project):
    from hubml.serving import batch_predict
    from hubml.serving.registry import parse_spec

    narrow = project.save_dataset("narrow", training_frame(10)[["x1", "x2"]], force=True)
    batch_predict(project, parse_spec("reg:1"), "narrow", narrow.version, "never",
                  progress=False)
