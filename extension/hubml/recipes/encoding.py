"""Steps that encode values: one-hot columns, ordinal codes, bins.

The categories of one_hot, of ordinal_encode without categories, and the edges of a bin
count are taken from the frame the step is applied to (in ``apply`` and in the exported
code alike). To keep them fixed for new data, give categories or bin edges explicitly.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step

__all__ = ["MAX_ONE_HOT", "Bin", "OneHot", "OrdinalEncode"]

MAX_ONE_HOT = 1000  # distinct values per column; more is almost surely an identifier


class OneHot(Step):
    """Replace each column by one 0/1 column per value (pd.get_dummies, integer columns).

    A missing value gives 0 in every new column; a categorical column gets one column per
    category, used or not.
    """

    type = "one_hot"
    params = (
        Param("columns", "columns", description="Columns to encode."),
        Param("drop_first", "bool", False, description="Leave out the first value's column "
              "(for linear models)."),
    )

    def _validate(self, df):
        import pandas as pd

        columns = self._params["columns"]
        self.need_columns(df, columns, "columns")
        kept = set(df.columns) - set(columns)
        for column in columns:
            series = df[column]
            if isinstance(series.dtype, pd.CategoricalDtype):
                values = list(series.cat.categories)
            else:
                values = list(series.dropna().unique()[:MAX_ONE_HOT + 1])
            if len(values) > MAX_ONE_HOT:
                count = len(values) if isinstance(series.dtype, pd.CategoricalDtype) \
                    else series.nunique()
                raise self.error(msg("recipe.column.too_many_values", name=column, count=count,
                                     limit=MAX_ONE_HOT), "columns")
            for value in values:
                if f"{column}_{value}" in kept:
                    raise self.error(msg("recipe.one_hot.clash", name=column,
                                         new=f"{column}_{value}"), "columns")

    def _apply(self, df):
        import pandas as pd

        return pd.get_dummies(df, columns=self._params["columns"],
                              drop_first=self._params["drop_first"], dtype=int)

    def _code(self, var):
        columns, drop_first = self._params["columns"], self._params["drop_first"]
        return [f"{var} = pd.get_dummies({var}, columns={columns!r}, "
                f"drop_first={drop_first!r}, dtype=int)"]


class OrdinalEncode(Step):
    """Replace a column's values by their position 0, 1, 2, ... (Int64; missing or unknown
    values become <NA>).

    Without categories the order is the column's categories if it is categorical, else its
    sorted distinct values.
    """

    type = "ordinal_encode"
    params = (
        Param("column", "column", description="Column to encode."),
        Param("categories", "scalars", None, description="The values in order; empty to "
              "take them from the data."),
    )

    def _check(self):
        seen: dict = {}
        for value in self._params["categories"] or []:
            if value in seen:  # 1, 1.0 and True are one key
                raise self.error(msg("recipe.param.duplicates", value=value), "categories")
            seen[value] = True

    def _validate(self, df):
        self.need_columns(df, self._params["column"], "column")

    def _apply(self, df):
        import pandas as pd

        column, categories = self._params["column"], self._params["categories"]
        if categories is None:
            codes = df[column].astype("category").cat.codes
            df[column] = codes.astype("Int64").replace(-1, pd.NA)
        else:
            positions = {value: position for position, value in enumerate(categories)}
            df[column] = df[column].map(positions).astype("Int64")
        return df

    def _code(self, var):
        column, categories = self._params["column"], self._params["categories"]
        col = f"{var}[{column!r}]"
        if categories is None:
            return [f"{col} = {col}.astype('category').cat.codes.astype('Int64')"
                    ".replace(-1, pd.NA)"]
        positions = {value: position for position, value in enumerate(categories)}
        return [f"{col} = {col}.map({positions!r}).astype('Int64')"]


_INTERVAL_TEXT = "lambda b: f'({b.left:.10g}, {b.right:.10g}]'"


def _interval_text(b) -> str:  # what _INTERVAL_TEXT does
    return f"({b.left:.10g}, {b.right:.10g}]"


class Bin(Step):
    """Cut a numeric column into intervals: a number of equal-width bins or explicit edges
    (the lowest edge is included); the result is an ordered categorical.

    Without labels the categories are the intervals as text, such as "(27.977, 35.667]", so
    the result can be saved as a dataset (Parquet and SQL cannot store pandas intervals).
    """

    type = "bin"
    params = (
        Param("column", "column", description="Numeric column to bin."),
        Param("bins", "any", description="Number of equal-width bins, or the edges in "
              "increasing order.",
              schema={"anyOf": [{"type": "integer", "minimum": 1},
                                {"type": "array", "items": {"type": "number"}, "minItems": 2}]}),
        Param("labels", "scalars", None, description="One label per bin; empty for the "
              "intervals as text."),
        Param("new_column", "column", None, description="Name of the result; empty to "
              "replace the column."),
    )

    def _check(self):
        bins, labels = self._params["bins"], self._params["labels"]
        if isinstance(bins, bool) or not isinstance(bins, (int, list)):
            raise self.error(msg("recipe.param.type", expected="an integer or a list of edges",
                                 got=type(bins).__name__), "bins")
        if isinstance(bins, int):
            if bins < 1:
                raise self.error(msg("recipe.param.minimum", minimum=1, value=bins), "bins")
            count = bins
        else:
            try:
                Param("bins", "scalars").check(bins)
            except ValueError:
                raise self.error(msg("recipe.bin.edges"), "bins") from None
            numbers = all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bins)
            if not numbers or len(bins) < 2 or any(
                    a >= b for a, b in zip(bins[:-1], bins[1:], strict=True)):
                raise self.error(msg("recipe.bin.edges"), "bins")
            count = len(bins) - 1
        if labels is not None and len(labels) != count:
            raise self.error(msg("recipe.bin.labels", count=count, got=len(labels)), "labels")

    def _validate(self, df):
        self.need_columns(df, self._params["column"], "column")
        self.need_numeric(df, self._params["column"], "column")

    def _apply(self, df):
        import pandas as pd

        column, bins, labels, new = (self._params[k] for k in
                                     ("column", "bins", "labels", "new_column"))
        binned = pd.cut(df[column], bins=bins, labels=labels, include_lowest=True)
        df[new or column] = binned.cat.rename_categories(_interval_text) if labels is None \
            else binned
        return df

    def _code(self, var):
        column, bins, labels, new = (self._params[k] for k in
                                     ("column", "bins", "labels", "new_column"))
        target = f"{var}[{(new or column)!r}]"
        if labels is None:
            return [f"{target} = pd.cut({var}[{column!r}], bins={bins!r}, include_lowest=True)"
                    f".cat.rename_categories({_INTERVAL_TEXT})"]
        return [f"{target} = pd.cut({var}[{column!r}], bins={bins!r}, labels={labels!r}, "
                "include_lowest=True)"]
