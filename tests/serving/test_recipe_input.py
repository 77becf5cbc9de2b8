"""Raw input through the model's fitted recipe: the numpy form equals ``Recipe.transform``,
and a served model with a recipe takes the raw columns and predicts what the SDK predicts on
the transformed frame."""

import numpy as np
import pandas as pd
import pytest

from hubml.recipes import Recipe
from hubml.serving.recipe_fast import compile_recipe, required_columns
from tests.serving.support import ServeProcess

STEPS = [
    {"step": "impute", "columns": ["age", "income"], "strategy": "median"},
    {"step": "impute", "columns": ["city"], "strategy": "most_frequent"},
    {"step": "log_transform", "columns": ["income"], "offset": 1},
    {"step": "standardize", "columns": ["age"]},
    {"step": "min_max_scale", "columns": ["visits"]},
    {"step": "bin", "column": "visits", "bins": 4, "labels": ["a", "b", "c", "d"],
     "new_column": "visits_bin"},
    {"step": "ordinal_encode", "column": "visits_bin"},
    {"step": "one_hot", "columns": ["city"]},
    {"step": "ordinal_encode", "column": "plan", "categories": ["free", "pro", "team"]},
    {"step": "drop_columns", "columns": ["note"]},
]


def raw_frame(n, seed) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n).astype(float),
        "income": rng.lognormal(10, 1, n),
        "visits": rng.poisson(5, n).astype(float),
        "city": rng.choice(["paris", "oslo", "rome"], n).astype(object),
        "plan": rng.choice(["free", "pro", "team"], n).astype(object),
        "note": ["x"] * n,
    })
    frame.loc[::7, "age"] = np.nan
    frame.loc[::11, "city"] = None
    return frame


@pytest.fixture(scope="module")
def fitted():
    return Recipe(STEPS).fit(raw_frame(300, 0))


def _features(fitted):
    return [c for c in fitted.transform(raw_frame(5, 1)).columns]


def _cols(frame):
    out = {}
    for c in frame.columns:
        values = frame[c].tolist()
        numeric = all(v is None or isinstance(v, float) for v in values)
        out[c] = np.array([np.nan if v is None else v for v in values],
                          dtype=np.float64 if numeric else object)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_numpy_form_equals_transform(fitted, seed):
    features = _features(fitted)
    fast = compile_recipe(fitted, features)
    assert fast is not None
    new = raw_frame(40, 100 + seed)
    new.loc[3, "city"] = "lima"          # not seen at fit: zeros in every one-hot column
    new.loc[4, "plan"] = "gold"          # not a category: missing
    new.loc[5, "visits"] = 1000.0        # outside the bins: missing
    want = fitted.transform(new)[features].to_numpy(dtype=np.float64, na_value=np.nan)
    got = fast.transform(_cols(new))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("seed", range(3))
def test_row_form_equals_transform(fitted, seed):
    from hubml.serving.recipe_row import compile_rows

    features = _features(fitted)
    rows = compile_rows(fitted, features)
    assert rows is not None
    new = raw_frame(30, 200 + seed)
    new.loc[3, "city"] = "lima"
    new.loc[4, "plan"] = "gold"
    new.loc[5, "visits"] = 1000.0
    new.loc[6, "visits"] = -5.0
    new.loc[7, "income"] = np.nan
    want = fitted.transform(new)[features].to_numpy(dtype=np.float64, na_value=np.nan)
    records = new.to_dict(orient="records")
    got = np.array([rows.transform_row({k: (None if isinstance(v, float) and v != v and
                                            k == "city" else v) for k, v in r.items()})
                    for r in records], dtype=np.float64)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0, equal_nan=True)


def test_required_columns(fitted):
    need = required_columns(fitted, _features(fitted))
    assert set(need) == {"age", "income", "visits", "city", "plan", "note"}


def test_unsupported_step_falls_back(fitted):
    derive = fitted + Recipe([{"step": "derive", "new_column": "r",
                               "expression": "age * 2"}]).fit(fitted.transform(raw_frame(9, 2)))
    assert compile_recipe(derive, ["r"]) is None


@pytest.fixture(scope="module")
def recipe_root(tmp_path_factory, fitted):
    """Project "raw": a model trained on the recipe's output, registered with the recipe."""
    import os

    from sklearn.ensemble import HistGradientBoostingRegressor

    import hubml

    root = tmp_path_factory.mktemp("recipe-root")
    old = os.environ.get("HUBML_PROJECT_ROOTS")
    os.environ["HUBML_PROJECT_ROOTS"] = str(root)
    try:
        p = hubml.create_project("raw")
        train = raw_frame(300, 0)
        raw = p.save_dataset("customers", train.assign(y=train.visits * 2.0))
        X = fitted.transform(train)
        model = HistGradientBoostingRegressor(max_iter=20).fit(X, train.visits * 2.0)
        p.register_model("spend", model, framework="sklearn", dataset=raw, X_example=X,
                         recipe=fitted)
    finally:
        if old is None:
            os.environ.pop("HUBML_PROJECT_ROOTS", None)
        else:
            os.environ["HUBML_PROJECT_ROOTS"] = old
    return root


def test_served_model_takes_raw_columns(recipe_root, fitted, tmp_path, monkeypatch):
    import hubml

    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(recipe_root))
    mv = hubml.project("raw").model("spend").version(1)
    assert getattr(mv, "recipe", None) is not None, "ModelVersion.recipe is not there yet"
    new = raw_frame(20, 7)
    new.loc[2, "city"] = "lima"
    want = hubml.project("raw").model("spend").load(version=1).predict(fitted.transform(new))
    records = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
               for r in new.to_dict(orient="records")]
    with ServeProcess(recipe_root, "spend:1", project="raw", log=tmp_path / "serve.log") as s:
        got = s.post("/invocations", json={"dataframe_records": records})
        assert got.status_code == 200, got.text
        np.testing.assert_allclose(got.json()["predictions"], want, rtol=1e-5)
        for i in (0, 2):   # one row: the recipe's row form
            one = s.post("/invocations", json={"dataframe_records": records[i:i + 1]})
            assert one.status_code == 200, one.text
            np.testing.assert_allclose(one.json()["predictions"], want[i:i + 1], rtol=1e-5)
        meta = s.client.get("/v2/models/spend").json()
        assert {i["name"] for i in meta["inputs"]} == {"age", "income", "visits", "city",
                                                       "plan", "note"}
        missing = s.post("/invocations", json={"dataframe_records": [{"age": 30}]})
        assert missing.status_code == 400 and "'income'" in missing.json()["error"]["message"]
