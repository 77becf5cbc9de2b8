"""The steps Data Wrangler, D-Tale and Mito users expect: fit on one frame, transform another
with the values learned from the first; read_csv as the start of a recipe; the split column."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from hubml.recipes import (
    STEPS,
    CountEncode,
    DateParts,
    Fill,
    FrequencyEncode,
    Outliers,
    PowerTransform,
    ReadCSV,
    Recipe,
    RecipeError,
    RobustScale,
    Split,
    TextCleanup,
)
from tests.recipes.cases import BAD


def run_code(recipe, df):
    namespace = {"df": df.copy()}
    exec(recipe.to_code(), namespace)  # noqa: S102 - the point of the test
    return namespace["df"]


def check(recipe, new):
    """transform(new) equals the exported code on new, and the JSON copy's transform."""
    out = recipe.transform(new)
    pd.testing.assert_frame_equal(run_code(recipe, new), out, check_exact=True)
    again = Recipe.from_json(json.dumps(recipe.to_json(), allow_nan=False))
    pd.testing.assert_frame_equal(again.transform(new), out, check_exact=True)
    return out


def test_robust_scale_uses_training_median_and_iqr():
    train = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 1000.0]})
    fitted = Recipe([RobustScale(["x"])]).fit(train)
    assert fitted.learned == [{"x": {"center": 3.0, "scale": 2.0}}]  # the outlier barely counts
    out = check(fitted, pd.DataFrame({"x": [3.0, 7.0, None]}))
    assert out["x"].tolist()[:2] == [0.0, 2.0] and np.isnan(out["x"][2])
    assert RobustScale(["x"]).fit(pd.DataFrame({"x": [5, 5, 5]})).learned["x"]["scale"] == 1.0


def test_power_transform_learns_lambda_like_scipy_and_sklearn():
    from sklearn.preprocessing import PowerTransformer

    rng = np.random.default_rng(0)
    train = pd.DataFrame({"x": rng.lognormal(size=200), "y": rng.normal(size=200) * 5 - 1})
    fitted = Recipe([PowerTransform(["x", "y"])]).fit(train)
    sk = PowerTransformer(method="yeo-johnson").fit(train[["x", "y"]])
    for i, column in enumerate(["x", "y"]):
        assert fitted.learned[0][column]["lambda"] == pytest.approx(stats.yeojohnson_normmax(train[column]))
        assert fitted.learned[0][column]["lambda"] == pytest.approx(sk.lambdas_[i], rel=1e-4)
    new = pd.DataFrame({"x": [0.5, 3.0, None], "y": [-4.0, 2.0, 0.0]})
    out = check(fitted, new)
    assert np.allclose(out[["x", "y"]].to_numpy()[:2], sk.transform(new[["x", "y"]].to_numpy()[:2]), atol=1e-6)
    plain = PowerTransform(["x"], standardize=False).fit(train)
    assert set(plain.learned["x"]) == {"lambda"}
    constant = PowerTransform(["x"]).fit(pd.DataFrame({"x": [2.0, 2.0]}))
    assert constant.learned["x"] == {"lambda": 1.0, "mean": 2.0, "std": 1.0}  # identity, centered


@pytest.mark.parametrize("method", ["iqr", "zscore"])
def test_outliers_bounds_are_learned_then_clipped_or_dropped(method):
    train = pd.DataFrame({"x": [10.0, 11.0, 12.0, 13.0, 14.0, 100.0]})
    clip = Recipe([Outliers(["x"], method=method, factor=1.0)]).fit(train)
    low, high = clip.learned[0]["x"]["low"], clip.learned[0]["x"]["high"]
    if method == "iqr":
        q1, q3 = train["x"].quantile(0.25), train["x"].quantile(0.75)
        assert (low, high) == (q1 - (q3 - q1), q3 + (q3 - q1))
    else:
        assert (low, high) == (train["x"].mean() - train["x"].std(ddof=0), train["x"].mean() + train["x"].std(ddof=0))
    new = pd.DataFrame({"x": [-1000.0, 12.0, 1000.0, None], "k": [1, 2, 3, 4]})
    out = check(clip, new)
    assert out["x"].tolist()[:3] == [low, 12.0, high] and np.isnan(out["x"][3])
    drop = Recipe([Outliers(["x"], method=method, factor=1.0, action="drop")]).fit(train)
    assert check(drop, new)["k"].tolist() == [2, 4]  # missing values are kept


def test_count_and_frequency_encoding_reuse_the_training_counts():
    train = pd.DataFrame({"c": ["a", "a", "b", None], "n": [1, 1, 1, 2]})
    new = pd.DataFrame({"c": ["b", "zzz", None, "a"], "n": [2, 3, 1, 1]})
    counts = Recipe([CountEncode(["c", "n"])]).fit(train)
    assert counts.learned[0]["c"] == {"values": ["a", "b"], "counts": [2, 1], "rows": 4}
    out = check(counts, new)
    assert out["c"].tolist() == [1, 0, pd.NA, 2] and str(out["c"].dtype) == "Int64"  # unseen -> 0
    assert out["n"].tolist() == [1, 0, 3, 3]
    freq = check(Recipe([FrequencyEncode(["c"])]).fit(train), new)
    assert freq["c"].tolist()[:2] == [0.25, 0.0] and freq["c"][3] == 0.5 and np.isnan(freq["c"][2])


def test_date_parts_from_datetimes_and_from_text():
    frame = pd.DataFrame({"t": pd.to_datetime(["2024-03-31 13:45:10", None]),
                          "s": ["31/12/2023", "garbage"]})
    out = check(Recipe([DateParts("t", parts=["year", "quarter", "month", "day", "weekday", "hour",
                                                 "minute", "second", "dayofyear", "week"])]).fit(frame), frame)
    assert out.loc[0, ["t_year", "t_quarter", "t_month", "t_day", "t_weekday", "t_hour", "t_minute",
                       "t_second", "t_dayofyear", "t_week"]].tolist() == [2024, 1, 3, 31, 6, 13, 45, 10, 91, 13]
    assert out["t_year"].isna().tolist() == [False, True] and str(out["t_year"].dtype) == "Int64"
    parsed = check(Recipe([DateParts("s", format="%d/%m/%Y", drop=True)]).fit(frame), frame)
    assert list(parsed.columns) == ["t", "s_year", "s_month", "s_day"]
    assert parsed["s_month"].tolist() == [12, pd.NA]


def test_text_cleanup_operations():
    frame = pd.DataFrame({"s": pd.array(["  Ann Lee ", "bob-7", None], dtype="str")})

    def one(**params):
        return check(Recipe([TextCleanup(["s"], **params)]).fit(frame), frame)["s"].tolist()

    assert one(operation="trim")[:2] == ["Ann Lee", "bob-7"]
    assert one(operation="lower")[:2] == ["  ann lee ", "bob-7"]
    assert one(operation="title")[1] == "Bob-7"
    assert one(operation="replace", pattern="-", replacement=" ")[1] == "bob 7"
    assert one(operation="replace", pattern=r"\d", replacement="#", regex=True)[1] == "bob-#"
    assert one(operation="replace", pattern=".", replacement="!")[1] == "bob-7"  # literal
    extracted = one(operation="extract", pattern=r"([a-z]+)-(\d)", group=2)
    assert extracted[1] == "7" and pd.isna(extracted[0]) and pd.isna(extracted[2])
    assert one(operation="extract", pattern=r"[A-Z]\w+", group=0)[0] == "Ann"


def test_fill_forward_backward_and_linear():
    frame = pd.DataFrame({"x": [1.0, None, None, 4.0, None], "c": ["a", None, "b", None, None]})
    out = check(Recipe([Fill(["x", "c"])]).fit(frame), frame)
    assert out["x"].tolist() == [1.0, 1.0, 1.0, 4.0, 4.0] and out["c"].tolist() == ["a", "a", "b", "b", "b"]
    limited = check(Recipe([Fill(["x"], method="bfill", limit=1)]).fit(frame), frame)["x"].tolist()
    assert [None if np.isnan(v) else v for v in limited] == [1.0, None, 4.0, 4.0, None]
    linear = check(Recipe([Fill(["x"], method="linear")]).fit(frame), frame)["x"].tolist()
    assert linear[:4] == [1.0, 2.0, 3.0, 4.0] and np.isnan(linear[4])  # only inside gaps


def test_split_random_stratified_and_time():
    frame = pd.DataFrame({"y": ["a"] * 60 + ["b"] * 40,
                          "t": pd.date_range("2024-01-01", periods=100, freq="D")})
    out = check(Recipe([Split(seed=1)]).fit(frame), frame)
    assert out["__split__"].value_counts().to_dict() == {"train": 70, "validation": 15, "test": 15}
    again = Recipe([Split(seed=1)]).fit(frame).transform(frame)
    assert out["__split__"].equals(again["__split__"])  # the seed makes it repeatable
    assert not out["__split__"].equals(Recipe([Split(seed=2)]).apply(frame)["__split__"])
    strat = check(Recipe([Split("stratified", "y", 0.5, 0.25, 0.25)]).fit(frame), frame)
    table = pd.crosstab(strat["y"], strat["__split__"])
    assert table.loc["a"].to_dict() == {"test": 15, "train": 30, "validation": 15}
    assert table.loc["b"].to_dict() == {"test": 10, "train": 20, "validation": 10}
    timed = Recipe([Split("time", "t", 0.8, 0.1, 0.1)]).fit(frame)
    cuts = timed.learned[0]
    assert cuts == {"train_end": {"$timestamp": frame["t"].quantile(0.8).isoformat()},
                    "validation_end": {"$timestamp": frame["t"].quantile(0.9).isoformat()}}
    later = pd.DataFrame({"y": ["a", "b", "a"], "t": pd.to_datetime(["2023-01-01", "2030-01-01", None])})
    split = check(timed, later)["__split__"].tolist()
    assert split[:2] == ["train", "test"] and pd.isna(split[2])  # new rows go by their time
    assert list(timed.transform(frame)["__split__"].iloc[[0, 85, 95]]) == ["train", "validation", "test"]


def test_read_csv_starts_a_recipe(tmp_path, monkeypatch):
    path = tmp_path / "raw.csv"
    path.write_bytes("id;price;day\n1;3,5;31.12.2024\n2;;01.02.2025\n".encode("cp1252"))
    recipe = Recipe([ReadCSV(str(path), delimiter=";", decimal=",", encoding="cp1252",
                             parse_dates=["day"], date_format="%d.%m.%Y"),
                     {"step": "impute", "columns": ["price"], "strategy": "mean"}])
    fitted = recipe.fit(pd.DataFrame())
    out = fitted.transform(pd.DataFrame())
    assert out["price"].tolist() == [3.5, 3.5] and str(out["day"].dtype).startswith("datetime64")
    assert out["day"].tolist() == [pd.Timestamp("2024-12-31"), pd.Timestamp("2025-02-01")]
    code = fitted.to_code()
    assert f"df = pd.read_csv({str(path)!r}, sep=';', encoding='cp1252', decimal=','" in code
    pd.testing.assert_frame_equal(run_code(fitted, pd.DataFrame()), out, check_exact=True)
    assert Recipe.from_json(fitted.to_json()) == fitted
    assert ReadCSV.schema()["required"] == ["path"]
    # applied to data that exists, it refuses instead of swapping in the file's rows
    with pytest.raises(RecipeError, match="read_csv starts a recipe and applies to an empty frame") as info:
        fitted.transform(pd.DataFrame({"price": [1.0]}))
    assert info.value.details["step"] == 1
    pd.testing.assert_frame_equal(fitted[1:].transform(pd.DataFrame({"price": [None, 1.0]})),
                                  pd.DataFrame({"price": [3.5, 1.0]}))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RecipeError, match="file 'missing.csv' not found") as info:
        Recipe([ReadCSV("missing.csv")]).fit(pd.DataFrame())
    assert info.value.details["field"] == "path"
    (tmp_path / "latin.csv").write_bytes("name\nJos\xe9\n".encode("latin-1"))
    with pytest.raises(RecipeError, match="is not utf-8 text") as info:
        Recipe([ReadCSV("latin.csv")]).fit(pd.DataFrame())
    assert info.value.details["field"] == "encoding"
    for params, field, fragment in BAD["read_csv"]:
        with pytest.raises(RecipeError, match=fragment) as info:
            ReadCSV(**params)
        assert info.value.details["field"] == field


@pytest.mark.parametrize("name", ["robust_scale", "power_transform", "outliers", "count_encode",
                                  "frequency_encode", "date_parts", "text_cleanup", "fill", "split", "read_csv"])
def test_new_steps_are_registered_with_schemas(name):
    import hubml.recipes as recipes

    cls = STEPS[name]
    assert cls.__name__ in recipes.__all__ and cls.schema()["title"] == name
    assert all(p.description for p in cls.params)
