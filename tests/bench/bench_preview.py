"""Dataset preview sorted and filtered on the server, on 1,000,000 x 20 mixed columns: the
first sorted page (the sort order computed from the one column read) against pandas reading
that column and sorting it; a later sorted page (the order cached) against an unsorted page at
the same offset; a filtered answer (its total and first page) against pandas counting the matches plus an
unfiltered page."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from .bench_datasets import mixed_frame
from .report import Row, compare
from .timing import interleaved

RUNS = 5
OFFSET = 500_000


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run() -> list[Row]:
    import hubml
    from hubml.server.preview import preview
    from hubml.server.preview_query import clear_cache, parse_query

    work = Path(tempfile.mkdtemp(prefix="hubml-bench-preview-"))
    try:
        version = hubml.create_project("bench", root=work).save_dataset("big", mixed_frame())
        path = version.path / "data.parquet"
        columns = version.meta["columns"]
        by_score = parse_query(columns, "score", "asc", None)
        city = parse_query(columns, None, None, '[{"column": "city", "op": "eq", '
                                                '"value": "Paris"}]')

        def first_sorted():
            clear_cache()
            preview(version, 0, 100, by_score)

        first, pandas_sort = interleaved(
            RUNS, lambda: _timed(first_sorted),
            lambda: _timed(lambda: pd.read_parquet(path, columns=["score"])["score"]
                           .sort_values(kind="stable").index[:100]), "first sorted page")
        preview(version, 0, 100, by_score)  # the order is cached from here on
        later, plain = interleaved(
            RUNS, lambda: _timed(lambda: preview(version, OFFSET, 100, by_score)),
            lambda: _timed(lambda: preview(version, OFFSET, 100)), "later sorted page")

        def filtered():
            clear_cache()
            preview(version, 0, 100, city)

        def count_and_page():  # what the filtered answer holds: a total and a page of rows
            int((pd.read_parquet(path, columns=["city"])["city"] == "Paris").sum())
            preview(version, 0, 100)

        count, pandas_count = interleaved(RUNS, lambda: _timed(filtered),
                                          lambda: _timed(count_and_page), "filtered count")
        ms = 1000
        return [
            compare("preview: first page sorted by a column, 1M x 20 vs pandas read+sort",
                    [x * ms for x in first], [x * ms for x in pandas_sort], "ms", "ratio", 1.5),
            compare("preview: a sorted page at row 500,000 (order cached) vs unsorted page",
                    [x * ms for x in later], [x * ms for x in plain], "ms", "ratio", 3.0),
            compare("preview: filter city = Paris (total + first page) vs pandas count + plain page",
                    [x * ms for x in count], [x * ms for x in pandas_count], "ms", "ratio", 1.5),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
