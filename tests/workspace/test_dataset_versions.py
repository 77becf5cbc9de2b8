"""save_dataset under an existing name: the same data returns the latest version (no new one,
unless forced), other columns raise SchemaChanged naming them unless allowed; import_file
drops R's row-number column and refuses a file without rows."""

import pandas as pd
import pytest

from hubml.errors import Conflict, InvalidInput, SchemaChanged


def penguins(n: int = 6) -> pd.DataFrame:
    return pd.DataFrame({"species": ["Adelie", "Gentoo", "Chinstrap"] * (n // 3),
                         "bill_length_mm": [39.1, 46.5, None, 50.2, 38.8, 47.0][:n],
                         "year": [2007, 2008, 2009] * (n // 3)})


@pytest.mark.parametrize("store", ["file", "sql"])
def test_the_same_data_returns_the_latest_version(project, tree_hash, store):
    first = project.save_dataset("penguins", penguins(), store=store)
    assert first.unchanged is False
    before = tree_hash(project.path)
    again = project.save_dataset("penguins", penguins(), description="again", store=store)
    assert (again.version, again.unchanged) == (1, True)
    assert again.meta["description"] == "" and len(again.meta["sha256"]) == 64
    assert tree_hash(project.path) == before
    forced = project.save_dataset("penguins", penguins(), force=True, store=store)
    assert (forced.version, forced.unchanged) == (2, False)
    changed = penguins().assign(year=[2010] * 6)
    assert project.save_dataset("penguins", changed, store=store).version == 3


def test_an_older_versions_data_is_a_new_version(project):
    project.save_dataset("penguins", penguins())
    project.save_dataset("penguins", penguins().assign(year=2020))
    back = project.save_dataset("penguins", penguins())  # what latest means changes: v3
    assert (back.version, back.unchanged) == (3, False)


def test_other_columns_raise_a_conflict_naming_them(project, tree_hash):
    project.save_dataset("penguins", penguins())
    before = tree_hash(project.path)
    other = penguins().drop(columns=["year"]).assign(
        bill_length_mm=lambda d: d["bill_length_mm"].astype(str), body_mass_g=3750)
    with pytest.raises(SchemaChanged) as info:
        project.save_dataset("penguins", other)
    error = info.value
    assert isinstance(error, Conflict) and error.status == 409
    assert error.details["added"] == [{"name": "body_mass_g", "dtype": "int64"}]
    assert error.details["removed"] == [{"name": "year", "dtype": "int64"}]
    assert error.details["changed"] == [{"name": "bill_length_mm", "old": "float64",
                                         "new": str(other["bill_length_mm"].dtype)}]
    for words in ("body_mass_g", "year", "bill_length_mm float64 ->", "allow_schema_change"):
        assert words in error.message
    assert tree_hash(project.path) == before
    saved = project.save_dataset("penguins", other, allow_schema_change=True)
    assert saved.version == 2 and list(saved.load().columns) == list(other.columns)


def test_column_order_alone_is_no_schema_change(project):
    project.save_dataset("penguins", penguins())
    reordered = penguins()[["year", "species", "bill_length_mm"]]
    assert project.save_dataset("penguins", reordered).version == 2


R_EXPORT = ('"","species","bill_length_mm","sex","observed","comments"\n'
            '"1","Adelie",39.1,"male",2007-11-11,"Not enough blood, see notes"\n'
            '"2","Adelie",NA,NA,2007-11-16,NA\n'
            '"3","Gentoo",46.5,"female",2008-11-09,"n/a"\n')


def test_import_file_drops_the_row_numbers_and_parses_dates(project, tmp_path):
    path = tmp_path / "penguins_raw.csv"
    path.write_text(R_EXPORT, "utf-8")
    version = project.import_file(path, name="penguins-raw")
    df = version.load()
    assert list(df.columns) == ["species", "bill_length_mm", "sex", "observed", "comments"]
    assert str(df["observed"].dtype) == "datetime64[us]"
    assert df["observed"].tolist() == list(pd.to_datetime(["2007-11-11", "2007-11-16",
                                                           "2008-11-09"]))
    assert df["bill_length_mm"].isna().tolist() == [False, True, False]
    assert df["comments"].isna().tolist() == [False, True, True]
    assert "dropped the unnamed first column" in version.meta["source"]["notes"][0]
    again = project.import_file(path, name="penguins-raw")
    assert (again.version, again.unchanged) == (1, True)


@pytest.mark.parametrize("text", ["penguins\n", "a,b\n"])
def test_import_file_refuses_a_file_without_rows(project, tmp_path, text):
    path = tmp_path / "notes.txt"
    path.write_text(text, "utf-8")
    with pytest.raises(InvalidInput, match="no rows"):
        project.import_file(path, name="notes")
    assert not project.dataset("notes").exists()
