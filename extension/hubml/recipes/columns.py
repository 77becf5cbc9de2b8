"""Steps that choose, rename and retype columns.

Each step's ``_apply`` does, operation for operation, what its ``_code`` writes, so running
the exported code on the same frame gives an equal frame.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step

__all__ = ["CAST_DTYPES", "Cast", "DropColumns", "Rename", "SelectColumns"]

CAST_DTYPES = ("int64", "Int64", "float64", "string", "category", "bool", "boolean",
               "datetime64[ns]")
NUMERIC_CASTS = ("int64", "Int64", "float64")


class SelectColumns(Step):
    """Keep only the given columns, in the given order."""

    type = "select_columns"
    params = (Param("columns", "columns", description="Columns to keep, in this order."),)

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")

    def _apply(self, df):
        return df[self._params["columns"]]

    def _code(self, var):
        return [f"{var} = {var}[{self._params['columns']!r}]"]


class DropColumns(Step):
    """Remove the given columns."""

    type = "drop_columns"
    params = (Param("columns", "columns", description="Columns to remove."),)

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")

    def _apply(self, df):
        return df.drop(columns=self._params["columns"])

    def _code(self, var):
        return [f"{var} = {var}.drop(columns={self._params['columns']!r})"]


class Rename(Step):
    """Rename columns: mapping {old name: new name}."""

    type = "rename"
    params = (Param("mapping", "mapping", description="Old column name -> new name."),)

    def _check(self):
        if not self._params["mapping"]:
            raise self.error(msg("recipe.param.empty"), "mapping")

    def _validate(self, df):
        mapping = self._params["mapping"]
        self.need_columns(df, list(mapping), "mapping")
        seen = set()
        for name in (mapping.get(c, c) for c in df.columns):
            if name in seen:
                raise self.error(msg("recipe.rename.clash", name=name), "mapping")
            seen.add(name)

    def _apply(self, df):
        return df.rename(columns=self._params["mapping"])

    def _code(self, var):
        return [f"{var} = {var}.rename(columns={self._params['mapping']!r})"]


class Cast(Step):
    """Change a column's type; errors='coerce' turns unparseable numbers and dates into missing."""

    type = "cast"
    params = (
        Param("column", "column", description="Column to convert."),
        Param("dtype", "enum", choices=CAST_DTYPES, description="Target type (Int64 and "
              "boolean keep missing values; int64 and bool cannot hold them)."),
        Param("errors", "enum", "raise", choices=("raise", "coerce"),
              description="For numbers and dates: 'coerce' makes unparseable values missing."),
        Param("format", "string", None, description="For dates: a strftime format such as "
              "'%d/%m/%Y'; empty to infer it."),
    )

    def _check(self):
        if self._params["format"] is not None and self._params["dtype"] != "datetime64[ns]":
            raise self.error(msg("recipe.cast.format"), "format")

    def _validate(self, df):
        from pandas.api.types import infer_dtype

        column, dtype = self._params["column"], self._params["dtype"]
        self.need_columns(df, column, "column")
        if dtype in ("bool", "boolean") and infer_dtype(df[column], skipna=True) in (
                "string", "mixed"):  # astype(bool) makes every non-empty text True
            raise self.error(msg("recipe.cast.text_to_bool", name=column), "dtype")
        if dtype in ("int64", "bool"):
            missing = int(df[column].isna().sum())
            if missing:
                raise self.error(msg("recipe.column.has_missing", name=column, count=missing,
                                     dtype=dtype,
                                     instead="Int64" if dtype == "int64" else "boolean"),
                                 "dtype")

    def _convert(self, series):
        import pandas as pd

        dtype, errors = self._params["dtype"], self._params["errors"]
        if dtype == "datetime64[ns]":
            return pd.to_datetime(series, errors=errors,
                                  format=self._params["format"]).astype(dtype)
        if dtype in NUMERIC_CASTS and errors == "coerce":
            return pd.to_numeric(series, errors="coerce").astype(dtype)
        return series.astype(dtype)

    def _apply(self, df):
        column = self._params["column"]
        try:
            df[column] = self._convert(df[column])
        except (TypeError, ValueError) as exc:
            hint = msg("recipe.cast.hint_coerce" if self._params["errors"] == "raise"
                       else "recipe.cast.hint_type")
            raise self.error(msg("recipe.cast.failed", name=column, dtype=self._params["dtype"],
                                 problem=exc, hint=hint), "dtype") from exc
        return df

    def _code(self, var):
        column, dtype, errors = (self._params[k] for k in ("column", "dtype", "errors"))
        src = f"{var}[{column!r}]"
        if dtype == "datetime64[ns]":
            fmt = self._params["format"]
            extra = f", format={fmt!r}" if fmt is not None else ""
            value = f"pd.to_datetime({src}, errors={errors!r}{extra}).astype({dtype!r})"
        elif dtype in NUMERIC_CASTS and errors == "coerce":
            value = f"pd.to_numeric({src}, errors='coerce').astype({dtype!r})"
        else:
            value = f"{src}.astype({dtype!r})"
        return [f"{src} = {value}"]
