"""Raw input through the model version's fitted recipe, then the model.

Clients send the raw columns they have (what the training dataset held before the recipe);
the service applies the recipe the model was trained with. Small requests take the recipe's
numpy form (recipe_fast); a recipe without one, or a model that takes a DataFrame, goes
through ``Recipe.transform``.
"""

from __future__ import annotations

import numpy as np

from .payload import BadRequest, Input, _ordered

__all__ = ["predict_raw", "raw_columns"]


def _column(values: list, text: bool):
    """float64 when every value is a number (or missing), else an object array."""
    if text:
        try:
            return np.array([np.nan if v is None else float(v) for v in values],
                            dtype=np.float64)
        except ValueError:
            return np.array(values, dtype=object)
    if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
           for v in values):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return np.array(values, dtype=object)


def raw_columns(served, inp: Input, text: bool) -> dict:
    if inp.columns is None and not inp.rows:
        raise BadRequest("the input has no rows; send at least one row")
    names = served.raw_columns
    cols = _ordered(inp, names, None)
    return {name: _column(values, text) for name, values in zip(names, cols, strict=True)}


def predict_raw(served, inp: Input, text: bool = False):
    from .protocols import _run

    cols = raw_columns(served, inp, text)
    if served.fast_recipe is not None and served.kind != "frame":
        X = _run(served.fast_recipe.transform, cols)
        return _run(served.predict_array, X)
    import pandas as pd

    frame = _run(served.recipe.transform, pd.DataFrame(cols))
    if served.kind == "frame":
        return _run(served.predict_frame, {c: frame[c] for c in served.columns})
    X = frame[served.columns].to_numpy(dtype=np.float64, na_value=np.nan)
    return _run(served.predict_array, X)
