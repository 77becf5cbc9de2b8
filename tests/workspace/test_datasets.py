"""Datasets: exact round trip of every dtype users meet, versions, statistics, lineage."""

import json

import numpy as np
import pandas as pd
import pytest

from hubml.errors import InvalidInput, NotFound


def every_dtype(n=6):
    return pd.DataFrame({
        "int": np.arange(n, dtype="int64"),
        "nullable_int": pd.array([1, None, 3, 4, None, 6][:n], dtype="Int64"),
        "float": np.linspace(0, 1, n),
        "category": pd.Categorical(list("abcabc")[:n], categories=["c", "b", "a"], ordered=True),
        "tz_datetime": pd.date_range("2024-03-30 22:00", periods=n, freq="h", tz="Europe/Moscow"),
        "naive_datetime": pd.to_datetime(["2024-01-01", None, "2024-01-03", "2024-01-04",
                                          "2024-01-05", "2024-01-06"][:n]),
        "timedelta": pd.to_timedelta([1, 2, None, 4, 5, 6][:n], unit="s"),
        "bool": [True, False] * (n // 2),
        "nullable_bool": pd.array([True, None, False, True, None, False][:n], dtype="boolean"),
        "unicode": ["héllo", "мир", "数据", "🙂", "", None][:n],
    })


@pytest.mark.parametrize("store", ["file", "sql"])
def test_every_dtype_round_trips_exactly(project, store):
    df = every_dtype()
    version = project.save_dataset("customers", df, store=store)
    loaded = project.dataset("customers").load()
    pd.testing.assert_frame_equal(loaded, df)
    assert [c["dtype"] for c in version.schema()] == [str(t) for t in df.dtypes]


def test_versions_are_immutable_and_numbered(project):
    first = project.save_dataset("sales", pd.DataFrame({"x": [1, 2]}), description="jan")
    second = project.save_dataset("sales", pd.DataFrame({"x": [3, 4, 5]}))
    ds = project.dataset("sales")
    assert [v.version for v in ds.versions()] == [1, 2]
    assert ds.load().x.tolist() == [3, 4, 5]
    assert ds.load(version=1).x.tolist() == [1, 2]
    assert first.meta["description"] == "jan" and second.rows == 3
    assert first.verify() and second.verify()
    assert len(first.meta["sha256"]) == 64 and first.meta["sha256"] != second.meta["sha256"]


def test_meta_records_schema_statistics_source_recipe_parents(project):
    raw = project.save_dataset("raw", pd.DataFrame({"age": [20, 30, None], "city": ["a", "b", "a"]}))
    recipe = [{"step": "impute", "column": "age", "strategy": "median"}]
    clean = project.save_dataset("clean", pd.DataFrame({"age": [20.0, 30.0, 25.0]}),
                                 recipe=recipe, parents=[raw])
    meta = json.loads((clean.path / "meta.json").read_text())
    assert meta["recipe"] == recipe
    assert meta["parents"] == [{"dataset": "raw", "version": 1}]
    assert meta["source"] == {"type": "dataframe"} and meta["author"]
    stats = raw.statistics()
    assert stats["age"]["missing"] == 1 and stats["age"]["mean"] == 25.0
    assert stats["age"]["min"] == 20 and stats["age"]["max"] == 30
    assert stats["city"]["distinct"] == 2


def test_datasets_listing_skips_unfinished_versions(project):
    project.save_dataset("a", pd.DataFrame({"x": [1]}))
    (project.path / "datasets" / "b" / ".tmp-abc").mkdir(parents=True)  # a writer died here
    assert [d.name for d in project.datasets()] == ["a"]


@pytest.mark.parametrize("call, error, message", [
    (lambda p: p.dataset("nope").load(), NotFound, "no dataset named 'nope'"),
    (lambda p: p.dataset("sales").load(version=9), NotFound, "has no version 9; versions are 1"),
    (lambda p: p.dataset("sales").load(version="x"), InvalidInput, "version must be a whole number"),
    (lambda p: p.dataset("sales").load(version=0), InvalidInput, "version must be a whole number"),
    (lambda p: p.dataset("../sales"), InvalidInput, "dataset name '../sales' is not allowed"),
    (lambda p: p.dataset("/etc/passwd"), InvalidInput, "is not allowed"),
    (lambda p: p.save_dataset("ok", [1, 2]), InvalidInput, "needs a pandas DataFrame, not list"),
    (lambda p: p.save_dataset("ok", pd.DataFrame({"x": [1]}), store="s3"), InvalidInput,
     "store must be one of file, sql"),
    (lambda p: p.save_dataset("ok", pd.DataFrame([[1, 2]], columns=["a", "a"])), InvalidInput,
     "column names must be unique"),
    (lambda p: p.save_dataset("ok", pd.DataFrame({"x": [1, "a", 2.5]}, dtype=object)),
     InvalidInput, "single type"),
])
def test_bad_input_raises_and_changes_nothing(project, tree_hash, call, error, message):
    project.save_dataset("sales", pd.DataFrame({"x": [1]}))
    before = tree_hash(project.path)
    with pytest.raises(error, match=message):
        call(project)
    assert tree_hash(project.path) == before


def test_corrupt_parquet_says_what_to_do(project):
    version = project.save_dataset("sales", pd.DataFrame({"x": [1, 2]}))
    (version.path / "data.parquet").write_bytes(b"PAR1 garbage")
    assert not version.verify()
    with pytest.raises(InvalidInput, match="cannot be read .* save a new version"):
        project.dataset("sales").load()
