"""Imports parsed by pyarrow from the file on disk: JSON arrays and JSON lines, encodings told
from a prefix (and corrected when a later row disagrees), pandas' dtypes and missing values,
ragged lines found deep in big files, and running out of memory reported as such."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hubml.errors import InvalidInput
from hubml.workspace.imports import read_data, read_table
from hubml.workspace.text_import import BLOCK_BYTES
from hubml.workspace.text_sniff import PREFIX_BYTES

RECORDS = [{"name": "Анна", "age": 31, "score": 0.5}, {"name": "Bob", "age": 45, "score": 1.5},
           {"name": "Zoe", "age": 28, "score": 2.0}]


@pytest.mark.parametrize("text, layout", [
    (json.dumps(RECORDS, ensure_ascii=False), "json"),
    (json.dumps(RECORDS, ensure_ascii=False, indent=2), "json"),  # pretty-printed
    ("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", "jsonl"),
])
@pytest.mark.parametrize("filename", ["people.json", "people.jsonl"])
def test_json_arrays_and_json_lines_import_alike(tmp_path, text, layout, filename):
    path = tmp_path / filename
    path.write_text(text, "utf-8")
    df, details = read_table(path)
    pd.testing.assert_frame_equal(df, pd.DataFrame(RECORDS))
    assert details["format"] == layout


def test_a_long_json_array_with_varying_keys_and_types_is_read_in_batches(tmp_path):
    records = [{"id": i, "value": i} for i in range(50_000)]
    records[30_000]["value"] = 0.5  # a later batch widens the column to float
    records[45_000]["extra"] = "late"  # a key only one record has
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(records), "utf-8")
    table, details = read_data(path)
    assert table.num_rows == 50_000 and details["format"] == "json"
    assert table.column("value").type == pa.float64()
    assert table.column("value")[30_000].as_py() == 0.5
    assert table.column("extra").null_count == 49_999
    assert table.column("extra")[45_000].as_py() == "late"


@pytest.mark.parametrize("text, message", [
    ('[{"a": 1}, 2]', "item 1 is not an object"),
    ('[{"a": 1}, {"a": 2}', "not closed"),
    ('[{"a": 1}] {"b": 2}', "after the closing"),
    ('[{"a": 1}, {"a": ]', "cannot be read as json"),
    ('[{"a": 1}, {"a": "x"}]', "cannot be read as json"),
])
def test_broken_json_arrays_say_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InvalidInput, match=message):
        read_data(path)


def test_types_follow_pandas_read_csv(tmp_path):
    text = ("id,count,label,flag,quoted,when,at,nothing,,id\n"
            '1,10,a,true,"7",2026-01-02,2026-01-02 10:30:00,,x,9\n'
            '2,,NA,false,"8",2026-01-03,2026-01-03 11:00:00,,y,9\n'
            '3,30,n/a,,"9",2026-01-04,2026-01-04 12:00:00,,z,9\n')
    path = tmp_path / "types.csv"
    path.write_text(text)
    df, _ = read_table(path)
    expected = pd.read_csv(path)
    assert list(df.columns) == list(expected.columns)  # "Unnamed: 8", "id.1"
    for column in ("id", "count", "label", "quoted", "nothing", "id.1"):
        pd.testing.assert_series_equal(df[column], expected[column], check_dtype=True)
    # booleans with a gap are objects as in pandas; the gap is None there, NaN in read_csv
    assert df["flag"].dtype == expected["flag"].dtype == object
    assert df["flag"].tolist()[:2] == [True, False] and df["flag"].isna().tolist()[2]
    # a deliberate difference: ISO dates and timestamps are datetimes, not strings
    assert str(df["when"].dtype) == "datetime64[us]" and str(df["at"].dtype) == "datetime64[us]"
    assert df["at"].iloc[0] == pd.Timestamp("2026-01-02 10:30:00")


def test_an_arrow_import_saves_and_loads_with_the_dtypes_it_was_read_with(project, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("k,n,s\n1,,x\n2,5,\n" + "".join(f"{i},{i},v{i}\n" for i in range(3, 100)))
    version = project.import_file(path, name="mixed")
    loaded = project.dataset("mixed").load()
    pd.testing.assert_frame_equal(loaded, pd.read_csv(path))
    assert [c["dtype"] for c in version.schema()] == ["int64", "float64", "str"]
    stored = pq.read_schema(version.path / "data.parquet")
    assert stored.field("n").type == pa.int64()  # exact on disk; pandas reads it as float64
    assert version.statistics()["n"]["missing"] == 1


def test_a_late_cp1251_row_after_an_ascii_prefix_is_decoded_as_cp1251(tmp_path):
    ascii_rows = "".join(f"{i},plain\n" for i in range(PREFIX_BYTES // 8))
    path = tmp_path / "ru.csv"
    path.write_bytes(("n,word\n" + ascii_rows + "999999,привет\n").encode("cp1251"))
    df, details = read_table(path)
    assert details["encoding"] == "cp1251"
    assert df["word"].iloc[-1] == "привет" and len(df) == PREFIX_BYTES // 8 + 1


def test_a_wrong_given_encoding_past_the_prefix_is_a_clear_error(tmp_path):
    path = tmp_path / "ru.csv"
    path.write_bytes(("n,word\n" + "1,plain\n" * (PREFIX_BYTES // 8) + "2,я\n").encode("cp1251"))
    with pytest.raises(InvalidInput, match="is not utf-8 .*word.* try another encoding"):
        read_data(path, encoding="utf-8")


def test_a_ragged_line_deep_in_a_big_file_is_named(tmp_path):
    lines = BLOCK_BYTES // 10 * 3  # several blocks, parsed in parallel
    path = tmp_path / "big.csv"
    with open(path, "w") as f:
        f.write("a,b\n")
        f.write("123456,78\n" * lines)
        f.write("1,2,3\n")
    with pytest.raises(InvalidInput, match=f"line {lines + 2} has 3 fields where the header "
                                           "has 2"):
        read_data(path)


def test_text_after_many_numbers_makes_a_text_column_not_an_error(tmp_path):
    path = tmp_path / "late.csv"
    rows = BLOCK_BYTES // 8 * 2
    with open(path, "w") as f:  # the reader types columns from its first block
        f.write("code,n,ratio,sparse\n" + "1234,5,7,\n" * rows + "n.a.,6,7.5,3\n")
    df, _ = read_table(path)
    assert df["code"].iloc[-1] == "n.a." and df["code"].iloc[0] == "1234"
    assert df["n"].dtype == np.int64
    assert df["ratio"].dtype == np.float64 and df["ratio"].iloc[-1] == 7.5
    assert df["sparse"].dtype == np.float64 and df["sparse"].iloc[-1] == 3
    assert df["sparse"].isna().sum() == rows


def test_a_quoted_newline_stays_in_its_field(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('id,text\n1,"two\nlines"\n2,plain\n')
    df, _ = read_table(path)
    assert df["text"].tolist() == ["two\nlines", "plain"]


def test_running_out_of_memory_is_reported_as_such(tmp_path):
    """A real MemoryError: the address space of a child process is capped just above what it
    uses, then a 20 MB CSV is imported (glibc malloc in one arena, so the cap is exact)."""
    path = tmp_path / "big.csv"
    n = 600_000
    pd.DataFrame({"a": np.arange(n), "b": np.linspace(0, 1, n),
                  "c": [f"s{i}" for i in range(n)]}).to_csv(path, index=False)
    script = textwrap.dedent(f"""
        import json, resource
        from hubml.errors import HubMLError
        from hubml.workspace.imports import read_data
        read_data(b"a,b\\n1,2\\n", name="warm.csv")  # imports and threads before the cap
        size = next(int(l.split()[1]) * 1024 for l in open("/proc/self/status")
                    if l.startswith("VmSize"))
        resource.setrlimit(resource.RLIMIT_AS, (size + 2 * 2**20, resource.RLIM_INFINITY))
        try:
            read_data({str(path)!r})
            print(json.dumps({{"outcome": "read"}}))
        except HubMLError as exc:
            print(json.dumps({{"outcome": type(exc).__name__, "status": exc.status,
                              **exc.to_json()["error"]}}))
    """)
    env = {**os.environ, "MALLOC_ARENA_MAX": "1", "ARROW_DEFAULT_MEMORY_POOL": "system"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcome"] == "OutOfMemory" and result["status"] == 413, result
    assert result["code"] == "out_of_memory"
    assert result["message"].startswith("the file needs more memory than this server has")
    assert "cannot be read" not in result["message"]


@pytest.mark.parametrize("chunks", [
    [[3, 1, 2, 3, None, -5]],
    [[10**12, 1, 1]],  # a range too wide for the table of seen flags: hashed
    [list(range(100_000)), list(range(50_000, 150_000)), [None] * 10],
    [[None, None]],
])
def test_distinct_counts_of_integer_columns_are_exact(chunks):
    from hubml.workspace.schema import column_statistics

    column = pa.chunked_array([pa.array(c, pa.int64()) for c in chunks])
    expected = len({v for c in chunks for v in c if v is not None})
    assert column_statistics(pa.table({"n": column}))["n"]["distinct"] == expected
