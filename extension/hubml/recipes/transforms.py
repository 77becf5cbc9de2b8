"""Steps that fill, scale, transform and derive values.

Statistics (mean, median, most frequent value, std, min, max) are computed from the frame
the step is applied to, in ``apply`` and in the exported code alike, so that
``exec(recipe.to_code())`` equals ``recipe.apply(df)`` on any frame. Applying the recipe to
new data recomputes them from that data.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step
from .expression import FUNCTIONS, ExpressionError, check_expression

__all__ = ["Derive", "Impute", "LogTransform", "MinMaxScale", "Standardize"]


class Impute(Step):
    """Fill missing values with the column's mean, median, most frequent value or a constant.

    mean and median are computed from the data the recipe is applied to, and make the
    column float64; most_frequent takes the smallest of tied values.
    """

    type = "impute"
    params = (
        Param("columns", "columns", description="Columns to fill."),
        Param("strategy", "enum", choices=("mean", "median", "most_frequent", "constant"),
              description="What to fill with."),
        Param("value", "scalar", None, description="The constant (strategy 'constant' only)."),
    )

    def _check(self):
        strategy, value = self._params["strategy"], self._params["value"]
        if strategy == "constant" and value is None:
            raise self.error(msg("recipe.impute.value_needed"), "value")
        if strategy != "constant" and value is not None:
            raise self.error(msg("recipe.impute.value_unused"), "value")

    def _validate(self, df):
        import pandas as pd

        columns, strategy, value = (self._params[k] for k in ("columns", "strategy", "value"))
        self.need_columns(df, columns, "columns")
        if strategy in ("mean", "median"):
            self.need_numeric(df, columns, "columns")
        for column in columns:
            dtype = df[column].dtype
            if strategy == "most_frequent" and df[column].notna().sum() == 0:
                raise self.error(msg("recipe.column.all_missing", name=column,
                                     what="the most frequent value"), "columns")
            if strategy == "constant":
                self.need_value_fits(df, column, [value], "value")
            if (strategy == "constant" and isinstance(dtype, pd.CategoricalDtype)
                    and value not in dtype.categories):
                raise self.error(msg("recipe.impute.new_category", name=column, value=value,
                                     categories=", ".join(map(repr, dtype.categories))),
                                 "value")

    def _apply(self, df):
        strategy = self._params["strategy"]
        for column in self._params["columns"]:
            if strategy in ("mean", "median"):
                df[column] = df[column].astype("float64")
                df[column] = df[column].fillna(getattr(df[column], strategy)())
            elif strategy == "most_frequent":
                df[column] = df[column].fillna(df[column].mode().iloc[0])
            else:
                df[column] = df[column].fillna(self._params["value"])
        return df

    def _code(self, var):
        strategy, lines = self._params["strategy"], []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            if strategy in ("mean", "median"):
                lines += [f"{col} = {col}.astype('float64')",
                          f"{col} = {col}.fillna({col}.{strategy}())"]
            elif strategy == "most_frequent":
                lines.append(f"{col} = {col}.fillna({col}.mode().iloc[0])")
            else:
                lines.append(f"{col} = {col}.fillna({self._params['value']!r})")
        return lines


class _Numeric(Step):
    """Shared by the steps that transform numeric columns into float64."""

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")
        self.need_numeric(df, self._params["columns"], "columns")

    def _apply(self, df):
        for column in self._params["columns"]:
            df[column] = self._transform(df[column].astype("float64"))
        return df

    def _code(self, var):
        lines = []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            lines += [f"{col} = {col}.astype('float64')", f"{col} = {self._formula(col)}"]
        return lines


class Standardize(_Numeric):
    """Center on the mean and divide by the standard deviation (population std, like
    scikit-learn's StandardScaler; a constant column is only centered)."""

    type = "standardize"
    params = (Param("columns", "columns", description="Numeric columns to standardize."),)

    def _transform(self, s):
        return (s - s.mean()) / (s.std(ddof=0) or 1.0)

    def _formula(self, col):
        return f"({col} - {col}.mean()) / ({col}.std(ddof=0) or 1.0)"


class MinMaxScale(_Numeric):
    """Scale to [0, 1] with the column's minimum and maximum (a constant column becomes 0)."""

    type = "min_max_scale"
    params = (Param("columns", "columns", description="Numeric columns to scale."),)

    def _transform(self, s):
        return (s - s.min()) / ((s.max() - s.min()) or 1.0)

    def _formula(self, col):
        return f"({col} - {col}.min()) / (({col}.max() - {col}.min()) or 1.0)"


class LogTransform(_Numeric):
    """Natural logarithm of (value + offset)."""

    type = "log_transform"
    imports = ("pandas", "numpy")
    params = (
        Param("columns", "columns", description="Numeric columns to transform."),
        Param("offset", "number", 1, description="Added before the logarithm; every value "
              "plus offset must be above 0."),
    )

    def _validate(self, df):
        super()._validate(df)
        offset = self._params["offset"]
        for column in self._params["columns"]:
            low = df[column].astype("float64").min()
            if low + offset <= 0:  # False when the column is all missing (NaN)
                raise self.error(msg("recipe.log.nonpositive", name=column, low=low,
                                     offset=offset, need=-low), "offset")

    def _transform(self, s):
        import numpy as np

        return np.log(s + self._params["offset"])

    def _formula(self, col):
        return f"np.log({col} + {self._params['offset']!r})"


class Derive(Step):
    """A new (or replaced) column computed from others by a safe DataFrame.eval expression.

    Allowed: column names (`in backticks` when they have spaces), numbers, + - * / // % **,
    comparisons, & | ~ and or not, strings in comparisons, and the functions abs, sqrt, exp,
    log, log10, log1p, expm1, floor, ceil.
    """

    type = "derive"
    params = (
        Param("new_column", "column", description="Name of the column to create or replace."),
        Param("expression", "string", description="For example: price * quantity, "
              "log(income + 1), age >= 18. Functions: " + ", ".join(FUNCTIONS) + "."),
    )

    def _check(self):
        try:
            check_expression(self._params["expression"])
        except ExpressionError as exc:
            raise self.error(str(exc), "expression") from None

    def _validate(self, df):
        self.need_columns(df, check_expression(self._params["expression"]), "expression")

    def _apply(self, df):
        df[self._params["new_column"]] = df.eval(self._params["expression"], engine="python")
        return df

    def _code(self, var):
        new, expression = self._params["new_column"], self._params["expression"]
        return [f"{var}[{new!r}] = {var}.eval({expression!r}, engine='python')"]
