"""Dataset versions: save/load of 1,000,000 x 20 mixed columns against plain Parquet,
and listing a project with 1,000 datasets x 10 versions."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .report import Row, compare, p90
from .timing import interleaved

ROWS = 1_000_000
RUNS = 5
LIST_DATASETS, LIST_VERSIONS, LIST_RUNS = 1000, 10, 20


def mixed_frame(rows: int = ROWS) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    cols = {}
    for i in range(6):
        cols[f"f{i}"] = rng.random(rows)
    for i in range(4):
        cols[f"i{i}"] = rng.integers(0, 1000, rows)
    cols["nullable"] = pd.array(np.where(rng.random(rows) < 0.1, None, rng.integers(0, 9, rows)),
                                dtype="Int64")
    cols["flag"] = rng.random(rows) < 0.5
    cols["maybe"] = pd.array(np.where(rng.random(rows) < 0.1, None, rng.random(rows) < 0.5),
                             dtype="boolean")
    cols["city"] = pd.Categorical(rng.choice(["Moscow", "Beijing", "Paris", "Lima"], rows))
    cols["name"] = rng.choice(["anna", "bo", "chen", "dmitri", "eva"], rows).astype(object)
    cols["when"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 10**6, rows), unit="s")
    cols["day"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, rows), "D")
    cols["wait"] = pd.to_timedelta(rng.integers(0, 3600, rows), unit="s")
    cols["score"] = np.where(rng.random(rows) < 0.05, np.nan, rng.normal(size=rows))
    cols["code"] = rng.choice(["a1", "b2", "c3"], rows).astype(object)
    return pd.DataFrame(cols)


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _save_load_rows(work: Path) -> list[Row]:
    import hubml

    project = hubml.create_project("bench", root=work)
    df = mixed_frame()
    plain = work / "plain.parquet"
    saved = []
    save_ours, save_base = interleaved(
        RUNS, lambda: _timed(lambda: saved.append(project.save_dataset("big", df, force=True))),
        lambda: _timed(lambda: df.to_parquet(plain)), "save 1M x 20")
    load_ours, load_base = interleaved(
        RUNS, lambda: _timed(lambda: project.dataset("big").load()),
        lambda: _timed(lambda: pd.read_parquet(plain)), "load 1M x 20")
    note = "with sha256, statistics, fsync and atomic rename; p90 {:.2f} vs {:.2f} s"
    return [
        compare("Dataset save, 1,000,000 x 20 mixed, vs df.to_parquet", save_ours, save_base,
                "s", "ratio", 1.15, note.format(p90(save_ours), p90(save_base))),
        compare("Dataset load, 1,000,000 x 20 mixed, vs pd.read_parquet", load_ours, load_base,
                "s", "ratio", 1.15, "dtypes checked against the saved schema; p90 "
                f"{p90(load_ours):.2f} vs {p90(load_base):.2f} s"),
    ]


def _listing_row(work: Path) -> Row:
    import hubml

    project = hubml.create_project("many", root=work)
    small = pd.DataFrame({"x": [1, 2, 3]})
    for d in range(LIST_DATASETS):
        for _ in range(LIST_VERSIONS):
            project.save_dataset(f"ds-{d:04d}", small, force=True)  # same data: a version anyway
    times = []
    for _ in range(LIST_RUNS):
        t0 = time.perf_counter()
        listing = [(ds.name, [v.version for v in ds.versions()]) for ds in project.datasets()]
        times.append((time.perf_counter() - t0) * 1000)
    assert len(listing) == LIST_DATASETS and all(len(v) == LIST_VERSIONS for _, v in listing)
    p50 = float(np.median(times))
    return Row("List 1,000 datasets x 10 versions (SDK)", p50, p50, "ms", "ratio",
               "report p50/p95", True, f"p50 {p50:.0f} ms, p95 "
               f"{float(np.percentile(times, 95)):.0f} ms over {LIST_RUNS} listings; "
               "no baseline (the REST row compares against /api/contents)", LIST_RUNS)


def run() -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="hubml-bench-ds-"))
    try:
        return [*_save_load_rows(work), _listing_row(work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
