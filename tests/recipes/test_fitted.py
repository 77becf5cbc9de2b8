"""Recipes that learn once: fit on one frame, transform another with the learned values; the
exported code of a fitted recipe equals transform on any frame; learned values survive JSON."""

import json

import numpy as np
import pandas as pd
import pytest

from hubml.recipes import (
    STEPS,
    Bin,
    Impute,
    MinMaxScale,
    OneHot,
    OrdinalEncode,
    Recipe,
    RecipeError,
    Standardize,
)
from tests.recipes.cases import CASES, FRAME_FREE, make_frame, make_new_frame

ALL_CASES = [(name, params) for name in sorted(set(STEPS) - FRAME_FREE) for params in CASES.get(name, [])]


def run_code(recipe, df, var="df"):
    namespace = {var: df.copy()}
    exec(recipe.to_code(var), namespace)  # noqa: S102 - the point of the test
    return namespace[var]


@pytest.mark.parametrize(("name", "params"), ALL_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_fitted_step_transforms_new_rows_like_its_exported_code(name, params):
    recipe = Recipe([{"step": name, **params}])
    train, new = make_frame(), make_new_frame()
    fitted = recipe.fit(train)

    assert fitted.is_fitted and fitted is not recipe
    assert recipe.is_fitted is not recipe[0].learns()  # a step that learns nothing transforms as it is
    assert recipe.to_json() == [{"step": name, **recipe[0].get_params()}]  # recipe unchanged
    out = fitted.transform(new)
    pd.testing.assert_frame_equal(new, make_new_frame())  # the input is unchanged
    pd.testing.assert_frame_equal(run_code(fitted, new), out, check_exact=True)
    pd.testing.assert_frame_equal(run_code(fitted, new, var="data"), out, check_exact=True)
    # fit-then-transform on the same frame is what apply always did
    pd.testing.assert_frame_equal(fitted.transform(train), recipe.apply(train), check_exact=True)
    pd.testing.assert_frame_equal(recipe.fit_transform(train), recipe.apply(train), check_exact=True)
    pd.testing.assert_frame_equal(fitted.apply(new), out)  # a fitted recipe never refits


@pytest.mark.parametrize(("name", "params"), ALL_CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_fitted_json_round_trip_keeps_learned_values(name, params):
    fitted = Recipe([{"step": name, **params}]).fit(make_frame())
    obj = fitted.to_json()
    text = json.dumps(obj, allow_nan=False)  # plain JSON, no NaN
    assert all("learned" in step for step in obj)
    again = Recipe.from_json(text)
    assert again == fitted and again.is_fitted and again.to_json() == obj
    assert again.learned == fitted.learned == [step["learned"] for step in obj]
    pd.testing.assert_frame_equal(again.transform(make_new_frame()), fitted.transform(make_new_frame()),
                                  check_exact=True)
    assert again.to_code() == fitted.to_code()
    assert again.unfitted() == Recipe([{"step": name, **params}])


def test_impute_fills_new_rows_with_the_training_values():
    train = pd.DataFrame({"x": [1.0, None, 3.0], "c": ["a", "b", "b"]})
    new = pd.DataFrame({"x": [None, 100.0, 300.0], "c": [None, "a", "a"]})
    fitted = Recipe([Impute(["x"], "mean"), Impute(["c"], "most_frequent")]).fit(train)
    assert fitted.learned == [{"values": {"x": 2.0}}, {"values": {"c": "b"}}]
    out = fitted.transform(new)
    assert out["x"].tolist() == [2.0, 100.0, 300.0]  # train's mean, not new's (200)
    assert out["c"].tolist() == ["b", "a", "a"]
    median = Impute(["x"], "median").fit(pd.DataFrame({"x": [1.0, 2.0, 10.0, None]}))
    assert median.learned == {"values": {"x": 2.0}}
    assert "fillna(2.0)" in median.to_code()


def test_scalers_use_the_training_statistics():
    train, new = pd.DataFrame({"x": [0.0, 10.0]}), pd.DataFrame({"x": [100.0, 300.0]})
    standard = Recipe([Standardize(["x"])]).fit(train)
    assert standard.learned == [{"x": {"center": 5.0, "scale": 5.0}}]
    assert standard.transform(new)["x"].tolist() == [19.0, 59.0]
    assert Recipe([Standardize(["x"])]).apply(new)["x"].tolist() == [-1, 1]  # apply refits
    scaled = MinMaxScale(["x"]).fit(train).transform(new)["x"]
    assert scaled.tolist() == [10.0, 30.0]  # outside [0, 1]: the training range is kept
    code = standard.to_code()
    assert "(df['x'] - 5.0) / 5.0" in code and ".mean()" not in code
    assert "learned" in code.splitlines()[1]
    assert ".mean()" in Recipe([Standardize(["x"])]).to_code()  # unfitted: computed in the code


def test_constant_and_all_missing_columns_under_scaling():
    constant = pd.DataFrame({"x": [3.0, 3.0, 3.0]})
    for step in (Standardize(["x"]), MinMaxScale(["x"])):
        fitted = step.fit(constant)
        assert fitted.learned["x"]["scale"] == 1.0  # documented: only centered, never inf
        assert fitted.transform(pd.DataFrame({"x": [3.0, 4.0]}))["x"].tolist() == [0.0, 1.0]
    empty = pd.DataFrame({"x": [None, None]}, dtype="float64")
    for step in (Standardize(["x"]), MinMaxScale(["x"]), Impute(["x"], "mean"),
                 Impute(["x"], "most_frequent"), Bin("x", 3)):
        with pytest.raises(RecipeError, match="column 'x' has no values to compute") as info:
            Recipe([step]).fit(empty)
        assert info.value.details["step"] == 1 and info.value.details["field"] in ("columns", "column")
    with pytest.raises(RecipeError, match="column 'x' has infinite values"):
        Standardize(["x"]).fit(pd.DataFrame({"x": [1.0, np.inf]}))
    # an all-missing column at transform time stays missing (nothing is invented)
    out = Standardize(["x"]).fit(pd.DataFrame({"x": [1.0, 3.0]})).transform(empty)
    assert out["x"].isna().all()


def test_text_in_numeric_steps_and_no_rows():
    frame = pd.DataFrame({"x": ["1", "2"]})
    for step in (Standardize(["x"]), Impute(["x"], "mean"), MinMaxScale(["x"])):
        with pytest.raises(RecipeError, match="column 'x' is .*, not numeric") as info:
            Recipe([step]).fit(frame)
        assert info.value.details["field"] == "columns"
    numeric = Standardize(["x"]).fit(pd.DataFrame({"x": [1.0, 2.0]}))
    with pytest.raises(RecipeError, match="not numeric"):
        numeric.transform(frame)  # text at transform time too
    with pytest.raises(RecipeError, match="step 1 \\(standardize\\): the data has no rows to learn from"):
        Recipe([Standardize(["x"])]).fit(pd.DataFrame({"x": pd.Series([], dtype="float64")}))
    # steps that learn nothing fit on no rows, and a fitted recipe transforms no rows
    assert Recipe([{"step": "drop_columns", "columns": ["x"]}]).fit(frame.iloc[:0]).is_fitted
    assert len(numeric.transform(pd.DataFrame({"x": pd.Series([], dtype="float64")}))) == 0


def test_unseen_categories_and_missing_columns_at_transform_time():
    train = pd.DataFrame({"city": ["Paris", "Lyon", "Paris"], "n": [1, 2, 3]})
    new = pd.DataFrame({"city": ["Rome", "Lyon", None], "n": [4, 5, 6]})
    one_hot = OneHot(["city"]).fit(train)
    assert one_hot.learned == {"categories": {"city": ["Lyon", "Paris"]}}
    out = one_hot.transform(new)
    assert list(out.columns) == ["n", "city_Lyon", "city_Paris"]
    assert out["city_Lyon"].tolist() == [0, 1, 0] and out["city_Paris"].tolist() == [0, 0, 0]
    strict = Recipe([OneHot(["city"], handle_unknown="error")]).fit(train)
    with pytest.raises(RecipeError, match="column 'city' has values not seen when the recipe was fitted: 'Rome'") as info:
        strict.transform(new)
    assert info.value.details == {"step": 1, "type": "one_hot", "field": "handle_unknown"}
    with pytest.raises(ValueError, match="not seen at fit"):
        run_code(strict, new)
    pd.testing.assert_frame_equal(run_code(strict, train), strict.transform(train))
    ordinal = OrdinalEncode("city").fit(train)
    assert ordinal.transform(new)["city"].tolist() == [pd.NA, 0, pd.NA]  # unseen -> <NA>
    binned = Bin("n", 2).fit(train).transform(new)
    assert binned["n"].isna().all()  # beyond the training edges -> <NA>
    fitted = Recipe([Impute(["n"], "mean")]).fit(train)
    with pytest.raises(RecipeError) as info:
        fitted.transform(new.drop(columns="n"))
    assert str(info.value).startswith("step 1 (impute), field 'columns': column 'n' not found")


def test_transform_refuses_an_unfitted_recipe_and_fit_does_not_change_it():
    recipe = Recipe([Impute(["x"], "mean"), Standardize(["x"])])
    with pytest.raises(RecipeError, match="this recipe is not fitted \\(step 1 \\(impute\\)"):
        recipe.transform(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(RecipeError, match="impute step: this step has not learned its values"):
        recipe[0].transform(pd.DataFrame({"x": [1.0]}))
    fitted = recipe.fit(pd.DataFrame({"x": [1.0, None, 3.0]}))
    assert recipe.learned == [None, None] and fitted.learned[0] == {"values": {"x": 2.0}}
    # standardize learned on the frame as impute left it: [1, 2, 3]
    assert fitted.learned[1]["x"]["center"] == 2.0
    refit = fitted.fit(pd.DataFrame({"x": [10.0, 20.0]}))
    assert refit.learned[0] == {"values": {"x": 15.0}} and fitted.learned[0] == {"values": {"x": 2.0}}
    mixed = fitted.append(MinMaxScale(["x"]))
    assert not mixed.is_fitted
    out = mixed.apply(pd.DataFrame({"x": [None, 5.0]}))  # the new step fits, the others keep theirs
    assert out["x"].tolist() == [0.0, 1.0]
    constant = Recipe([Impute(["x"], "constant", 0), {"step": "drop_columns", "columns": ["y"]}])
    assert constant.is_fitted and constant.learned == [{}, {}]  # e.g. stored before fitting existed
    assert constant.transform(pd.DataFrame({"x": [None, 2.0], "y": [1, 2]}))["x"].tolist() == [0.0, 2.0]
    assert Recipe([]).is_fitted and Recipe([]).fit(pd.DataFrame()).transform(pd.DataFrame({"a": [1]})).shape == (1, 1)
    assert repr(fitted).endswith("])  # fitted")


def test_learned_values_that_json_cannot_hold_are_tagged():
    train = pd.DataFrame({"when": pd.to_datetime(["2024-01-05", "2024-01-05", None]),
                          "x": [1.5, 1.5, 2.0]})
    fitted = Recipe([Impute(["when"], "most_frequent")]).fit(train)
    assert fitted.learned == [{"values": {"when": {"$timestamp": "2024-01-05T00:00:00"}}}]
    new = pd.DataFrame({"when": pd.to_datetime([None, "2020-01-01"]), "x": [0.0, 0.0]})
    out = fitted.transform(new)
    assert out["when"].tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2020-01-01")]
    pd.testing.assert_frame_equal(run_code(fitted, new), out)
    again = Recipe.from_json(json.dumps(fitted.to_json()))
    pd.testing.assert_frame_equal(again.transform(new), out)


@pytest.mark.parametrize("bad", [[{"step": "impute", "columns": ["x"], "strategy": "mean", "learned": 3}],
                                 [{"step": "impute", "columns": ["x"], "strategy": "mean", "learned": {"a": {1, 2}}}]])
def test_bad_stored_learned_values_are_refused(bad):
    with pytest.raises(RecipeError) as info:
        Recipe.from_json(bad)
    assert info.value.details == {"step": 1, "type": "impute", "field": "learned"}


def test_ten_thousand_columns():
    frame = pd.DataFrame(np.arange(30000, dtype="float64").reshape(3, 10000),
                         columns=[f"c{i}" for i in range(10000)])
    frame.iloc[0, ::2] = np.nan
    columns = list(frame.columns)
    fitted = Recipe([Impute(columns, "mean"), Standardize(columns)]).fit(frame)
    out = fitted.transform(frame)
    assert out.shape == (3, 10000) and not out.isna().any().any()
    assert len(fitted.learned[1]) == 10000
    assert Recipe.from_json(json.dumps(fitted.to_json())) == fitted


def test_learned_values_missing_a_column_are_reported_at_the_field():
    stored = [{"step": "impute", "columns": ["x", "y"], "strategy": "mean", "learned": {"values": {"x": 1.0}}}]
    with pytest.raises(RecipeError, match="step 1 \\(impute\\), field 'learned': the stored learned values "
                       "do not fit this step \\(no value for 'y'\\); fit the recipe again"):
        Recipe.from_json(stored).transform(pd.DataFrame({"x": [np.nan], "y": [np.nan]}))


def test_for_prediction_keeps_every_input_row():
    train = pd.DataFrame({"x": [1.0, None, 3.0, 100.0], "t": pd.date_range("2024-01-01", periods=4)})
    fitted = Recipe([
        {"step": "drop_missing"},
        {"step": "outliers", "columns": ["x"], "factor": 0.5, "action": "drop"},
        {"step": "outliers", "columns": ["x"], "factor": 3.0},
        {"step": "impute", "columns": ["x"], "strategy": "mean"},
        {"step": "split", "method": "time", "column": "t"},
        {"step": "sort", "columns": ["x"]},
    ]).fit(train)
    serving = fitted.for_prediction()
    assert [s.type for s in serving] == ["outliers", "impute"] and serving.is_fitted
    assert serving[0].learned == fitted[2].learned  # learned values kept
    raw = pd.DataFrame({"x": [None, 1000.0, 2.0], "t": pd.to_datetime([None, None, "2030-01-01"])})
    out = serving.transform(raw)
    assert list(out.index) == [0, 1, 2] and "__split__" not in out and out["x"].notna().all()
