"""Raw input through the model version's fitted recipe, then the model.

Clients send the raw columns they have (what the training dataset held before the recipe);
the service applies the recipe the model was trained with. A few JSON rows take the recipe's
row form (recipe_row: plain Python per row), more rows its numpy form (recipe_fast); a
recipe without those, or a model that takes a DataFrame, goes through ``Recipe.transform``.
"""

from __future__ import annotations

import numpy as np

from ..errors import HubMLError
from ._messages import msg
from .payload import BadRequest, Input, _ordered
from .protocols import _run

__all__ = ["ROW_LIMIT", "predict_raw", "raw_columns"]

ROW_LIMIT = 8   # up to this many rows, the row form is faster than numpy's


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
        raise BadRequest(msg("serve.body.no_rows"))
    names = served.raw_columns
    cols = _ordered(inp, names, None)
    return {name: _column(values, text) for name, values in zip(names, cols, strict=True)}


def _rows(served, inp: Input) -> list[dict] | None:
    """The input as {column: value} rows when it is a few rows, else None."""
    need = served.raw_columns
    if inp.rows is not None and len(inp.rows) <= ROW_LIMIT:
        names = inp.names if inp.names is not None else need
        if not all(isinstance(r, list) and len(r) == len(names) for r in inp.rows):
            return None   # the column path names the problem
        rows = [dict(zip(names, r, strict=True)) for r in inp.rows]
    elif inp.columns is not None and all(isinstance(v, list) and len(v) <= ROW_LIMIT
                                         for v in inp.columns.values()):
        n = {len(v) for v in inp.columns.values()}
        if len(n) != 1:
            return None
        rows = [{c: v[i] for c, v in inp.columns.items()} for i in range(n.pop())]
    else:
        return None
    if rows and any(c not in rows[0] for c in need):
        _ordered(Input(names=list(rows[0]), rows=[]), need, None)   # 400 naming them
    return rows or None


def predict_raw(served, inp: Input, text: bool = False):
    if served.kind != "frame":
        rows = served.row_recipe is not None and not text and _rows(served, inp)
        if rows:
            try:
                X = np.array([served.row_recipe.transform_row(r) for r in rows],
                             dtype=np.float64)
            except HubMLError as exc:
                raise BadRequest(exc.message, exc.details) from None
            except (TypeError, ValueError) as exc:   # a feature the recipe left as text
                raise BadRequest(msg("serve.model.failed", problem=str(exc))) from None
            return _run(served.predict_array, X)
        if served.fast_recipe is not None:
            X = _run(served.fast_recipe.transform, raw_columns(served, inp, text))
            return _run(served.predict_array, X)
    import pandas as pd

    frame = _run(served.recipe.transform, pd.DataFrame(raw_columns(served, inp, text)))
    if served.kind == "frame":
        return _run(served.predict_frame, {c: frame[c] for c in served.columns})
    X = frame[served.columns].to_numpy(dtype=np.float64, na_value=np.nan)
    return _run(served.predict_array, X)
