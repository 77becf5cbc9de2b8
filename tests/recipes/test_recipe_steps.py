"""What each step does to the data: concrete values, dtypes and rows."""

import numpy as np
import pandas as pd
import pytest

from hubml.recipes import (
    Bin,
    Cast,
    Deduplicate,
    Derive,
    DropColumns,
    DropMissing,
    FilterRows,
    Impute,
    LogTransform,
    MinMaxScale,
    OneHot,
    OrdinalEncode,
    Recipe,
    RecipeError,
    Rename,
    Sample,
    SelectColumns,
    Sort,
    Standardize,
)
from tests.recipes.cases import make_frame


@pytest.fixture
def frame():
    return make_frame()


def values(series):
    return [None if pd.isna(v) else v for v in series]


def test_select_drop_rename(frame):
    assert list(SelectColumns(["name", "age"]).apply(frame).columns) == ["name", "age"]
    assert "code" not in DropColumns(["code"]).apply(frame).columns
    out = Rename({"age": "years"}).apply(frame)
    assert list(out.columns)[:2] == ["years", "income"] and out["years"].equals(frame["age"])


def test_cast(frame):
    assert values(Cast("code", "float64", errors="coerce").apply(frame)["code"]) == [1, 2, None, 4, None, 6, 4]
    ints = Cast("code", "Int64", errors="coerce").apply(frame)["code"]
    assert str(ints.dtype) == "Int64" and values(ints) == [1, 2, None, 4, None, 6, 4]
    dates = Cast("when", "datetime64[ns]", errors="coerce").apply(frame)["when"]
    assert str(dates.dtype) == "datetime64[ns]"
    assert values(dates)[:3] == [pd.Timestamp("2024-01-05"), None, None]
    assert values(Cast("active", "int64").apply(frame)["active"]) == [1, 0, 1, 1, 0, 1, 1]
    assert str(Cast("age", "Int64").apply(frame)["age"].dtype) == "Int64"
    assert str(Cast("name", "category").apply(frame)["name"].dtype) == "category"
    assert str(Cast("city", "string").apply(frame)["city"].dtype) == "string"
    text = pd.DataFrame({"n": ["1", "two"]})
    with pytest.raises(RecipeError, match="field 'dtype': cannot convert column 'n' to int64 .*; pick a type that holds missing"):
        Cast("n", "int64", errors="coerce").apply(text)
    with pytest.raises(RecipeError, match="field 'dtype': cannot convert column 'n' to float64 .*; set errors to 'coerce'"):
        Cast("n", "float64").apply(text)
    day_first = pd.DataFrame({"d": ["31/01/2024", "01/02/2024"]})
    assert values(Cast("d", "datetime64[ns]", format="%d/%m/%Y").apply(day_first)["d"]) == [
        pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01")]


def test_drop_missing(frame):
    assert list(DropMissing().apply(frame).index) == [10, 13, 16]
    assert list(DropMissing(["age"]).apply(frame).index) == [10, 12, 13, 14, 16]
    assert len(DropMissing(["age", "income"], how="all").apply(frame)) == 7


def test_impute(frame):
    out = Impute(["age"], "mean").apply(frame)
    assert values(out["age"]) == [34, 37.2, 51, 28, 45, 37.2, 28]
    median = Impute(["income"], "median").apply(frame)["income"]
    assert median.dtype == "float64" and median[12] == 56
    out = Impute(["city", "name", "joined"], "most_frequent").apply(frame)
    assert out["city"][12] == "Paris" and out["name"][14] == "dee"
    assert out["joined"][11] == pd.Timestamp("2024-03-01")
    assert str(out["city"].dtype) == "category"
    assert values(Impute(["age"], "constant", 0).apply(frame)["age"])[1] == 0
    assert Impute(["name"], "constant", "unknown").apply(frame)["name"][14] == "unknown"


def test_filter_rows(frame):
    def rows(*args):
        return list(FilterRows(*args).apply(frame).index)

    assert rows("age", ">", 30) == [10, 12, 14]
    assert rows("income", "<=", 60) == [10, 13, 16]  # the missing income does not match
    assert rows("city", "==", "Paris") == [10, 13, 16]
    assert rows("city", "in", ["Nice", "Lyon"]) == [11, 14, 15]
    assert rows("name", "not in", ["ann", "dee"]) == [11, 12, 15]
    assert rows("age", "isnull") == [11, 15]
    assert rows("joined", ">=", "2024-01-01") == [10, 13, 15, 16]
    assert rows("active", "==", False) == [11, 14]
    # a missing value matches only isnull, whatever the dtype (NaN, <NA>, NaT, None)
    assert rows("age", "!=", 34) == [12, 13, 14, 16]
    assert rows("income", "!=", 50) == [11, 13, 14, 15, 16]
    assert rows("city", "not in", ["Paris"]) == [11, 14, 15]
    assert rows("name", "!=", "ann") == [11, 12, 13, 15, 16]


def test_one_hot(frame):
    out = OneHot(["city"]).apply(frame)
    assert list(out.columns)[-3:] == ["city_Lyon", "city_Nice", "city_Paris"]
    assert (out.dtypes[-3:] == "int64").all()
    assert out.loc[12, ["city_Lyon", "city_Nice", "city_Paris"]].tolist() == [0, 0, 0]
    assert out["city_Paris"].tolist() == [1, 0, 0, 1, 0, 0, 1]
    assert "city_Lyon" not in OneHot(["city"], drop_first=True).apply(frame).columns
    with pytest.raises(RecipeError, match="one_hot step, field 'columns': column 'id' has 1500 distinct values, which would make 1500 columns \\(limit 1000\\); use ordinal_encode or bin"):
        OneHot(["id"]).apply(pd.DataFrame({"id": range(1500)}))
    with pytest.raises(RecipeError, match="would make column 'city_Paris', which already exists"):
        OneHot(["city"]).apply(frame.assign(city_Paris=1))


def test_ordinal_encode(frame):
    city = OrdinalEncode("city").apply(frame)["city"]
    assert str(city.dtype) == "Int64" and values(city) == [2, 0, None, 2, 1, 0, 2]
    name = OrdinalEncode("name", categories=["fay", "ann", "bob"]).apply(frame)["name"]
    assert values(name) == [1, 2, None, None, None, 0, None]


def test_standardize_and_min_max_scale(frame):
    out = Standardize(["age", "income"]).apply(frame)
    for column in ("age", "income"):
        assert out[column].dtype == "float64"
        assert abs(out[column].mean()) < 1e-12 and abs(out[column].std(ddof=0) - 1) < 1e-12
    assert values(out["age"])[1] is None  # missing stays missing
    scaled = MinMaxScale(["age"]).apply(frame)["age"]
    assert scaled.min() == 0 and scaled.max() == 1 and scaled[13] == 0
    constant = pd.DataFrame({"x": [3, 3, 3]})
    assert Standardize(["x"]).apply(constant)["x"].tolist() == [0, 0, 0]
    assert MinMaxScale(["x"]).apply(constant)["x"].tolist() == [0, 0, 0]


def test_statistics_come_from_the_frame_being_processed():
    recipe = Recipe([Standardize(["x"])])
    train, new = pd.DataFrame({"x": [0.0, 10.0]}), pd.DataFrame({"x": [100.0, 300.0]})
    assert recipe.apply(train)["x"].tolist() == [-1, 1]
    assert recipe.apply(new)["x"].tolist() == [-1, 1]  # refitted on the new data, by design


def test_log_transform(frame):
    out = LogTransform(["age"]).apply(frame)
    assert out["age"][10] == pytest.approx(np.log(35))
    assert LogTransform(["score"], offset=0.5).apply(frame)["score"][15] == pytest.approx(np.log(0.5))


def test_bin(frame):
    out = Bin("age", [28, 40, 100], labels=["young", "old"]).apply(frame)
    assert values(out["age"]) == ["young", None, "old", "young", "old", None, "young"]  # 28 is in
    assert out["age"].cat.ordered
    banded = Bin("income", 2, new_column="band").apply(frame)
    assert list(banded["band"].cat.categories) == ["(40.952, 64.5]", "(64.5, 88]"]
    assert banded["income"].equals(frame["income"])


def test_derive(frame):
    out = Derive("total", "age * 2 + income").apply(frame)
    assert values(out["total"]) == [118, None, None, 97, 178, None, 97]
    assert Derive("is_bob", "name == 'bob'").apply(frame)["is_bob"].tolist() == [
        False, True, False, False, False, False, False]
    spaced = frame.rename(columns={"age": "age in years"})
    out = Derive("older", "`age in years` + 1").apply(spaced)
    assert out["older"][10] == 35


def test_sort_deduplicate_sample(frame):
    assert list(Sort(["age"]).apply(frame).index) == [13, 16, 10, 14, 12, 11, 15]  # stable, NaN last
    assert list(Sort(["city", "age"], ascending=[False, True]).apply(frame).index) == [13, 16, 10, 14, 11, 15, 12]
    assert list(Deduplicate().apply(frame).index) == [10, 11, 12, 13, 14, 15]
    assert list(Deduplicate(["name"], keep="last").apply(frame).index) == [10, 11, 12, 14, 15, 16]
    first, again = Sample(n=3).apply(frame), Sample(n=3).apply(frame)
    assert len(first) == 3 and first.equals(again) and set(first.index) <= set(frame.index)
    assert len(Sample(frac=0.5, random_state=7).apply(frame)) == 4
