"""Interleaved timing: ours and the baseline alternate so both see the same machine noise."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

__all__ = ["BIN", "bench_env", "interleaved"]

BIN = Path(sys.executable).parent


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for subprocesses: this venv's bin first on PATH."""
    env = {**os.environ, **extra}
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    return env


def interleaved(n: int, ours: Callable[[], float], base: Callable[[], float], desc: str,
                warmup: int = 1) -> tuple[list[float], list[float]]:
    """Run ``ours`` and ``base`` n times each (after ``warmup`` untimed rounds), alternating.

    Each callable returns one measurement. The order flips every round (AB BA AB ...),
    so neither side always runs right after the other.
    """
    for _ in range(warmup):
        base()
        ours()
    a: list[float] = []
    b: list[float] = []
    with tqdm(total=2 * n, desc=desc, file=sys.stderr, leave=True) as bar:
        for i in range(n):
            pair = [(ours, a), (base, b)] if i % 2 == 0 else [(base, b), (ours, a)]
            for fn, out in pair:
                out.append(fn())
                bar.update()
    return a, b
