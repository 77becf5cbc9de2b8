"""Steps that remove, filter, reorder and sample rows.

Each step's ``_apply`` does, operation for operation, what its ``_code`` writes.
"""

from __future__ import annotations

import operator

from ._messages import msg
from .base import Param, Step
from .params import plain_scalar

__all__ = ["FILTER_OPS", "Deduplicate", "DropMissing", "FilterRows", "Sample", "Sort"]

FILTER_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "isnull", "notnull")
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


class DropMissing(Step):
    """Remove rows with missing values (in any of the columns, or only when all are missing)."""

    type = "drop_missing"
    params = (
        Param("columns", "columns", None, description="Columns to look at; empty for all."),
        Param("how", "enum", "any", choices=("any", "all"),
              description="'any': drop a row if one value is missing; 'all': if all are."),
    )

    def for_each_row(self):
        return False

    def _validate(self, df):
        if self._params["columns"] is not None:
            self.need_columns(df, self._params["columns"], "columns")

    def _apply(self, df):
        return df.dropna(subset=self._params["columns"], how=self._params["how"])

    def _code(self, var):
        columns, how = self._params["columns"], self._params["how"]
        subset = f"subset={columns!r}, " if columns is not None else ""
        return [f"{var} = {var}.dropna({subset}how={how!r})"]


class FilterRows(Step):
    """Keep the rows where a condition on one column holds.

    A missing value matches only isnull: it fails every other operator, != and not in too
    (plain pandas would keep NaN but not <NA> for !=; here every dtype behaves the same).
    """

    type = "filter_rows"
    params = (
        Param("column", "column", description="Column to test."),
        Param("op", "enum", choices=FILTER_OPS, description="Comparison."),
        Param("value", "any", None, description="Value to compare with (a list for in / "
              "not in; nothing for isnull / notnull).",
              schema={"type": ["number", "string", "boolean", "array", "null"],
                      "items": {"type": ["number", "string", "boolean", "null"]}}),
    )

    def for_each_row(self):
        return False

    def _check(self):
        op, value = self._params["op"], self._params["value"]
        if op in ("in", "not in"):
            try:
                self._params["value"] = Param("value", "scalars").check(value)
            except ValueError:
                raise self.error(msg("recipe.filter.value_list", op=op), "value") from None
            if None in value:
                raise self.error(msg("recipe.filter.null_in_list", op=op), "value")
        elif op in ("isnull", "notnull"):
            if value is not None:
                raise self.error(msg("recipe.filter.value_none", op=op), "value")
        elif value is None or not plain_scalar(value):
            raise self.error(msg("recipe.filter.value_scalar", op=op), "value")

    def _validate(self, df):
        from pandas.api import types

        column, op, value = (self._params[k] for k in ("column", "op", "value"))
        self.need_columns(df, column, "column")
        if op in ("isnull", "notnull"):
            return
        if op in ("in", "not in") and types.is_datetime64_any_dtype(df[column].dtype):
            raise self.error(msg("recipe.filter.datetime_in", op=op), "op")
        self.need_value_fits(df, column, value if isinstance(value, list) else [value], "value")

    def _apply(self, df):
        column, op, value = (self._params[k] for k in ("column", "op", "value"))
        series = df[column]
        if op == "!=":
            return df[(series != value) & series.notna()]
        if op in _COMPARE:
            return df[_COMPARE[op](series, value)]
        if op == "in":
            return df[series.isin(value)]
        if op == "not in":
            return df[~series.isin(value) & series.notna()]
        return df[series.isna() if op == "isnull" else series.notna()]

    def _code(self, var):
        column, op, value = (self._params[k] for k in ("column", "op", "value"))
        col = f"{var}[{column!r}]"
        condition = {"!=": f"({col} != {value!r}) & {col}.notna()",
                     "in": f"{col}.isin({value!r})",
                     "not in": f"~{col}.isin({value!r}) & {col}.notna()",
                     "isnull": f"{col}.isna()", "notnull": f"{col}.notna()"}.get(
                         op, f"{col} {op} {value!r}")
        return [f"{var} = {var}[{condition}]"]


class Sort(Step):
    """Sort rows by columns (stable; missing values last)."""

    type = "sort"
    params = (
        Param("columns", "columns", description="Columns to sort by, first one first."),
        Param("ascending", "any", True, description="true/false, or one per column.",
              schema={"type": ["boolean", "array"], "items": {"type": "boolean"}}),
    )

    def for_each_row(self):
        return False

    def _check(self):
        ascending, count = self._params["ascending"], len(self._params["columns"])
        ok = isinstance(ascending, bool) or (
            isinstance(ascending, list) and len(ascending) == count
            and all(isinstance(a, bool) for a in ascending))
        if not ok:
            raise self.error(msg("recipe.sort.ascending", count=count), "ascending")

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")

    def _apply(self, df):
        return df.sort_values(self._params["columns"], ascending=self._params["ascending"],
                              kind="stable")

    def _code(self, var):
        columns, ascending = self._params["columns"], self._params["ascending"]
        return [f"{var} = {var}.sort_values({columns!r}, ascending={ascending!r}, "
                "kind='stable')"]


class Deduplicate(Step):
    """Remove repeated rows (comparing all columns, or only the given ones)."""

    type = "deduplicate"
    params = (
        Param("columns", "columns", None, description="Columns that identify a row; empty "
              "for all."),
        Param("keep", "enum", "first", choices=("first", "last"),
              description="Which of the repeated rows to keep."),
    )

    def for_each_row(self):
        return False

    def _validate(self, df):
        if self._params["columns"] is not None:
            self.need_columns(df, self._params["columns"], "columns")

    def _apply(self, df):
        return df.drop_duplicates(subset=self._params["columns"], keep=self._params["keep"])

    def _code(self, var):
        columns, keep = self._params["columns"], self._params["keep"]
        subset = f"subset={columns!r}, " if columns is not None else ""
        return [f"{var} = {var}.drop_duplicates({subset}keep={keep!r})"]


class Sample(Step):
    """Keep a random sample of rows: n rows or a fraction; the seed makes it repeatable."""

    type = "sample"
    params = (
        Param("n", "int", None, minimum=1, description="Number of rows."),
        Param("frac", "number", None, description="Fraction of rows, above 0 and at most 1."),
        Param("random_state", "int", 0, minimum=0, description="Seed; the same seed picks "
              "the same rows."),
    )

    def for_each_row(self):
        return False

    def _check(self):
        n, frac = self._params["n"], self._params["frac"]
        if (n is None) == (frac is None):
            raise self.error(msg("recipe.sample.one_of"), "n")
        if frac is not None and not 0 < frac <= 1:
            raise self.error(msg("recipe.sample.frac", value=frac), "frac")

    def _validate(self, df):
        n = self._params["n"]
        if n is not None and n > len(df):
            raise self.error(msg("recipe.sample.too_many", rows=len(df), n=n), "n")

    def _apply(self, df):
        n, frac, seed = (self._params[k] for k in ("n", "frac", "random_state"))
        return df.sample(n=n, frac=frac, random_state=seed)

    def _code(self, var):
        n, frac, seed = (self._params[k] for k in ("n", "frac", "random_state"))
        size = f"n={n!r}" if n is not None else f"frac={frac!r}"
        return [f"{var} = {var}.sample({size}, random_state={seed!r})"]
