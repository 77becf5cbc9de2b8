"""Imports from CSV, TSV, Parquet, JSON lines and Excel, and the errors for bad files."""

import io

import pandas as pd
import pytest

from hubml.errors import InvalidInput
from hubml.workspace.imports import read_table

FRAME = pd.DataFrame({"name": ["Анна", "Bob", "Zoe"], "age": [31, 45, 28], "score": [0.5, 1.5, 2.0]})


def as_bytes(fmt):
    if fmt == "csv":
        return FRAME.to_csv(index=False).encode()
    if fmt == "semicolon":
        return FRAME.to_csv(index=False, sep=";").encode()
    if fmt == "tsv":
        return FRAME.to_csv(index=False, sep="\t").encode()
    if fmt == "cp1251":
        return FRAME.to_csv(index=False).encode("cp1251")
    if fmt == "jsonl":
        return FRAME.to_json(orient="records", lines=True, force_ascii=False).encode()
    buf = io.BytesIO()
    FRAME.to_parquet(buf) if fmt == "parquet" else FRAME.to_excel(buf, index=False)
    return buf.getvalue()


@pytest.mark.parametrize("fmt, filename, expected", [
    ("csv", "people.csv", {"format": "csv", "delimiter": ",", "encoding": "utf-8-sig"}),
    ("semicolon", "people.csv", {"delimiter": ";"}),
    ("tsv", "people.tsv", {"format": "tsv", "delimiter": "\t"}),
    ("cp1251", "people.csv", {"encoding": "cp1251"}),
    ("jsonl", "people.jsonl", {"format": "jsonl"}),
    ("parquet", "people.bin", {"format": "parquet"}),  # detected by content
    ("excel", "people.xlsx", {"format": "excel"}),
])
def test_formats_delimiters_encodings_detected(fmt, filename, expected):
    df, details = read_table(as_bytes(fmt), name=filename)
    assert df["name"].tolist() == FRAME["name"].tolist()
    assert df["age"].tolist() == [31, 45, 28]
    assert expected.items() <= details.items()


def test_import_file_keeps_raw_copy_and_records_source(project, tmp_path):
    path = tmp_path / "People Data.csv"
    path.write_bytes(as_bytes("semicolon"))
    version = project.import_file(path, name="people")
    assert (project.path / "data" / "People Data.csv").read_bytes() == path.read_bytes()
    assert version.meta["source"]["type"] == "file"
    assert version.meta["source"]["delimiter"] == ";"
    assert project.dataset("people").load()["score"].tolist() == [0.5, 1.5, 2.0]


@pytest.mark.parametrize("data, options, message", [
    (b"a,b\n1,2\n3,4,5,6\n", {}, "not a regular table: .*line 3.* Fix that line"),
    (b"", {}, "is empty"),
    (b"   \n", {}, "is empty"),
    ("a,b\nя,2\n".encode("cp1251"), {"encoding": "utf-8"}, "is not utf-8 .* try another encoding"),
    (b"a,b\n1,2\n", {"encoding": "klingon"}, "unknown encoding 'klingon'"),
    (b"PAR1 not really parquet", {}, "cannot be read as parquet"),
    (b"PK\x03\x04 not really excel", {}, "cannot be read as excel"),
    (b"a,b\n1,2\n", {"format": "xml"}, "format must be one of"),
])
def test_bad_files_get_clear_errors(data, options, message):
    with pytest.raises(InvalidInput, match=message):
        read_table(data, name="upload.csv", **options)


def test_unknown_extension_needs_a_format():
    with pytest.raises(InvalidInput, match="cannot tell the format of 'x.weird'"):
        read_table(b"a b c", name="x.weird")
