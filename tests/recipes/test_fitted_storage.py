"""A dataset version and a model version keep the fitted recipe they were made with, and give it
back as a fitted Recipe that transforms raw rows as the training rows were."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from hubml.recipes import Recipe
from tests.recipes.cases import make_frame, make_new_frame

STEPS = [
    {"step": "impute", "columns": ["age", "score"], "strategy": "mean"},
    {"step": "standardize", "columns": ["age"]},
    {"step": "one_hot", "columns": ["city"]},
    {"step": "bin", "column": "score", "bins": 3, "new_column": "band"},
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import hubml

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUBML_PROJECT_ROOTS", str(tmp_path_factory.mktemp("projects")))
        yield hubml.create_project("fitted")


def test_dataset_version_keeps_the_fitted_recipe(project):
    fitted = Recipe(STEPS).fit(make_frame())
    version = project.save_dataset("clean", fitted.transform(make_frame()), recipe=fitted)
    stored = json.loads((version.path / "meta.json").read_text())["recipe"]
    assert stored == fitted.to_json() and all("learned" in step for step in stored)
    again = project.dataset("clean").version(1).recipe
    assert again == fitted and again.is_fitted
    pd.testing.assert_frame_equal(again.transform(make_new_frame()), fitted.transform(make_new_frame()))
    plain = project.save_dataset("raw", make_frame())
    assert plain.recipe is None and project.dataset("raw").version(1).recipe is None
    unfitted = project.save_dataset("other", make_frame(), recipe=Recipe(STEPS))
    assert project.dataset("other").version(unfitted.version).recipe == Recipe(STEPS)


def _train(fitted):
    train = fitted.transform(make_frame())
    X = train[["age", "score", "city_Lyon", "city_Nice", "city_Paris"]]
    return LinearRegression().fit(X, np.arange(len(X), dtype="float64")), X


def test_model_version_keeps_the_fitted_recipe_as_artifact_and_tag(project):
    fitted = Recipe(STEPS).fit(make_frame())
    model, X = _train(fitted)
    mv = project.register_model("price", model, framework="sklearn", X_example=X, recipe=fitted)
    again = project.model("price").version(mv.version)
    assert again.recipe == fitted and again.recipe.is_fitted
    assert again.lineage()["recipe"] == fitted.to_json()
    raw = make_new_frame()
    rows = Recipe.from_json(again.recipe_json()).transform(raw)[list(X.columns)]
    pd.testing.assert_frame_equal(rows, fitted.transform(raw)[list(X.columns)])
    assert np.allclose(again.load().predict(rows), model.predict(rows))
    # the artifact is there too, next to the MLmodel file
    import mlflow

    from hubml.workspace.runs import tracking

    with tracking(project, create=False):
        path = mlflow.artifacts.download_artifacts(artifact_uri=f"{again.uri}/recipe.json",
                                                   dst_path=str(project.path / ".." / "dl"))
    assert json.loads(open(path).read()) == fitted.to_json()


def test_a_recipe_too_long_for_a_tag_is_read_from_the_artifact(project):
    wide = pd.DataFrame(np.random.default_rng(0).normal(size=(20, 300)),
                        columns=[f"feature_{i:03d}" for i in range(300)])
    fitted = Recipe([{"step": "standardize", "columns": list(wide.columns)}]).fit(wide)
    assert len(json.dumps(fitted.to_json())) > 8000
    model = LinearRegression().fit(fitted.transform(wide), np.arange(20.0))
    mv = project.register_model("wide", model, framework="sklearn", X_example=wide, recipe=fitted)
    again = project.model("wide").version(mv.version)
    assert json.loads(again.info.tags["hubml.recipe"]) == {"$artifact": "recipe.json"}
    assert again.recipe == fitted and again.lineage()["recipe"] == fitted.to_json()
