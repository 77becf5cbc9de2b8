"""DatasetExplorer: a read-only view of one dataset version (schema, statistics, charts and
the paged table), without a kernel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.widgets import DatasetExplorer
from hubml.widgets._charts import PLOTLY_MIME


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(tmp_path / "projects"))
    return hubml.create_project("explorer")


def test_schema_statistics_charts_and_pages_of_a_version(project):
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.normal(size=300), "y": rng.integers(0, 5, 300),
                       "label": rng.choice(["yes", "no"], 300)})
    df.loc[::10, "x"] = np.nan
    project.save_dataset("points", df.head(100), description="first")
    project.save_dataset("points", df, description="all of it")
    before = sorted(p.name for p in (project.path / "datasets" / "points").rglob("*"))

    explorer = DatasetExplorer(project, "points")
    assert explorer.last_error == ""
    assert explorer.version.version == 2
    assert "300 rows" in explorer.schema.value and "all of it" in explorer.schema.value
    assert ">30<" in explorer.schema.value  # missing values of x
    explorer.tabs.selected_index = 2
    (missing,) = explorer.missing.output.outputs
    assert missing["data"][PLOTLY_MIME]["data"][0]["y"] == ["x"]  # the one column with gaps
    (output,) = explorer.heatmap.output.outputs
    assert output["data"][PLOTLY_MIME]["data"][0]["type"] == "heatmap"
    assert "exact, all 300 rows" in explorer.heatmap.note.value
    explorer.column.value = "label"
    (output,) = explorer.distribution.output.outputs
    assert output["data"][PLOTLY_MIME]["data"][0]["type"] == "bar"
    explorer.sort("x", ascending=False)
    assert explorer.table.page_frame()["x"].iloc[0] == df["x"].max()
    explorer.filter("label", "==", "yes")
    assert explorer.table.view.rows == (df["label"] == "yes").sum()
    explorer.table.last.click()
    assert explorer.table.view.page_number == explorer.table.view.pages

    first = DatasetExplorer(project, "points", version=1)
    assert first.version.version == 1 and len(first.frame) == 100
    after = sorted(p.name for p in (project.path / "datasets" / "points").rglob("*"))
    assert after == before  # read-only


def test_a_missing_dataset_shows_a_message(project):
    explorer = DatasetExplorer(project, "nope")
    assert "no dataset named 'nope'" in explorer.last_error
    assert "Traceback" not in explorer.banner.value
