"""Steps that encode values: one-hot columns, ordinal codes, bins.

The categories of one_hot, of ordinal_encode without categories, and the edges of a bin
count are learned by ``fit`` and frozen, so new rows get the columns and codes of the
training rows. At transform time, a value not seen at fit gives all zeros in one_hot
(``handle_unknown="ignore"``, the default) or a RecipeError (``"error"``), <NA> in
ordinal_encode, and <NA> (outside every interval) in bin. The exported code of an unfitted
recipe takes them from the frame it runs on.
"""

from __future__ import annotations

from ._messages import msg
from .base import Param, Step
from .learned import literal

__all__ = ["MAX_ONE_HOT", "Bin", "OneHot", "OrdinalEncode"]

MAX_ONE_HOT = 1000  # distinct values per column; more is almost surely an identifier


class OneHot(Step):
    """Replace each column by one 0/1 column per value (pd.get_dummies, integer columns).

    A missing value gives 0 in every new column; a categorical column gets one column per
    category, used or not. Learned: ``{"categories": {column: [values]}}``; a value not seen
    at fit gives 0 in every column (``handle_unknown="ignore"``) or is refused ("error").
    """

    type = "one_hot"
    params = (
        Param("columns", "columns", description="Columns to encode."),
        Param("drop_first", "bool", False, description="Leave out the first value's column "
              "(for linear models)."),
        Param("handle_unknown", "enum", "ignore", choices=("ignore", "error"),
              description="A value not seen at fit: 'ignore' gives 0 in every column, "
              "'error' refuses the data."),
    )

    def _values(self, df, column) -> list:
        import pandas as pd

        if self._learned is not None:
            return self.value("categories", column)
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
        return values

    def _validate(self, df):
        columns = self._params["columns"]
        self.need_columns(df, columns, "columns")
        kept = set(df.columns) - set(columns)
        for column in columns:
            for value in self._values(df, column):
                if f"{column}_{value}" in kept:
                    raise self.error(msg("recipe.one_hot.clash", name=column,
                                         new=f"{column}_{value}"), "columns")
            if self._learned is not None and self._params["handle_unknown"] == "error":
                known = self.value("categories", column)
                unknown = df[column][df[column].notna() & ~df[column].isin(known)]
                if len(unknown):
                    shown = ", ".join(map(repr, list(dict.fromkeys(unknown.tolist()))[:5]))
                    raise self.error(msg("recipe.unknown_values", name=column, values=shown),
                                     "handle_unknown")

    def _fit(self, df):
        # what get_dummies takes: a categorical's categories, else the sorted distinct values
        categories = {}
        for column in self._params["columns"]:
            self._values(df, column)  # the size check
            categories[column] = list(df[column].astype("category").cat.categories)
        return {"categories": categories}

    def _apply(self, df):
        import pandas as pd

        columns = self._params["columns"]
        if self._learned is not None:
            for column in columns:
                df[column] = pd.Categorical(df[column],
                                            categories=self.value("categories", column))
        return pd.get_dummies(df, columns=columns, drop_first=self._params["drop_first"],
                              dtype=int)

    def _code(self, var):
        columns, drop_first = self._params["columns"], self._params["drop_first"]
        lines = []
        for column in columns if self._learned is not None else ():
            col, known = f"{var}[{column!r}]", literal(self.value("categories", column))
            if self._params["handle_unknown"] == "error":
                text = f"column {column!r} has values not seen at fit"
                lines.append(f"if ({col}.notna() & ~{col}.isin({known})).any():\n"
                             f"    raise ValueError({text!r})")
            lines.append(f"{col} = pd.Categorical({col}, categories={known})")
        return [*lines, f"{var} = pd.get_dummies({var}, columns={columns!r}, "
                        f"drop_first={drop_first!r}, dtype=int)"]


class OrdinalEncode(Step):
    """Replace a column's values by their position 0, 1, 2, ... (Int64; missing or unknown
    values become <NA>).

    Without categories the order is the column's categories if it is categorical, else its
    sorted distinct values, learned at fit (``{"categories": [...]}``); a value not seen at
    fit becomes <NA>.
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

    def learns(self):
        return self._params["categories"] is None

    def _fit(self, df):
        if not self.learns():
            return {}
        return {"categories": list(df[self._params["column"]].astype("category")
                                   .cat.categories)}

    def _categories(self):
        categories = self._params["categories"]
        if categories is None and self._learned is not None:
            return self.value("categories")
        return categories

    def _apply(self, df):
        import pandas as pd

        column, categories = self._params["column"], self._categories()
        if categories is None:
            codes = df[column].astype("category").cat.codes
            df[column] = codes.astype("Int64").replace(-1, pd.NA)
        else:
            positions = {value: position for position, value in enumerate(categories)}
            df[column] = df[column].map(positions).astype("Int64")
        return df

    def _code(self, var):
        column, categories = self._params["column"], self._categories()
        col = f"{var}[{column!r}]"
        if categories is None:
            return [f"{col} = {col}.astype('category').cat.codes.astype('Int64')"
                    ".replace(-1, pd.NA)"]
        positions = {value: position for position, value in enumerate(categories)}
        return [f"{col} = {col}.map({literal(positions)}).astype('Int64')"]


_INTERVAL_TEXT = "lambda b: f'({b.left:.10g}, {b.right:.10g}]'"


def _interval_text(b) -> str:  # what _INTERVAL_TEXT does
    return f"({b.left:.10g}, {b.right:.10g}]"


class Bin(Step):
    """Cut a numeric column into intervals: a number of equal-width bins or explicit edges
    (the lowest edge is included); the result is an ordered categorical.

    Without labels the categories are the intervals as text, such as "(27.977, 35.667]", so
    the result can be saved as a dataset (Parquet and SQL cannot store pandas intervals).
    A number of bins learns its edges (and interval texts) at fit: ``{"edges": [...],
    "labels": [...]}``; new values outside the training range become <NA>.
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

    def learns(self):
        return isinstance(self._params["bins"], int)

    def _fit(self, df):
        import pandas as pd

        if not self.learns():
            return {}
        column, labels = self._params["column"], self._params["labels"]
        if df[column].notna().sum() == 0:
            raise self.error(msg("recipe.column.all_missing", name=column, what="bin edges"),
                             "column")
        binned, edges = pd.cut(df[column], bins=self._params["bins"], labels=labels,
                               include_lowest=True, retbins=True)
        if labels is None:
            labels = [_interval_text(b) for b in binned.cat.categories]
        return {"edges": [float(e) for e in edges], "labels": labels}

    def _apply(self, df):
        import pandas as pd

        column, bins, labels, new = (self._params[k] for k in
                                     ("column", "bins", "labels", "new_column"))
        if self.learns() and self._learned is not None:
            df[new or column] = pd.cut(df[column], bins=self.value("edges"),
                                       labels=self.value("labels"), include_lowest=True)
            return df
        binned = pd.cut(df[column], bins=bins, labels=labels, include_lowest=True)
        df[new or column] = binned.cat.rename_categories(_interval_text) if labels is None \
            else binned
        return df

    def _code(self, var):
        column, bins, labels, new = (self._params[k] for k in
                                     ("column", "bins", "labels", "new_column"))
        target = f"{var}[{(new or column)!r}]"
        if self.learns() and self._learned is not None:
            return [f"{target} = pd.cut({var}[{column!r}], bins={literal(self.value('edges'))}, "
                    f"labels={literal(self.value('labels'))}, include_lowest=True)"]
        if labels is None:
            return [f"{target} = pd.cut({var}[{column!r}], bins={bins!r}, include_lowest=True)"
                    f".cat.rename_categories({_INTERVAL_TEXT})"]
        return [f"{target} = pd.cut({var}[{column!r}], bins={bins!r}, labels={labels!r}, "
                "include_lowest=True)"]
