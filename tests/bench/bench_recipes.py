"""Recipes: a 10-step fitted recipe's transform of the 1,000,000 x 20 mixed frame of the dataset
benchmarks, against the same operations hand-written in pandas with the same constants (both
give an equal frame, checked before timing)."""

from __future__ import annotations

import time

import pandas as pd

from .bench_datasets import mixed_frame
from .report import Row, compare, p90
from .timing import interleaved

RUNS = 5
STEPS = [
    {"step": "impute", "columns": ["score"], "strategy": "mean"},
    {"step": "impute", "columns": ["nullable"], "strategy": "median"},
    {"step": "standardize", "columns": ["f0", "f1"]},
    {"step": "min_max_scale", "columns": ["i0"]},
    {"step": "robust_scale", "columns": ["f2"]},
    {"step": "outliers", "columns": ["f3"]},
    {"step": "one_hot", "columns": ["city"]},
    {"step": "ordinal_encode", "column": "name"},
    {"step": "frequency_encode", "columns": ["code"]},
    {"step": "date_parts", "column": "day", "parts": ["year", "month", "weekday"]},
]


def hand_written(fitted):
    """What a user would write in pandas for the same result, constants taken from fit."""
    learned = fitted.learned
    score, nullable = learned[0]["values"]["score"], learned[1]["values"]["nullable"]
    scale = learned[2]
    low, high = learned[5]["f3"]["low"], learned[5]["f3"]["high"]
    cities = learned[6]["categories"]["city"]
    names = {v: i for i, v in enumerate(learned[7]["categories"])}
    codes = learned[8]["code"]
    freq = {v: c / codes["rows"] for v, c in zip(codes["values"], codes["counts"], strict=True)}
    i0, f2 = learned[3]["i0"], learned[4]["f2"]

    def run(df):
        df = df.copy(deep=False)
        df["score"] = df["score"].fillna(score)
        df["nullable"] = df["nullable"].astype("float64").fillna(nullable)
        for c in ("f0", "f1"):
            df[c] = (df[c] - scale[c]["center"]) / scale[c]["scale"]
        df["i0"] = (df["i0"].astype("float64") - i0["center"]) / i0["scale"]
        df["f2"] = (df["f2"] - f2["center"]) / f2["scale"]
        df["f3"] = df["f3"].clip(low, high)
        df["city"] = pd.Categorical(df["city"], categories=cities)
        df = pd.get_dummies(df, columns=["city"], dtype=int)
        df["name"] = df["name"].map(names).astype("Int64")
        df["code"] = df["code"].map(freq).astype("float64").fillna(0).where(df["code"].notna())
        for part in ("year", "month", "weekday"):
            df[f"day_{part}"] = getattr(df["day"].dt, part).astype("Int64")
        return df

    return run


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run() -> list[Row]:
    from hubml.recipes import Recipe

    df = mixed_frame()
    fitted = Recipe(STEPS).fit(df)
    hand = hand_written(fitted)
    pd.testing.assert_frame_equal(fitted.transform(df), hand(df))  # the same work, the same result
    ours, base = interleaved(RUNS, lambda: _timed(lambda: fitted.transform(df)),
                             lambda: _timed(lambda: hand(df)), "recipe transform 1M x 20")
    return [compare("Fitted 10-step recipe transform, 1,000,000 x 20 mixed, vs hand-written "
                    "pandas", ours, base, "s", "ratio", 1.15,
                    f"impute x2, standardize, min-max, robust, outliers, one-hot, ordinal, "
                    f"frequency, date parts; p90 {p90(ours):.2f} vs {p90(base):.2f} s")]
