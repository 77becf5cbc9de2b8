"""Datasets over REST: listing, versions, one version's statistics and lineage, preview."""

import numpy as np
import pandas as pd
import pytest

import hubml
from tests.server.helpers import error_of


async def test_list_datasets_with_latest_version(api, project):
    code, body = await api("GET", "projects/sales/datasets")
    assert code == 200
    listing = {d["name"]: d for d in body["datasets"]}
    assert list(listing) == ["customers", "orders"]
    assert listing["orders"]["versions"] == 2
    latest = listing["orders"]["latest"]
    assert latest == project.dataset("orders").latest.to_json()
    assert latest["version"] == 2 and latest["rows"] == 40 and "statistics" not in latest


async def test_listing_sees_new_versions_at_once(api, project):
    await api("GET", "projects/sales/datasets")  # fills the cache
    project.save_dataset("orders", pd.DataFrame({"x": [1]}), allow_schema_change=True)
    project.save_dataset("fresh", pd.DataFrame({"x": [1]}))
    listing = {d["name"]: d for d in (await api("GET", "projects/sales/datasets"))[1]["datasets"]}
    assert listing["orders"]["versions"] == 3 and listing["orders"]["latest"]["rows"] == 1
    assert "fresh" in listing


async def test_dataset_versions(api, project):
    code, body = await api("GET", "projects/sales/datasets/orders")
    assert code == 200
    assert body["name"] == "orders"
    assert [v["version"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["description"] == "first"


async def test_version_has_statistics_and_lineage(api, project):
    code, body = await api("GET", "projects/sales/datasets/orders/versions/2")
    assert code == 200
    assert body["rows"] == 40
    assert body["statistics"]["amount"]["missing"] == 1
    assert body["lineage"] == {"source": {"type": "dataframe"},
                               "recipe": [{"step": "drop_missing"}],
                               "parents": [{"dataset": "orders", "version": 1}]}
    assert [c["name"] for c in body["columns"]] == ["order_id", "amount", "region", "when", "note"]


async def test_preview_pages_are_json_safe(api, project):
    code, body = await api("GET", "projects/sales/datasets/orders/versions/2/preview",
                           params={"offset": 2, "limit": 3})
    assert code == 200
    assert body["columns"] == ["order_id", "amount", "region", "when", "note"]
    assert body["dtypes"][2] == "category"
    assert (body["offset"], body["limit"], body["total"]) == (2, 3, 40)
    assert [r[0] for r in body["rows"]] == [2, 3, 4]
    assert body["rows"][1][1] is None  # NaN
    assert body["rows"][0][3] == "2026-01-01T02:00:00+00:00"
    df = project.dataset("orders").load(version=2)
    assert body["rows"][0][2] == df["region"][2]
    # defaults, the end of the data, past the end
    assert len((await api("GET", "projects/sales/datasets/orders/versions/2/preview"))[1]["rows"]) == 40
    tail = (await api("GET", "projects/sales/datasets/orders/versions/1/preview",
                      params={"offset": 28}))[1]
    assert [r[0] for r in tail["rows"]] == [28, 29]
    past = (await api("GET", "projects/sales/datasets/orders/versions/1/preview",
                      params={"offset": 1000}))[1]
    assert past["rows"] == [] and past["total"] == 30


async def test_preview_spans_row_groups(api, roots):
    import pyarrow.parquet as pq

    p = hubml.create_project("big")
    v = p.save_dataset("numbers", pd.DataFrame({"i": np.arange(5000), "f": np.arange(5000) / 2}))
    table = pq.read_table(v.path / "data.parquet")
    pq.write_table(table, v.path / "data.parquet", row_group_size=700)  # several row groups
    body = (await api("GET", "projects/big/datasets/numbers/versions/1/preview",
                      params={"offset": 1390, "limit": 1000}))[1]
    assert [r[0] for r in body["rows"]] == list(range(1390, 2390))
    assert body["rows"][0][1] == 695.0


async def test_preview_of_a_sql_version(api, roots):
    p = hubml.create_project("db")
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": ["w", "x", None, "z"],
                       "t": pd.to_datetime(["2026-01-01", None, "2026-01-03", "2026-01-04"])})
    p.save_dataset("t", df, store="sql")
    body = (await api("GET", "projects/db/datasets/t/versions/1/preview",
                      params={"offset": 1, "limit": 2}))[1]
    assert body["rows"] == [[2, "x", None], [3, None, "2026-01-03T00:00:00"]]
    assert body["total"] == 4


@pytest.mark.parametrize("path, code, field", [
    ("projects/sales/datasets/nope", 404, None),
    ("projects/sales/datasets/Bad", 400, "dataset"),
    ("projects/sales/datasets/orders/versions/9", 404, None),
    ("projects/sales/datasets/orders/versions/0", 400, "version"),
    ("projects/sales/datasets/orders/versions/x", 400, "version"),
    ("projects/sales/datasets/orders/versions/9/preview", 404, None),
    ("projects/nope/datasets", 404, None),
    ("projects/nope/datasets/orders/versions/1", 404, None),
])
async def test_dataset_errors(api, project, path, code, field):
    status, body = await api("GET", path)
    assert status == code
    error = error_of(body)
    if field:
        assert error["details"]["field"] == field


@pytest.mark.parametrize("params, field", [
    ({"limit": 1001}, "limit"), ({"limit": -1}, "limit"), ({"offset": -5}, "offset"),
    ({"offset": "ten"}, "offset"), ({"limit": "1e3"}, "limit"),
])
async def test_preview_bad_query(api, project, params, field):
    status, body = await api("GET", "projects/sales/datasets/orders/versions/1/preview",
                             params=params)
    assert status == 400 and error_of(body)["details"]["field"] == field
