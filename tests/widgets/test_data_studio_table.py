"""The paged table's kernel side (FrameView) and the column statistics, against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hubml.widgets._frameview import FrameView
from hubml.widgets._stats import column_summary, correlation


def frame(rows: int = 30_000) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    out = pd.DataFrame({
        "few": rng.integers(0, 5, rows).astype("float64"),
        "many": rng.random(rows),
        "word": rng.choice(["b", "a", "c"], rows),
        "when": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
            rng.integers(0, 10**6, rows), unit="s"),
        "count": pd.array(rng.integers(0, 50, rows), dtype="Int64"),
    })
    out.loc[::9, "few"] = np.nan
    out.loc[::11, "count"] = pd.NA
    return out


@pytest.mark.parametrize("column", ["few", "many", "word", "when", "count"])
@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("page", [1, 7, 300, 1200])
def test_sorted_pages_equal_a_stable_pandas_sort(column, ascending, page):
    df = frame()
    view = FrameView(df, 25)
    view.sort(column, ascending)
    view.page(page)
    expected = df.sort_values(column, ascending=ascending, kind="stable", na_position="last")
    start = (page - 1) * 25
    assert view.page_frame().index.equals(expected.index[start:start + 25])


def test_filters_combine_with_the_sort_and_count_rows():
    df = frame()
    view = FrameView(df, 50)
    view.sort("many", ascending=False)
    view.add_filter("word", "==", "a")
    view.add_filter("few", ">=", "2")
    view.add_filter("when", "<", "2024-01-06")
    expected = df[(df.word == "a") & (df.few >= 2)
                  & (df.when < pd.Timestamp("2024-01-06", tz="UTC"))]
    assert view.rows == len(expected)
    view.page(view.pages)
    tail = expected.sort_values("many", ascending=False, kind="stable")
    assert view.page_frame().index.equals(tail.index[(view.pages - 1) * 50:])
    view.add_filter("count", "isnull")
    assert view.rows == (expected["count"].isna()).sum()


@pytest.mark.parametrize("column", ["few", "many", "word", "when", "count"])
def test_column_statistics_are_exact(column):
    s = frame()[column]
    summary = column_summary(s)
    assert summary["nulls"] == s.isna().sum()
    assert summary["distinct"] == s.nunique()
    if summary["kind"] == "number":
        v = s.dropna().astype("float64")
        assert summary["min"] == v.min() and summary["max"] == v.max()
        assert summary["mean"] == pytest.approx(v.mean())
        quantiles = v.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).tolist()
        assert list(summary["quantiles"].values()) == pytest.approx(quantiles)
        assert sum(summary["histogram"]["counts"]) == len(v)
    elif summary["kind"] == "datetime":
        assert summary["min"] == str(s.min()) and summary["max"] == str(s.max())
        assert summary["quantiles"]["0.5"] == str(s.quantile(0.5))
    else:
        assert summary["top"][0] == [s.value_counts().index[0], s.value_counts().iloc[0]]


def test_pairwise_pearson_equals_pandas_with_gaps_and_constants():
    rng = np.random.default_rng(2)
    df = pd.DataFrame(rng.normal(size=(2000, 4)), columns=list("abcd"))
    df["e"] = df["a"] * 3 + rng.normal(size=2000) * 0.1
    df["constant"] = 1.0
    df.loc[rng.random(2000) < 0.2, "a"] = np.nan
    df.loc[rng.random(2000) < 0.3, "e"] = np.nan
    result = correlation(df)
    ours = np.array(result["matrix"], dtype="float64")
    expected = df.corr().to_numpy()
    assert np.allclose(ours, expected, atol=1e-4, equal_nan=True)
    assert result["matrix"][5][0] is None  # a constant column has no correlation
