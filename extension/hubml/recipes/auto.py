"""``numeric_recipe(df)``: a recipe that turns a mixed table into numbers, its values frozen.

For frameworks that need numeric features (Keras, PyTorch, H2O through hubml): every value the
recipe uses is taken from ``df`` once (the training rows) and written into the steps, so
applying it to new rows gives the same columns and the same codes:

- numeric columns with missing values: filled with their median in ``df``;
- text, category and boolean columns with at most ``max_categories`` distinct values: coded
  0, 1, 2, ... in the order of their values in ``df`` (unknown or missing values: -1);
- text columns with more distinct values (free text, identifiers) and date or time columns:
  dropped (derive date parts yourself before, if they matter).
"""

from __future__ import annotations

from .recipe import Recipe

__all__ = ["MAX_CATEGORIES", "numeric_recipe"]

MAX_CATEGORIES = 20


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def numeric_recipe(df, exclude=(), max_categories: int = MAX_CATEGORIES) -> Recipe:
    """The recipe for ``df`` (columns in ``exclude``, e.g. the target, are left as they are)."""
    import pandas as pd
    from pandas.api import types

    steps, dropped = [], []
    for column in df.columns:
        if column in exclude:
            continue
        series = df[column]
        dtype = series.dtype
        if types.is_datetime64_any_dtype(dtype) or types.is_timedelta64_dtype(dtype):
            dropped.append(column)
        elif types.is_numeric_dtype(dtype) and not types.is_bool_dtype(dtype):
            if series.isna().any():
                median = series.median()
                value = 0.0 if pd.isna(median) else float(median)
                steps += [{"step": "cast", "column": column, "dtype": "float64"},
                          {"step": "impute", "columns": [column], "strategy": "constant",
                           "value": value}]
        else:
            values = series.dropna().unique()
            if isinstance(dtype, pd.CategoricalDtype):
                values = [v for v in dtype.categories if v in set(values)]
            if len(values) == 0 or len(values) > max_categories:
                dropped.append(column)
                continue
            categories = [_plain(v) for v in values]
            if not isinstance(dtype, pd.CategoricalDtype):
                try:
                    categories = sorted(categories)
                except TypeError:   # mixed types: keep the order of appearance
                    pass
            steps += [{"step": "ordinal_encode", "column": column, "categories": categories},
                      {"step": "impute", "columns": [column], "strategy": "constant",
                       "value": -1}]
    if dropped:
        steps.insert(0, {"step": "drop_columns", "columns": dropped})
    return Recipe(steps)
