"""Property: for random recipes fitted on a random frame, the exported code run on a NEW random
frame equals ``fitted.transform(new)``, dtypes included, and so does the JSON copy."""

import json

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hubml.recipes import Recipe, RecipeError

# each step works on columns of its own, so any subset in any order composes
STEP_POOL = [
    {"step": "impute", "columns": ["x1"], "strategy": "mean"},
    {"step": "standardize", "columns": ["x2"]},
    {"step": "min_max_scale", "columns": ["x3"]},
    {"step": "robust_scale", "columns": ["x4"]},
    {"step": "power_transform", "columns": ["x5"]},
    {"step": "outliers", "columns": ["x6"], "factor": 1.0},
    {"step": "outliers", "columns": ["x7"], "method": "zscore", "factor": 1.5, "action": "drop"},
    {"step": "impute", "columns": ["n1"], "strategy": "median"},
    {"step": "bin", "column": "n2", "bins": 3},
    {"step": "one_hot", "columns": ["k1"]},
    {"step": "ordinal_encode", "column": "k2"},
    {"step": "count_encode", "columns": ["k3"]},
    {"step": "frequency_encode", "columns": ["k4"]},
    {"step": "impute", "columns": ["k5"], "strategy": "most_frequent"},
    {"step": "date_parts", "column": "t", "parts": ["year", "month", "weekday"]},
    {"step": "split", "method": "time", "column": "t"},
    {"step": "text_cleanup", "columns": ["s"], "operation": "upper"},
    {"step": "fill", "columns": ["x8"], "method": "linear"},
    {"step": "filter_rows", "column": "x9", "op": ">", "value": -50},
    {"step": "sort", "columns": ["x9"]},
]
FLOATS = ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"]
INTS = ["n1", "n2"]
KEYS = ["k1", "k2", "k3", "k4", "k5"]


@st.composite
def frames(draw, letters="abcd"):
    n = draw(st.integers(min_value=1, max_value=12))
    number = st.one_of(st.none(), st.floats(min_value=-100, max_value=100, allow_nan=False))
    columns = {}
    for name in FLOATS:
        columns[name] = np.array([np.nan if v is None else v
                                  for v in draw(st.lists(number, min_size=n, max_size=n))], dtype="float64")
    for name in INTS:
        values = draw(st.lists(st.one_of(st.none(), st.integers(-20, 20)), min_size=n, max_size=n))
        columns[name] = pd.array(values, dtype="Int64")
    key = st.one_of(st.none(), st.sampled_from(list(letters)))
    for name in KEYS:
        columns[name] = pd.array(draw(st.lists(key, min_size=n, max_size=n)), dtype="str")
    days = draw(st.lists(st.one_of(st.none(), st.integers(0, 2000)), min_size=n, max_size=n))
    columns["t"] = pd.to_datetime([None if d is None else pd.Timestamp("2020-01-01") + pd.Timedelta(days=d)
                                   for d in days]).astype("datetime64[ns]")
    columns["s"] = pd.array(draw(st.lists(st.one_of(st.none(), st.text("abcXY -", max_size=5)),
                                          min_size=n, max_size=n)), dtype="str")
    return pd.DataFrame(columns)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(train=frames(), new=frames(letters="abcdef"),
       picks=st.lists(st.integers(0, len(STEP_POOL) - 1), min_size=1, max_size=6, unique=True))
def test_exported_code_of_a_fitted_recipe_equals_transform_on_a_new_frame(train, new, picks):
    recipe = Recipe([STEP_POOL[i] for i in picks])
    try:
        fitted = recipe.fit(train)
    except RecipeError as exc:  # nothing to learn from: all missing, or no rows left
        assert "no values to compute" in str(exc) or "no rows to learn" in str(exc), str(exc)
        assume(False)
    before = new.copy(deep=True)
    out = fitted.transform(new)
    pd.testing.assert_frame_equal(new, before)
    namespace = {"df": new.copy()}
    exec(fitted.to_code(), namespace)  # noqa: S102 - the point of the test
    pd.testing.assert_frame_equal(namespace["df"], out, check_exact=True)
    again = Recipe.from_json(json.dumps(fitted.to_json(), allow_nan=False))
    assert again == fitted
    pd.testing.assert_frame_equal(again.transform(new), out, check_exact=True)
