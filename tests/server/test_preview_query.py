"""Preview pages sorted and filtered on the server: order, totals, positions, row groups,
SQL versions, and a 400 naming what is wrong for a bad sort, op, column or value."""

import json

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.server.preview_query import clear_cache
from tests.server.helpers import error_of

V2 = "projects/sales/datasets/orders/versions/2/preview"


async def page(api, path, **params):
    params = {k: json.dumps(v) if k == "filter" else v for k, v in params.items()}
    code, body = await api("GET", path, params=params)
    assert code == 200, body
    return body


async def test_sort_ascending_and_descending(api, project):
    df = project.dataset("orders").load(version=2)
    body = await page(api, V2, sort="amount", limit=5)
    expected = df["amount"].sort_values(kind="stable", na_position="last")
    assert [r[1] for r in body["rows"]] == list(expected[:5])
    assert body["positions"] == list(expected.index[:5])
    assert body["total"] == 40
    down = await page(api, V2, sort="amount", order="desc", limit=40)
    amounts = [r[1] for r in down["rows"]]
    assert amounts[0] == df["amount"].max() and amounts[-1] is None  # missing value last
    assert [r[0] for r in down["rows"]] == [df["order_id"][i] for i in down["positions"]]


async def test_filter_counts_matching_rows(api, project):
    df = project.dataset("orders").load(version=2)
    body = await page(api, V2, filter=[{"column": "amount", "op": "gt", "value": 100},
                                       {"column": "region", "op": "eq", "value": "north"}])
    want = df[(df["amount"] > 100) & (df["region"] == "north")]
    assert body["total"] == len(want) > 0
    assert [r[0] for r in body["rows"]] == list(want["order_id"])
    nulls = await page(api, V2, filter=[{"column": "note", "op": "isnull"}])
    assert nulls["total"] == int(df["note"].isna().sum())
    text = await page(api, V2, filter=[{"column": "note", "op": "contains", "value": "N1"}])
    assert text["total"] == int(df["note"].str.contains("n1", na=False).sum())
    when = await page(api, V2, filter=[{"column": "when", "op": "ge",
                                        "value": "2026-01-02T00:00:00"}], sort="amount")
    assert when["total"] == int((df["when"] >= pd.Timestamp("2026-01-02", tz="UTC")).sum())
    none = await page(api, V2, filter=[{"column": "amount", "op": "lt", "value": -1e9}])
    assert none["total"] == 0 and none["rows"] == []


async def test_sorted_pages_span_row_groups(api, roots):
    import pyarrow.parquet as pq

    clear_cache()
    p = hubml.create_project("big")
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"i": np.arange(5000), "r": rng.permutation(5000)})
    v = p.save_dataset("numbers", df)
    table = pq.read_table(v.path / "data.parquet")
    pq.write_table(table, v.path / "data.parquet", row_group_size=700)
    path = "projects/big/datasets/numbers/versions/1/preview"
    body = await page(api, path, sort="r", offset=1234, limit=1000)
    assert [r[1] for r in body["rows"]] == list(range(1234, 2234))
    assert [r[0] for r in body["rows"]] == list(np.argsort(df["r"].to_numpy())[1234:2234])
    last = await page(api, path, sort="r", order="desc", offset=4990, limit=100)
    assert [r[1] for r in last["rows"]] == list(range(9, -1, -1))
    # a bigger version: a sorted page comes from the decoded version, kept between pages
    big = pd.DataFrame({"i": np.arange(30_000), "r": rng.permutation(30_000)})
    p.save_dataset("bigger", big)
    path = "projects/big/datasets/bigger/versions/1/preview"
    for offset in (0, 17_000, 29_950):
        body = await page(api, path, sort="r", offset=offset, limit=100)
        assert [r[1] for r in body["rows"]] == list(range(offset, min(offset + 100, 30_000)))
        assert [r[0] for r in body["rows"]] == body["positions"]
    body = await page(api, path, filter=[{"column": "r", "op": "lt", "value": 50}])
    assert body["total"] == 50 and all(r[1] < 50 for r in body["rows"])


async def test_sql_version_sorts_and_filters_in_sql(api, roots):
    p = hubml.create_project("db")
    df = pd.DataFrame({"a": [4, 2, 3, 1], "b": ["w", "x", None, "Wz"]})
    p.save_dataset("t", df, store="sql")
    path = "projects/db/datasets/t/versions/1/preview"
    body = await page(api, path, sort="a", order="desc", limit=2)
    assert body["rows"] == [[4, "w"], [3, None]] and body["total"] == 4
    body = await page(api, path, filter=[{"column": "b", "op": "contains", "value": "w"}],
                      sort="a")
    assert body["rows"] == [[1, "Wz"], [4, "w"]] and body["total"] == 2
    body = await page(api, path, filter=[{"column": "b", "op": "notnull"}], sort="b")
    assert [r[1] for r in body["rows"]] == ["Wz", "w", "x"]


@pytest.mark.parametrize("params, field, says", [
    ({"sort": "nope"}, "sort", "nope"),
    ({"sort": "amount", "order": "up"}, "order", "order"),
    ({"filter": "not json"}, "filter", "JSON"),
    ({"filter": '{"column": "amount"}'}, "filter", "list"),
    ({"filter": '[{"column": "nope", "op": "eq", "value": 1}]'}, "filter", "nope"),
    ({"filter": '[{"column": "amount", "op": "like", "value": 1}]'}, "filter", "like"),
    ({"filter": '[{"column": "amount", "op": "gt", "value": "ten"}]'}, "filter", "amount"),
    ({"filter": '[{"column": "amount", "op": "gt", "value": true}]'}, "filter", "amount"),
    ({"filter": '[{"column": "amount", "op": "contains", "value": "1"}]'}, "filter", "text"),
    ({"filter": '[{"column": "note", "op": "isnull", "value": 1}]'}, "filter", "no value"),
    ({"filter": '[{"column": "note", "op": "eq"}]'}, "filter", "needs a value"),
    ({"filter": '[{"column": "when", "op": "lt", "value": "yesterday"}]'}, "filter", "ISO"),
    ({"filter": '[{"column": "amount", "op": "eq", "value": 1, "x": 2}]'}, "filter", "object"),
])
async def test_bad_sort_or_filter_is_a_400_naming_it(api, project, params, field, says):
    code, body = await api("GET", V2, params=params)
    assert code == 400, body
    error = error_of(body)
    assert error["details"]["field"] == field and says in error["message"], error
