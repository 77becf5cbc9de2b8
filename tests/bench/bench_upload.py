"""(e) Upload: a 300 MB CSV through the REST upload against pyarrow's own read_csv + to_parquet.

The CSV (ints, floats, text with many and with few distinct values, ISO dates and timestamps,
some of each missing) is generated into a temporary folder. Ours: ``POST
hubml/api/projects/bench/datasets?filename=...`` with the file as a raw body, on a real
``jupyter server`` with the extension (c.HubML.max_upload_bytes raised to 1 GB), timed from the
first byte sent to the 201 (streaming to disk, parsing, Parquet with sha256, statistics, fsync,
rename). Baseline: ``pyarrow.csv.read_csv`` + ``pyarrow.parquet.write_table`` of the same file in
a fresh Python process (imports not timed). Memory: the server's peak RSS growth during one
upload (VmHWM after ``echo 5 > /proc/<pid>/clear_refs``, minus VmRSS before) against the Arrow
table's ``nbytes``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import requests

from tests.support.jupyter import live_jupyter_server

from .report import Row, compare, median
from .timing import bench_env, interleaved

TARGET_BYTES = int(os.environ.get("HUBML_BENCH_UPLOAD_MB", "300")) * 10**6  # smaller to try
ROUNDS = 2
TIME_LIMIT, MEMORY_LIMIT = 1.3, 1.5

_BASELINE = """
import json, sys, time
import pyarrow.csv, pyarrow.parquet
def status(key):
    return next(int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith(key))
before = status("VmRSS")
t0 = time.perf_counter()
table = pyarrow.csv.read_csv(sys.argv[1])
pyarrow.parquet.write_table(table, sys.argv[2])
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "nbytes": table.nbytes, "rows": table.num_rows,
                  "peak_growth": status("VmHWM") - before}))
"""


def _chunk(rng, start: int, n: int):
    import pyarrow as pa

    def gaps(values, share):
        mask = rng.random(n) < share
        return pa.array(values, mask=mask)

    ids = np.arange(start, start + n)
    regions = np.array(["north", "south", "east", "west", "центр"])
    return pa.table({
        "id": ids,
        "quantity": gaps(rng.integers(1, 500, n), 0.05),
        "price": np.round(rng.normal(100, 25, n), 2),
        "discount": gaps(np.round(rng.random(n), 3), 0.1),
        "region": pa.array(regions[rng.integers(0, len(regions), n)]),
        "customer": gaps(np.char.add("customer-", rng.integers(0, 200_000, n).astype(str)), 0.02),
        "day": pa.array(np.datetime64("2020-01-01") + rng.integers(0, 2000, n)
                        .astype("timedelta64[D]")),
        "ordered_at": pa.array(np.datetime64("2020-01-01T00:00:00") + rng.integers(
            0, 10**8, n).astype("timedelta64[s]")),
    })


def make_csv(path: Path) -> None:
    import pyarrow.csv as pcsv

    rng = np.random.default_rng(7)
    start, n = 0, 500_000
    with open(path, "wb") as out:
        while out.tell() < TARGET_BYTES:
            table = _chunk(rng, start, n)
            pcsv.write_csv(table, out, pcsv.WriteOptions(include_header=start == 0))
            start += n


def _server_pid(port: int) -> int:
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"--ServerApp.port={port}".encode() in cmdline:
                return int(proc.name)
    raise RuntimeError(f"no jupyter server process on port {port}")


def _status(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def run() -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix="hubml-bench-upload-"))
    try:
        csv_path = workdir / "orders.csv"
        t0 = time.perf_counter()
        make_csv(csv_path)
        setup_s = time.perf_counter() - t0
        import hubml

        hubml.create_project("bench", root=workdir / "projects")
        with live_jupyter_server(workdir, ("--HubML.max_upload_bytes=1000000000",)) as server:
            return _measure(server, workdir, csv_path, setup_s)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _measure(server, workdir: Path, csv_path: Path, setup_s: float) -> list[Row]:
    pid = _server_pid(int(server.url.rsplit(":", 1)[1].strip("/")))
    session = requests.Session()
    session.headers.update(server.headers)
    url = server.api("projects/bench/datasets")
    # warm-up: imports pyarrow and starts the server's threads, as any earlier upload would
    warm = session.post(url, params={"filename": "warm.csv"}, data=b"a,b\n1,2\n", timeout=60)
    warm.raise_for_status()
    baseline_runs: list[dict] = []
    ours_runs: list[dict] = []

    def ours() -> float:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        before = _status(pid, "VmRSS")
        with open(csv_path, "rb") as body:
            t0 = time.perf_counter()
            # a dataset of its own each time: the same data again would be "unchanged"
            response = session.post(url, params={"filename": "orders.csv",
                                                 "name": f"orders-{len(ours_runs)}"},
                                    data=body, timeout=600)
            seconds = time.perf_counter() - t0
        if response.status_code != 201:
            raise RuntimeError(f"upload answered {response.status_code}: {response.text[:500]}")
        body = response.json()
        ours_runs.append({"seconds": seconds, "peak_growth": _status(pid, "VmHWM") - before,
                          "rows": body["dataset"]["rows"]})
        for leftover in (server.root / "bench" / "data").glob("orders*.csv"):
            leftover.unlink()  # keep the disk from filling; the dataset versions stay
        return seconds

    def base() -> float:
        out = workdir / "baseline.parquet"
        done = subprocess.run([sys.executable, "-c", _BASELINE, str(csv_path), str(out)],
                              env=bench_env(), check=True, capture_output=True, text=True)
        out.unlink(missing_ok=True)
        baseline_runs.append(json.loads(done.stdout))
        return baseline_runs[-1]["seconds"]

    mine, theirs = interleaved(ROUNDS, ours, base, "upload 300 MB", warmup=0)
    nbytes, rows = baseline_runs[0]["nbytes"], baseline_runs[0]["rows"]
    assert all(r["rows"] == rows for r in ours_runs), (ours_runs, rows)
    size_mb = csv_path.stat().st_size / 1e6
    growth = [r["peak_growth"] / 1e6 for r in ours_runs]
    time_row = compare(
        f"Upload {size_mb:.0f} MB CSV ({rows:,} rows x 8 mixed columns) through POST "
        "projects/{project}/datasets vs pyarrow read_csv + write_table", mine, theirs, "s",
        "ratio", TIME_LIMIT,
        f"ours: streamed to disk, parsed, Parquet + sha256 + statistics + fsync; baseline in "
        f"a fresh process, imports not timed; runs ours {', '.join(f'{s:.2f}' for s in mine)} s, "
        f"baseline {', '.join(f'{s:.2f}' for s in theirs)} s; CSV generated in {setup_s:.0f} s")
    # the first big upload is the figure: later ones reuse what the allocator kept from it
    memory_row = compare(
        "Upload peak server memory growth (first 300 MB upload after start) vs the Arrow "
        "table's nbytes", [max(growth)], [nbytes / 1e6], "MB", "ratio", MEMORY_LIMIT,
        f"server VmHWM after clear_refs minus VmRSS before, per upload: "
        f"{', '.join(f'{g:.0f}' for g in growth)} MB; table.nbytes {nbytes / 1e6:.0f} MB; "
        f"the baseline process's own peak growth "
        f"{median([r['peak_growth'] / 1e6 for r in baseline_runs]):.0f} MB")
    return [time_row, memory_row]
