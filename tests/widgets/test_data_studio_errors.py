"""Bad input in the Data Studio: a clear message in the error banner, no traceback, nothing
saved, and the widget still usable afterwards."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.errors import InvalidInput
from hubml.widgets import DataStudio
from hubml.widgets._charts import message_bytes

MiB = 1 << 20


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "projects"
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(folder))
    return folder


@pytest.fixture
def project(root):
    return hubml.create_project("errors")


def frame() -> pd.DataFrame:
    return pd.DataFrame({"x": [1.0, 2.0, None, 4.0], "word": ["a", "b", "c", "d"],
                         "same": [5.0] * 4, "empty": [np.nan] * 4})


def upload(studio, name: str, content: bytes, encoding: str = "") -> None:
    load = studio.load_section
    load.upload.set_trait("value", ({"name": name, "type": "", "size": len(content),
                                     "content": memoryview(content),
                                     "last_modified": datetime.now(timezone.utc)},))
    load.encoding.value = encoding
    load.upload_button.click()


def assert_usable(studio, project) -> None:
    """No traceback shown; the studio still loads and saves."""
    assert "Traceback" not in studio.banner.value
    studio.load(frame())
    studio.add_step({"step": "impute", "columns": ["x"], "strategy": "mean"})
    assert studio.last_error == ""
    assert studio.frame["x"].notna().all()


def datasets(project) -> list[str]:
    return [d.name for d in project.datasets()]


@pytest.mark.parametrize("name, content, words", [
    ("broken.parquet", b"PAR1" + b"\x00garbage" * 50, "broken.parquet"),
    ("image.csv", bytes(range(256)) * 40, "image.csv"),
    ("empty.csv", b"", "empty"),
    ("header.csv", b"a,b,c\n", "no rows"),
    ("ragged.csv", b"a,b\n1,2\n3,4,5,6\n", "line"),
    ("sheet.xlsx", b"PK\x03\x04 not really a zip", "sheet.xlsx"),
])
def test_bad_files_show_a_message_and_save_nothing(project, name, content, words):
    studio = DataStudio(project)
    upload(studio, name, content)
    assert studio.last_error, f"{name} was accepted"
    assert words.lower() in studio.last_error.lower()
    assert "hubml-banner error" in studio.banner.value
    assert not studio.session.loaded
    studio.save_section.name.value = "nothing"
    studio.save_section.save_button.click()
    assert "No data loaded" in studio.last_error
    assert datasets(project) == []
    assert_usable(studio, project)


def test_a_wrong_encoding_is_refused_and_the_right_one_reads(project):
    studio = DataStudio(project)
    content = "name,city\nJosé,Zürich\nЁжик,Москва\n".encode("cp1251", errors="replace")
    upload(studio, "cities.csv", "name,city\nЁжик,Москва\n".encode("utf-16-le"), "ascii")
    assert studio.last_error and not studio.session.loaded
    upload(studio, "cities.csv", content, "cp1251")
    assert studio.last_error == "", studio.last_error
    assert list(studio.frame["city"])[1] == "Москва"
    assert studio.session.info["type"] == "upload" and studio.session.info["file"] == "cities.csv"


def test_text_in_numeric_steps_and_bad_fields_name_the_field(project):
    studio = DataStudio(project, frame())
    transform = studio.transform
    transform.kind.value = "standardize"
    transform.form.fields["columns"][2].value = ("word",)
    transform.apply_button.click()
    assert "word" in studio.last_error and "numeric" in studio.last_error
    assert len(studio.recipe) == 0 and list(studio.frame["word"]) == ["a", "b", "c", "d"]
    transform.kind.value = "filter_rows"
    transform.form.fields["column"][2].value = "x"
    transform.form.fields["op"][2].value = ">"
    transform.form.fields["value"][2].value = "abc"
    transform.preview_button.click()
    assert "value" in studio.last_error
    transform.kind.value = "impute"
    transform.apply_button.click()  # no columns picked
    assert "columns" in studio.last_error
    with pytest.raises(InvalidInput, match="strategy"):
        studio.add_step({"step": "impute", "columns": ["x"], "strategy": "avg"})
    assert len(studio.recipe) == 0
    assert_usable(studio, project)


def test_all_missing_and_constant_columns_under_scaling(project):
    studio = DataStudio(project, frame())
    studio.transform.kind.value = "standardize"
    studio.transform.form.fields["columns"][2].value = ("empty",)
    studio.transform.apply_button.click()
    assert "empty" in studio.last_error
    assert len(studio.recipe) == 0
    studio.add_step({"step": "min_max_scale", "columns": ["same"]})  # constant: a defined result
    assert studio.frame["same"].notna().all() and np.isfinite(studio.frame["same"]).all()
    studio.save_section.name.value = "scaled"
    studio.save_section.save_button.click()
    assert studio.last_error == ""
    assert datasets(project) == ["scaled"]


def test_no_rows_and_bad_saves_save_nothing(project):
    studio = DataStudio(project, frame())
    studio.add_step({"step": "filter_rows", "column": "x", "op": ">", "value": 100})
    assert len(studio.frame) == 0
    assert "No rows" in studio.table.grid.value
    studio.save_section.name.value = "none-left"
    studio.save_section.save_button.click()
    assert "no rows" in studio.last_error
    studio.undo()
    studio.save_section.name.value = "Bad Name!"
    studio.save_section.save_button.click()
    assert studio.last_error and datasets(project) == []
    studio.save_section.name.value = ""
    studio.save_section.save_button.click()
    assert "name" in studio.last_error
    studio.save("good")
    studio.add_step({"step": "drop_columns", "columns": ["word"]})
    studio.save_section.name.value = "good"
    studio.save_section.save_button.click()  # other columns than version 1
    assert "allow schema change" in studio.last_error
    assert [v.version for v in project.dataset("good").versions()] == [1]
    studio.save_section.allow_schema.value = True
    studio.save_section.save_button.click()
    assert studio.last_error == ""
    assert [v.version for v in project.dataset("good").versions()] == [1, 2]


def test_bad_sources_and_table_input(project):
    with pytest.raises(InvalidInput, match="not a dataset"):
        DataStudio(project).load("no-such-thing")
    studio = DataStudio(project, 42)
    assert "DataFrame" in studio.last_error and not studio.session.loaded
    studio = DataStudio(project, "SELECT * FROM missing_table")
    assert "query failed" in studio.last_error
    studio.load_section.path.value = "../../etc/passwd"
    studio.load_section.path_button.click()
    assert "not inside the project" in studio.last_error
    studio.load(frame())
    studio.table.page_box.value = 1
    studio.table.filter_column.value = "x"
    studio.table.filter_op.value = ">"
    studio.table.filter_value.value = "three"
    studio.table.filter_apply.click()
    assert "three" in studio.last_error and studio.table.view.filters == []
    with pytest.raises(InvalidInput, match="page"):
        studio.page(99)
    studio.tabs.selected_index = 3  # Explore fills its choices when shown
    studio.explore.kind.value = "histogram"
    studio.explore.x.value = "word"
    studio.explore.chart_button.click()
    assert "numeric" in studio.last_error
    studio.explore.x.value = None
    studio.explore.chart_button.click()
    assert "needs x" in studio.last_error
    assert_usable(studio, project)


def test_ten_thousand_columns_page_their_columns(project):
    rng = np.random.default_rng(0)
    wide = pd.DataFrame(rng.random((50, 10_000)), columns=[f"c{i}" for i in range(10_000)])
    studio = DataStudio(project, wide)
    assert studio.last_error == ""
    assert "10,000 columns" in studio.banner.value
    table = studio.table
    assert table.col_pager.layout.display == ""
    assert len(table.page_frame().columns) == 40
    table.col_next.click()
    assert list(table.page_frame().columns)[0] == "c40"
    assert len(table.view._stats) == 80  # statistics only for the columns shown
    assert message_bytes(table.grid) < MiB
    studio.add_step({"step": "standardize", "columns": ["c1", "c9999"]})
    studio.tabs.selected_index = 3
    assert studio.last_error == ""
    assert "30 numeric columns" in studio.explore.heatmap.note.value
    for child in (studio.explore.heatmap.output, studio.explore.missing.output,
                  studio.transform.form):
        assert message_bytes(child) < MiB
