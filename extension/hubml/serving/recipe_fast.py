"""A fitted recipe as numpy operations on columns, for the few rows of a prediction request.

``Recipe.transform`` builds and copies a DataFrame per step: about a millisecond for 10 steps,
more than the model's predict. The serving path compiles the fitted steps once into small
functions over {column: 1-D numpy array} (float64 for numbers, object for text) that give the
same values as ``transform`` (tests/serving/test_recipe_input.py checks them equal), then
takes the model's features in its order. A recipe with a step that has no numpy form here
(derive, row filters, text casts, ...) is not compiled: :func:`compile_recipe` returns None
and the service uses ``transform`` itself.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidInput
from ._messages import msg
from ._recipe_columns import drop_columns, rename_columns, select_columns

__all__ = ["FastRecipe", "compile_recipe", "required_columns"]


def _isna(x):
    return np.isnan(x) if x.dtype.kind == "f" else np.array([v is None or v != v for v in x],
                                                             dtype=bool)


def _float(cols, name):
    x = cols[name]
    if x.dtype.kind != "f":
        try:
            x = x.astype(np.float64)
        except (TypeError, ValueError):
            raise InvalidInput(msg("serve.recipe.numeric", column=name, value="text"),
                               details={"column": name}) from None
    return x


def _impute(step):
    p = step.get_params()
    strategy, columns = p["strategy"], p["columns"]
    values = {c: (p["value"] if strategy == "constant" else step.value("values", c))
              for c in columns}

    def run(cols):
        for c in columns:
            x, v = cols[c], values[c]
            if strategy in ("mean", "median") or (x.dtype.kind == "f" and
                                                  isinstance(v, (int, float))):
                x = _float(cols, c)
                cols[c] = np.where(np.isnan(x), float(v), x)
            else:
                x = x.copy()
                x[_isna(x)] = v
                cols[c] = x
    return run


def _scale(step):
    columns = step.get_params()["columns"]
    centers = [step.value(c, "center") for c in columns]
    scales = [step.value(c, "scale") for c in columns]

    def run(cols):
        for c, center, scale in zip(columns, centers, scales, strict=True):
            cols[c] = (_float(cols, c) - center) / scale
    return run


def _log(step):
    p = step.get_params()

    def run(cols):
        for c in p["columns"]:
            cols[c] = np.log(_float(cols, c) + p["offset"])
    return run


def _one_hot(step):
    p = step.get_params()
    categories = {c: step.value("categories", c) for c in p["columns"]}

    def run(cols):
        for c, known in categories.items():
            x = cols.pop(c)
            if p["handle_unknown"] == "error":
                seen = np.zeros(len(x), dtype=bool)
                for value in known:
                    seen |= _equal(x, value)
                bad = ~seen & ~_isna(x)
                if bad.any():
                    raise InvalidInput(msg("serve.recipe.unseen", column=c, values=", ".join(
                                       map(repr, list(x[bad])[:5]))),
                                       details={"column": c})
            for value in known[1:] if p["drop_first"] else known:
                cols[f"{c}_{value}"] = _equal(x, value).astype(np.float64)
    return run


def _ordinal(step):
    p = step.get_params()
    categories = p["categories"] if p["categories"] is not None else step.value("categories")
    positions = {value: float(i) for i, value in enumerate(categories)}
    column = p["column"]

    def run(cols):
        x = cols[column]
        cols[column] = np.array([positions.get(v.item() if hasattr(v, "item") else v, np.nan)
                                 for v in x], dtype=np.float64)
    return run


def _bin(step):
    p = step.get_params()
    learned = step.learns()
    edges = np.asarray(step.value("edges") if learned else p["bins"], dtype=np.float64)
    labels = step.value("labels") if learned else p["labels"]
    if labels is None:
        return None   # pandas' own interval texts (the lowest edge moved): not redone here
    labels = np.asarray(list(labels) + [None], dtype=object)   # [-1] for outside
    source, target = p["column"], p["new_column"] or p["column"]

    def run(cols):
        x = _float(cols, source)
        index = np.searchsorted(edges, x, side="left") - 1
        index[x == edges[0]] = 0                      # include_lowest
        index[(x < edges[0]) | (x > edges[-1]) | np.isnan(x)] = -1
        cols[target] = labels[index]
    return run


def _cast(step):
    p = step.get_params()
    if p["dtype"] not in ("float64", "Int64", "int64"):
        return None
    column = p["column"]

    def run(cols):
        x = cols[column]
        if x.dtype.kind == "O":
            x = np.array([_to_float(v, column, p["errors"] == "coerce") for v in x],
                         dtype=np.float64)
        x = x.astype(np.float64)
        if p["dtype"] != "float64":
            if p["dtype"] == "int64" and np.isnan(x).any():
                raise InvalidInput(msg("serve.recipe.missing_values", column=column),
                                   details={"column": column})
            x = np.where(np.isnan(x), np.nan, np.trunc(x))
        cols[column] = x
    return run


def _to_float(v, column, coerce):
    if v is None:
        return np.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        if coerce:   # errors="coerce": unparseable values become missing
            return np.nan
        raise InvalidInput(msg("serve.recipe.numeric", column=column, value=repr(v)),
                           details={"column": column}) from None


def _equal(x, value):
    """x == value elementwise; False where the types cannot be equal (text vs numbers)."""
    if x.dtype.kind == "f" and not isinstance(value, (int, float)):
        return np.zeros(len(x), dtype=bool)
    return np.asarray(x == value, dtype=bool)


_COMPILERS = {"impute": _impute, "standardize": _scale, "min_max_scale": _scale,
              "log_transform": _log, "one_hot": _one_hot, "ordinal_encode": _ordinal,
              "bin": _bin, "cast": _cast, "select_columns": select_columns,
              "drop_columns": drop_columns, "rename": rename_columns}


def _reads(step) -> list[str]:
    p = step.get_params()
    if step.type == "rename":
        return list(p["mapping"])
    if step.type == "derive":
        from ..recipes.expression import check_expression

        return list(check_expression(p["expression"]))
    out = p.get("columns") or ([p["column"]] if p.get("column") else [])
    return [out] if isinstance(out, str) else list(out or [])


def required_columns(recipe, features: list[str]) -> list[str]:
    """The raw columns a request must have: those the steps read before any step made
    them, and the model's features that no step makes (they pass through)."""
    made, dropped, need = set(), set(), []
    for step in recipe.steps:
        for c in _reads(step):
            if c not in made and c not in need:
                need.append(c)
        p = step.get_params()
        if step.type == "rename":
            made |= set(p["mapping"].values())
            dropped |= set(p["mapping"]) - set(p["mapping"].values())
        elif step.type in ("derive", "bin"):
            made.add(p.get("new_column") or p.get("column"))
        elif step.type == "one_hot":
            made |= {f for f in features for c in p["columns"] if f.startswith(f"{c}_")}
    for f in features:
        if f not in made and f not in need:
            need.append(f)
    return need


class FastRecipe:
    def __init__(self, runs, features):
        self._runs, self.features = runs, list(features)

    def transform(self, cols: dict):
        """{column: array} -> float64 (n, len(features)) in the model's order."""
        cols = dict(cols)
        for run in self._runs:
            run(cols)
        missing = [f for f in self.features if f not in cols]
        if missing:
            raise InvalidInput(msg("serve.recipe.not_made", missing=missing),
                               details={"missing": missing})
        n = len(next(iter(cols.values())))
        out = np.empty((n, len(self.features)), dtype=np.float64)
        for i, f in enumerate(self.features):
            out[:, i] = cols[f]
        return out


def compile_recipe(recipe, features) -> FastRecipe | None:
    """The numpy form of a fitted recipe, or None when a step has none here."""
    runs = []
    for step in recipe.steps:
        make = _COMPILERS.get(step.type)
        run = make(step) if make is not None else None
        if run is None:
            return None
        runs.append(run)
    return FastRecipe(runs, features)
