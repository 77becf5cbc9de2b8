"""Steps that fill, scale, transform and derive values.

Statistics (mean, median, most frequent value, std, min, max) are learned by ``fit`` from the
training frame and frozen: ``transform(new_df)`` fills and scales new rows with the training
values, and the exported code of a fitted recipe has them written in. An unfitted recipe's
``to_code()`` computes them from the frame it runs on, as ``apply`` does.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step, put_columns
from .expression import FUNCTIONS, ExpressionError, check_expression
from .learned import literal

__all__ = ["Derive", "Impute", "LogTransform", "MinMaxScale", "Standardize"]


_WHAT = {"mean": "the mean", "median": "the median", "most_frequent": "the most frequent value"}


class Impute(Step):
    """Fill missing values with the column's mean, median, most frequent value or a constant.

    mean, median and most_frequent are learned by fit (``learned = {"values": {column:
    value}}``); mean and median make the column float64; most_frequent takes the smallest of
    tied values. A column with no values to learn from is refused at fit.
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
            if strategy == "constant":
                self.need_value_fits(df, column, [value], "value")
            if (strategy == "constant" and isinstance(dtype, pd.CategoricalDtype)
                    and value not in dtype.categories):
                raise self.error(msg("recipe.impute.new_category", name=column, value=value,
                                     categories=", ".join(map(repr, dtype.categories))),
                                 "value")

    def learns(self):
        return self._params["strategy"] != "constant"

    def _fit(self, df):
        strategy, values = self._params["strategy"], {}
        for column in self._params["columns"] if self.learns() else ():
            series = df[column]
            if series.count() == 0:
                raise self.error(msg("recipe.column.all_missing", name=column,
                                     what=_WHAT[strategy]), "columns")
            if strategy in ("mean", "median"):
                if series.dtype != "float64":  # astype is slow even when it changes nothing
                    series = series.astype("float64")
                value = float(getattr(series, strategy)())
                if value != value or value in (float("inf"), float("-inf")):
                    raise self.error(msg("recipe.column.not_finite", name=column,
                                         what=f"the {strategy}"), "columns")
            else:
                value = series.mode().iloc[0]
            values[column] = value
        return {"values": values} if self.learns() else {}

    def _apply(self, df):
        import numpy as np

        strategy, columns = self._params["strategy"], self._params["columns"]
        if strategy in ("mean", "median"):  # one float64 frame: fast for many columns too
            sub = df[columns].astype("float64")
            values = np.array([self.value("values", c) for c in columns], dtype="float64")
            return put_columns(df, sub.where(sub.notna(), np.broadcast_to(values, sub.shape)))
        for column in columns:
            if strategy == "constant":
                df[column] = df[column].fillna(self._params["value"])
                continue
            df[column] = df[column].fillna(self.value("values", column))
        return df

    def _code(self, var):
        strategy, lines = self._params["strategy"], []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            if strategy != "constant" and self._learned is not None:
                if strategy in ("mean", "median"):
                    lines.append(f"{col} = {col}.astype('float64')")
                lines.append(f"{col} = {col}.fillna({literal(self.value('values', column))})")
            elif strategy in ("mean", "median"):
                lines += [f"{col} = {col}.astype('float64')",
                          f"{col} = {col}.fillna({col}.{strategy}())"]
            elif strategy == "most_frequent":
                lines.append(f"{col} = {col}.fillna({col}.mode().iloc[0])")
            else:
                lines.append(f"{col} = {col}.fillna({self._params['value']!r})")
        return lines


class _Numeric(Step):
    """Shared by the steps that transform numeric columns into float64.

    A scaler learns ``{column: {"center": c, "scale": s}}`` and computes (x - c) / s; its
    ``_stats(series)`` gives (center, scale, what) from the training column, a scale of 0
    becomes 1 (a constant column is only centered). All-missing or infinite training
    columns are refused at fit, so a scaler never writes inf or NaN silently.
    """

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")
        self.need_numeric(df, self._params["columns"], "columns")

    def _apply(self, df):
        import pandas as pd

        columns = self._params["columns"]
        if type(self)._fit is _Numeric._fit:  # a scaler: apply has fitted it (center, scale)
            sub = df[columns].astype("float64")  # one frame: fast for many columns too
            center = pd.Series({c: self.value(c, "center") for c in columns}, dtype="float64")
            scale = pd.Series({c: self.value(c, "scale") for c in columns}, dtype="float64")
            return put_columns(df, (sub - center) / scale)
        for column in columns:
            df[column] = self._transform(df[column].astype("float64"), column)
        return df

    def _code(self, var):
        lines = []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            lines += [f"{col} = {col}.astype('float64')", f"{col} = {self._formula(col, column)}"]
        return lines

    # scalers: center and scale learned per column
    def _fit(self, df):
        import math

        import numpy as np

        learned = {}
        for column, series in df[self._params["columns"]].astype("float64").items():
            with np.errstate(invalid="ignore"):  # inf - inf: refused below
                center, scale, what = self._stats(series)
            if series.count() == 0:
                raise self.error(msg("recipe.column.all_missing", name=column, what=what),
                                 "columns")
            if not (math.isfinite(center) and math.isfinite(scale)):
                raise self.error(msg("recipe.column.not_finite", name=column, what=what),
                                 "columns")
            learned[column] = {"center": float(center), "scale": float(scale) or 1.0}
        return learned

    def _formula(self, col, column):
        center, scale = self.value(column, "center"), self.value(column, "scale")
        return f"({col} - {literal(center)}) / {literal(scale)}"


class Standardize(_Numeric):
    """Center on the mean and divide by the standard deviation (population std, like
    scikit-learn's StandardScaler; a constant column is only centered).

    Learned: ``{column: {"center": mean, "scale": std}}`` from the training frame.
    """

    type = "standardize"
    params = (Param("columns", "columns", description="Numeric columns to standardize."),)

    def _stats(self, s):
        return s.mean(), s.std(ddof=0), "the mean and standard deviation"

    def _formula(self, col, column):
        if self._learned is None:
            return f"({col} - {col}.mean()) / ({col}.std(ddof=0) or 1.0)"
        return super()._formula(col, column)


class MinMaxScale(_Numeric):
    """Scale to [0, 1] with the column's minimum and maximum (a constant column becomes 0).

    Learned: ``{column: {"center": min, "scale": max - min}}``; new values outside the
    training range fall outside [0, 1].
    """

    type = "min_max_scale"
    params = (Param("columns", "columns", description="Numeric columns to scale."),)

    def _stats(self, s):
        return s.min(), s.max() - s.min(), "the minimum and maximum"

    def _formula(self, col, column):
        if self._learned is None:
            return f"({col} - {col}.min()) / (({col}.max() - {col}.min()) or 1.0)"
        return super()._formula(col, column)


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

    _fit = Step._fit  # learns nothing: the offset is a parameter

    def _transform(self, s, column):
        import numpy as np

        return np.log(s + self._params["offset"])

    def _formula(self, col, column):
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
