"""The Data Studio driven without a kernel: constructed, its buttons clicked and fields set,
through every section, ending in a saved version read back with the SDK; and a code change
to the source DataFrame variable detected and adopted."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import hubml
from hubml.recipes import Recipe
from hubml.widgets import DataStudio
from hubml.widgets._charts import PLOTLY_MIME, message_bytes

MiB = 1 << 20


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "projects"
    monkeypatch.setenv("HUBML_PROJECT_ROOTS", str(folder))
    return folder


@pytest.fixture
def project(root):
    return hubml.create_project("studio", description="data studio tests")


def customers(rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    age = rng.integers(18, 80, rows).astype("float64")
    age[::7] = np.nan
    return pd.DataFrame({
        "age": age,
        "city": rng.choice(["Paris", "Lima", "Oslo"], rows),
        "income": rng.normal(50_000, 9_000, rows).round(2),
        "visits": rng.integers(0, 30, rows),
    })


def figure_of(chart) -> dict:
    (output,) = chart.output.outputs
    return output["data"][PLOTLY_MIME]


def test_every_section_by_its_controls_ends_in_a_saved_version(project):
    raw = customers()
    p = project
    p.save_dataset("customers", raw, description="raw")
    studio = DataStudio(p, p.dataset("customers"))
    assert studio.last_error == ""
    assert "customers v1" in studio.title.value and "120 rows" in studio.title.value
    assert studio.tabs.selected_index == 1  # the table, once something is loaded

    # Table: header statistics are exact, pages and sort are computed in the kernel
    table = studio.table
    assert "missing 18" in table.grid.value  # 120 rows, every 7th age missing
    table.size.value = 10
    table.next.click()
    assert table.view.page_number == 2 and ">11<" in table.grid.value
    table.sort_column.value = "income"
    table.descending.value = True
    top = table.page_frame()
    assert top["income"].iloc[0] == raw["income"].max()
    table.filter_column.value = "city"
    table.filter_op.value = "=="
    table.filter_value.value = "Oslo"
    table.filter_apply.click()
    assert set(table.page_frame()["city"]) == {"Oslo"}
    assert f"{(raw.city == 'Oslo').sum()} of 120 rows" in table.info.value
    table.filter_clear.click()
    table.sort_column.value = None

    # Clean and Transform: a generated form, a before/after preview, then Apply
    transform = studio.transform
    transform.kind.value = "impute"
    kind, _nullable, columns = transform.form.fields["columns"]
    assert kind == "columns" and "age" in columns.options
    columns.value = ("age",)
    transform.form.fields["strategy"][2].value = "median"
    transform.preview_button.click()
    assert studio.last_error == "", studio.last_error
    assert 'class="num changed"' in transform.diff.value
    assert "changed cells on this page: 2" in transform.summary.value  # rows 0 and 7 of 10
    transform.apply_button.click()
    assert studio.frame["age"].isna().sum() == 0
    median = float(raw["age"].median())
    assert (studio.frame["age"][raw["age"].isna()] == median).all()

    transform.kind.value = "one_hot"
    transform.form.fields["columns"][2].value = ("city",)
    transform.apply_button.click()
    assert {"city_Lima", "city_Oslo", "city_Paris"} <= set(studio.frame.columns)

    transform.kind.value = "standardize"
    transform.form.fields["columns"][2].value = ("income",)
    transform.apply_button.click()
    assert abs(studio.frame["income"].mean()) < 1e-9
    assert len(studio.recipe) == 3

    # Recipe: learned values shown; undo, redo, reorder, remove, edit
    recipe_text = " ".join(getattr(c, "value", "") for row in studio.recipe_section.rows.children
                           for c in getattr(row, "children", [row]))
    assert "learned" in recipe_text and str(median) in recipe_text
    studio.recipe_section.undo_button.click()
    assert len(studio.recipe) == 2 and "income" in studio.frame
    assert studio.frame["income"].equals(raw["income"])
    studio.recipe_section.redo_button.click()
    assert len(studio.recipe) == 3
    studio.recipe_section.row_buttons[2]["up"].click()
    assert [s.type for s in studio.recipe.steps] == ["impute", "standardize", "one_hot"]
    studio.recipe_section.row_buttons[1]["remove"].click()
    assert [s.type for s in studio.recipe.steps] == ["impute", "one_hot"]
    studio.recipe_section.row_buttons[0]["edit"].click()
    assert studio.tabs.selected_index == 2 and transform.editing == 1
    transform.form.fields["strategy"][2].value = "mean"
    transform.apply_button.click()
    assert [s.type for s in studio.recipe.steps] == ["impute", "one_hot"]
    assert studio.recipe.steps[0].get_params()["strategy"] == "mean"
    mean = float(raw["age"].mean())
    assert np.allclose(studio.frame["age"][raw["age"].isna()], mean)

    # Explore: distribution, missing values, heatmap, scatter matrix, chart builder
    studio.tabs.selected_index = 3
    explore = studio.explore
    assert figure_of(explore.distribution)["data"]
    assert "No missing values in any of the 6 columns" in explore.missing.note.value  # imputed
    heat = figure_of(explore.heatmap)["data"][0]
    assert heat["type"] == "heatmap" and "age" in heat["x"] and "income" in heat["x"]
    explore.method.value = "spearman"
    assert "Spearman" in json.dumps(figure_of(explore.heatmap)["layout"]["title"])
    explore.splom_button.click()
    assert figure_of(explore.splom)["data"][0]["type"] == "splom"
    explore.kind.value = "bar"
    explore.x.value = "visits"
    explore.y.value = "income"
    explore.agg.value = "mean"
    explore.chart_button.click()
    assert studio.last_error == "", studio.last_error
    bars = figure_of(explore.chart)["data"][0]
    assert bars["type"] == "bar" and "exact" in explore.chart.note.value
    for widget in (explore.heatmap.output, explore.chart.output, studio.table.grid):
        assert message_bytes(widget) < MiB

    # Code: the exported code gives the same frame from the same source
    studio.tabs.selected_index = 5
    code = studio.code_section.code.value
    assert 'p.dataset("customers").load(version=1)' in code
    namespace: dict = {}
    exec(code.replace('hubml.project("studio")', "hubml.project('studio')"), namespace)
    pd.testing.assert_frame_equal(namespace["df"], studio.frame)
    studio.code_section.insert_button.click()
    assert "copy the code" in studio.code_section.status.value  # no kernel in this test

    # Save: name, description, store; the version records source and the fitted recipe
    save = studio.save_section
    save.name.value = "customers-clean"
    save.description.value = "imputed and encoded"
    save.save_button.click()
    assert studio.last_error == "", studio.last_error
    version = p.dataset("customers-clean").latest
    assert version.version == 1 and "version 1" in save.result.value
    pd.testing.assert_frame_equal(version.load(), studio.frame, check_dtype=False)
    assert version.meta["source"] == {"type": "dataset", "dataset": "customers", "version": 1}
    assert version.meta["parents"] == [{"dataset": "customers", "version": 1}]
    assert version.meta["description"] == "imputed and encoded"
    saved = Recipe.from_json(version.meta["recipe"])
    assert saved == studio.recipe
    if hasattr(saved, "transform"):  # the fitted recipe: learned on the source, reusable
        new = customers(30).assign(age=np.nan)
        out = saved.transform(new)
        assert np.allclose(out["age"], mean)

    # the same again into a SQL table
    save.name.value = "customers-sql"
    save.store.value = "sql"
    save.save_button.click()
    assert studio.last_error == ""
    back = p.dataset("customers-sql").load()
    assert len(back) == 120 and list(back.columns) == list(studio.frame.columns)


def test_python_methods_drive_the_same_paths(project):
    df = customers()
    studio = DataStudio(project, df)
    studio.add_step({"step": "impute", "columns": ["age"], "strategy": "constant", "value": 0})
    studio.page(3)
    assert studio.table.view.page_number == 3
    studio.sort("age", ascending=False)
    assert studio.table.page_frame()["age"].iloc[0] == df["age"].max()
    note = studio.chart("histogram", x="income", color="city")
    assert "exact" in note
    note = studio.chart("scatter", x="age", y="income", facet="city")
    assert "exact" in note  # 120 rows: no sample
    assert studio.chart("box", x="city", y="income")
    assert studio.chart("heatmap", x="city", y="visits", color="income", agg="mean")
    assert studio.heatmap("pearson")["columns"] == ["age", "income", "visits"]
    version = studio.save("from-frame")
    assert version.meta["source"] == {"type": "dataframe"}
    assert (version.load()["age"] == 0).sum() == df["age"].isna().sum()


def test_a_code_change_to_the_source_variable_shows_and_can_be_adopted(project):
    df = customers()
    namespace = {"df": df}
    studio = DataStudio(project, df, namespace=namespace)
    assert studio.session.info == {"type": "dataframe", "variable": "df"}
    studio.add_step({"step": "impute", "columns": ["age"], "strategy": "median"})
    assert studio.check_source() is None
    assert studio.outside.layout.display == "none"

    df.loc[df.index[-1], "income"] = -1.0         # a later cell changes the frame in place
    assert studio.check_source(full=True) == "values or column types changed in place"
    assert studio.outside.layout.display == ""
    assert "changed outside" in studio.outside_text.value
    assert studio.frame["income"].iloc[-1] != -1.0  # the studio kept the copy it loaded
    studio.keep_button.click()
    assert studio.outside.layout.display == "none"

    namespace["df"] = pd.concat([df, df.head(10)], ignore_index=True)  # df = ... reassigned
    studio.tabs.selected_index = 2  # any interaction checks (cheaply)
    assert studio.outside.layout.display == ""
    assert "another DataFrame, 130 x 4" in studio.outside_text.value
    studio.adopt_button.click()
    assert studio.last_error == ""
    assert len(studio.frame) == 130 and studio.outside.layout.display == "none"
    assert len(studio.recipe) == 1 and studio.frame["age"].notna().all()
    median = float(namespace["df"]["age"].median())
    assert studio.recipe.learned[0]["values"]["age"] == median


def test_adopting_a_frame_the_recipe_no_longer_fits_changes_nothing(project):
    df = customers()
    namespace = {"df": df}
    studio = DataStudio(project, df, namespace=namespace)
    studio.add_step({"step": "impute", "columns": ["age"], "strategy": "median"})
    namespace["df"] = df.drop(columns=["age"])
    studio.check_button.click()
    studio.adopt_button.click()
    assert "age" in studio.last_error
    assert "age" in studio.frame and len(studio.recipe) == 1
    assert studio.outside.layout.display == ""  # still offered; the user can keep instead


def test_every_step_type_gets_a_form_and_new_steps_apply_through_it(project):
    from hubml.recipes import STEPS
    from hubml.widgets.studio.transform_ui import OUTSIDE

    df = customers().assign(day=pd.date_range("2024-01-01", periods=120, freq="D"),
                            note=lambda d: "  " + d["city"] + " x ")
    studio = DataStudio(project, df)
    transform = studio.transform
    assert set(transform.kind.options) == set(STEPS) - set(OUTSIDE)
    for kind in transform.kind.options:
        transform.kind.value = kind
        assert transform.form.step_type == kind and transform.form.fields or kind == "sample"
        transform.form.values()  # every generated field reads back
    transform.kind.value = "date_parts"
    form = transform.form
    assert form.fields["parts"][0] == "choices"
    form.fields["column"][2].value = "day"
    form.fields["parts"][2].value = ("year", "month")
    transform.apply_button.click()
    assert studio.last_error == "", studio.last_error
    assert studio.frame.filter(like="month").shape[1] == 1
    transform.kind.value = "text_cleanup"
    transform.form.fields["columns"][2].value = ("note",)
    transform.form.fields["operation"][2].value = "trim"
    transform.apply_button.click()
    assert studio.last_error == "", studio.last_error
    assert not studio.frame["note"].str.startswith(" ").any()
    transform.kind.value = "split"
    assert transform.form.fields["new_column"][0] == "string"
    transform.apply_button.click()
    assert studio.last_error == "", studio.last_error
    transform.kind.value = "outliers"
    transform.form.fields["columns"][2].value = ("income",)
    transform.apply_button.click()
    assert studio.last_error == "", studio.last_error
    learned = studio.recipe.learned
    assert learned[-1] and len(studio.recipe) == 4


def test_a_long_frame_shows_rows_first_and_statistics_when_ready(project):
    rng = np.random.default_rng(5)
    long = pd.DataFrame({"x": rng.normal(size=250_000), "k": rng.integers(0, 9, 250_000)})
    studio = DataStudio(project, long)
    assert studio.table.background_rows <= len(long)
    assert ">1<" in studio.table.grid.value  # the first row is there at once
    studio.table.wait_for_statistics(60)
    grid = studio.table.grid.value
    assert "statistics …" not in grid and "missing 0 · distinct 9" in grid


def test_a_later_cell_in_a_real_ipython_shell_shows_changed_outside(project):
    """IPython's own shell runs the cells; the studio hears post_run_cell and checks."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.user_ns["p"] = project
        result = shell.run_cell(
            "import numpy as np, pandas as pd\n"
            "import hubml\n"
            "df = pd.DataFrame({'a': [1.0, np.nan, 3.0], 'b': ['x', 'y', 'z']})\n"
            "studio = hubml.widgets.DataStudio(p, df)\n")
        result.raise_error()
        studio = shell.user_ns["studio"]
        assert studio.session.info == {"type": "dataframe", "variable": "df"}
        shell.run_cell("total = df['a'].sum()").raise_error()  # reading changes nothing
        assert studio.outside.layout.display == "none"
        shell.run_cell("df.loc[1, 'a'] = 2.0").raise_error()
        assert studio.outside.layout.display == ""
        assert "values or column types changed in place" in studio.outside_text.value
        studio.adopt()
        assert studio.frame["a"].tolist() == [1.0, 2.0, 3.0]
        shell.run_cell("df = df.assign(c=1)").raise_error()
        assert "another DataFrame, 3 x 3" in studio.outside_text.value
        assert "Insert" not in studio.insert_code()
        assert shell.rl_next_input == studio.code()  # ipykernel sends it as a payload
        studio.close()
    finally:
        InteractiveShell.clear_instance()
