"""One row per figure, simple statistics, and the markdown report (bench/RESULTS.md)."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
from dataclasses import dataclass

__all__ = ["Row", "compare", "median", "p90", "paired_diff", "render"]


@dataclass
class Row:
    name: str
    value: float  # our figure
    baseline: float  # the figure we compare against
    unit: str  # "ms", "s", ...
    kind: str  # "ratio" (value / baseline) or "diff" (value - baseline, in unit)
    target: str  # e.g. "ratio <= 1.15", "<= +150 ms"
    met: bool
    note: str = ""
    runs: int = 0  # timed repetitions per side

    @property
    def comparison(self) -> float:
        return self.value / self.baseline if self.kind == "ratio" else self.value - self.baseline


def compare(name: str, ours: list[float], base: list[float], unit: str, kind: str,
            limit: float, note: str = "") -> Row:
    """A row from two samples: medians, ratio or difference, met when it is at most ``limit``."""
    value, baseline = median(ours), median(base)
    row = Row(name, value, baseline, unit, kind, "", False, note, min(len(ours), len(base)))
    row.met = row.comparison <= limit
    row.target = f"ratio <= {limit:g}" if kind == "ratio" else f"<= {limit:+g} {unit}"
    return row


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def paired_diff(ours: list[float], base: list[float]) -> float:
    """Median of the per-round differences (ours[i] - base[i]); steadier under slow drifts in load."""
    return statistics.median(a - b for a, b in zip(ours, base, strict=True))


def p90(xs: list[float]) -> float:
    """The 90th percentile (linear interpolation between closest ranks)."""
    s = sorted(xs)
    k = (len(s) - 1) * 0.9
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _num(x: float, unit: str) -> str:
    text = f"{x:.0f}" if unit == "ms" else f"{x:.2f}"
    return f"{text} {unit}"


def _comparison(row: Row) -> str:
    if row.kind == "ratio":
        return f"{row.comparison:.2f}x"
    return f"{row.comparison:+.0f} {row.unit}" if row.unit == "ms" else f"{row.comparison:+.2f} {row.unit}"


def render(rows: list[Row], seconds: float, modules: list[str]) -> str:
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    reps = ", ".join(f"{r.name}: {r.runs}" for r in rows)
    lines = [
        "# hubml benchmarks",
        "",
        f"- Date: {now}",
        f"- Machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.machine()}, {platform.system()} {platform.release()}",
        f"- Python: {sys.version.split()[0]} ({sys.executable})",
        f"- Repetitions (timed, per side, baseline and ours interleaved): {reps}",
        f"- Modules: {', '.join(modules)}; whole run {seconds:.0f} s; figures are medians",
        "",
        "| Figure | Ours | Baseline | Ratio / difference | Target | Met | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.name} | {_num(r.value, r.unit)} | {_num(r.baseline, r.unit)} | "
                     f"{_comparison(r)} | {r.target} | {'yes' if r.met else '**no**'} | {r.note} |")
    return "\n".join(lines) + "\n"
