"""(c) ``python -c "import hubml"`` against ``python -c pass``: what the SDK adds to start-up."""

from __future__ import annotations

import subprocess
import sys
import time

from .report import Row, compare, p90
from .timing import bench_env, interleaved

RUNS = 10
LIMIT_MS = 50.0


def _time(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=bench_env(), check=True)
    return (time.perf_counter() - t0) * 1000


def run() -> list[Row]:
    ours, base = interleaved(RUNS, lambda: _time("import hubml"), lambda: _time("pass"),
                             "import hubml")
    note = (f"subprocess wall time; p90 {p90(ours):.0f} ms vs {p90(base):.0f} ms; "
            f"baseline is `python -c pass`")
    return [compare("`import hubml` (python start-up)", ours, base, "ms", "diff", LIMIT_MS, note)]
