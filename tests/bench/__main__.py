"""``python -m tests.bench [NAME ...] [-o FILE]``: run the benchmarks, write the report.

Every ``tests/bench/bench_<name>.py`` exposing ``run() -> list[Row]`` is a benchmark.
With no NAME all run and bench/RESULTS.md is written; with names (``spawn`` or
``bench_spawn``) only those run and the table is printed (written only with ``-o``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

from .report import Row, render

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[1] / "bench" / "RESULTS.md"


def discover() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {discover()})")
    parser.add_argument("-o", "--output", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    available = discover()
    names = [n.removeprefix("bench_") for n in args.names] or available
    unknown = [n for n in names if n not in available]
    if unknown:
        parser.error(f"no benchmark {unknown}; available: {available}")
    output = args.output or (None if args.names else RESULTS)

    started = time.perf_counter()
    rows: list[Row] = []
    failed = False
    for name in names:
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"{__package__}.bench_{name}")
            rows += module.run()
        except Exception as exc:  # report the others; the failure shows in the table
            failed = True
            traceback.print_exc()
            nan = float("nan")
            rows.append(Row(f"{name} (failed)", nan, nan, "", "diff", "runs", False,
                            f"{type(exc).__name__}: {str(exc).splitlines()[0][:150] if str(exc) else ''}"))
        print(f"bench: {name} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    text = render(rows, time.perf_counter() - started, names)
    print(text)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        print(f"bench: wrote {output}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
