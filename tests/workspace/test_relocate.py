"""A project folder is relocatable: copied to another root or renamed, its datasets, runs and
models (an adapter's and the user's own) still load, and the copy writes only into itself."""

import shutil

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

import hubml


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("first-root")
    p = hubml.create_project("movable", root=root)
    X, y = load_iris(return_X_y=True, as_frame=True)
    X.columns = ["sl", "sw", "pl", "pw"]
    version = p.save_dataset("iris", X.assign(target=y))
    fw = hubml.frameworks.get("sklearn")
    forest = fw.fit("sklearn.random_forest", "multiclass", {"n_estimators": 5}, X, y)
    own = LogisticRegression(max_iter=500).fit(X, y)
    with p.start_run("train") as run:
        run.log_metric("accuracy", 0.93)
        p.register_model("forest", forest, framework="sklearn", run=run, dataset=version,
                         X_example=X)
        p.register_model("own", own, framework="sklearn", X_example=X)
    return {"root": root, "project": p, "X": X, "run": run.id,
            "expected": {"forest": fw.predict(forest, X), "own": own.predict(X)}}


def _check_everything_loads(p, made):
    X = made["X"]
    assert [m.name for m in p.models()] == ["forest", "own"]
    for name, expected in made["expected"].items():
        np.testing.assert_array_equal(p.model(name).load().predict(X), expected)
    assert p.dataset("iris").load().shape == (150, 5)
    run = p.model("forest").latest.lineage()["run_id"]
    assert run == made["run"]
    from hubml.workspace.runs import Run

    assert Run(p, run).metrics() == {"accuracy": 0.93}


def test_a_copy_in_another_root_loads_everything_and_writes_only_into_itself(
        made, tmp_path, tree_hash):
    original = made["project"]
    other_root = tmp_path / "other-root"
    shutil.copytree(original.path, other_root / "movable")
    before = tree_hash(original.path)
    copy = hubml.project("movable", root=other_root)
    _check_everything_loads(copy, made)
    copy.register_model("own", LogisticRegression(max_iter=50).fit(made["X"], [0, 1] * 75),
                        framework="sklearn", X_example=made["X"])
    with copy.start_run("in-the-copy") as run:
        run.log_metric("loss", 0.1)
    assert copy.model("own").latest.version == 2
    assert tree_hash(original.path) == before          # not one byte of the original changed
    assert original.model("own").latest.version == 1
    _check_everything_loads(original, made)
    assert not list(copy.path.rglob("*.db-journal"))


def test_a_renamed_project_keeps_its_runs_and_models(made, tmp_path):
    root = tmp_path / "rename-root"
    shutil.copytree(made["project"].path, root / "movable")
    p = hubml.project("movable", root=root)
    p.rename("moved")
    moved = hubml.project("moved", root=root)
    _check_everything_loads(moved, made)
    with moved.start_run("after-rename") as run:      # the same experiment, not a new one
        pass
    from hubml.workspace.runs import Run

    client = Run(moved, run.id).client
    new_run, old_run = client.get_run(run.id).info, client.get_run(made["run"]).info
    assert new_run.experiment_id == old_run.experiment_id
    inside = moved.path.resolve().as_uri()
    assert new_run.artifact_uri.startswith(inside) and old_run.artifact_uri.startswith(inside)
    assert client.get_model_version_download_uri("own", "1").startswith(inside)
