"""The column steps of a recipe (select, drop, rename), compiled for serving.

They only move names around in a dict of column -> values, so the numpy form
(``recipe_fast``, arrays) and the plain-Python row form (``recipe_row``, one value each)
share them.
"""

from __future__ import annotations

__all__ = ["drop_columns", "rename_columns", "select_columns"]


def select_columns(step):
    columns = step.get_params()["columns"]

    def run(cols):
        kept = {c: cols[c] for c in columns}
        cols.clear()
        cols.update(kept)
    return run


def drop_columns(step):
    columns = step.get_params()["columns"]

    def run(cols):
        for c in columns:
            cols.pop(c, None)
    return run


def rename_columns(step):
    mapping = step.get_params()["mapping"]

    def run(cols):
        renamed = {mapping.get(c, c): v for c, v in cols.items()}
        cols.clear()
        cols.update(renamed)
    return run
