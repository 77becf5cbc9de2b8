"""Target-free encodings by how often a value occurs: count encoding (occurrences in the
training rows) and frequency encoding (occurrences / training rows). The maps are learned by
``fit``; a value not seen at fit gets 0, a missing value stays missing."""

from __future__ import annotations

from .base import Param, Step
from .learned import literal

__all__ = ["CountEncode", "FrequencyEncode"]


class _Counted(Step):
    """Shared: learned ``{column: {"values": [...], "counts": [...]}}`` (parallel lists: JSON
    object keys are text, values may be numbers or dates)."""

    def _validate(self, df):
        self.need_columns(df, self._params["columns"], "columns")

    def _fit(self, df):
        learned = {}
        for column in self._params["columns"]:
            counts = df[column].value_counts(sort=False, dropna=True)
            counts = counts[counts > 0]
            learned[column] = {"values": list(counts.index), "counts": counts.tolist(),
                               "rows": len(df)}
        return learned

    def _map(self, column) -> dict:
        values, counts = self.value(column, "values"), self.value(column, "counts")
        if self.type == "frequency_encode":
            rows = self.value(column, "rows")
            counts = [count / rows for count in counts]
        return dict(zip(values, counts, strict=True))

    def _apply(self, df):
        dtype = self._dtype
        for column in self._params["columns"]:
            s = df[column]
            df[column] = s.map(self._map(column)).astype(dtype).fillna(0).where(s.notna())
        return df

    def _code(self, var):
        dtype, lines = self._dtype, []
        for column in self._params["columns"]:
            col = f"{var}[{column!r}]"
            if self._learned is None:
                counts = f"{col}.value_counts()"
                mapping = counts if dtype == "Int64" else f"{counts} / len({var})"
            else:
                mapping = literal(self._map(column))
            lines.append(f"{col} = {col}.map({mapping}).astype({dtype!r}).fillna(0)"
                         f".where({col}.notna())")
        return lines


class CountEncode(_Counted):
    """Replace each value by how many training rows have it (Int64): a value not seen at fit
    gives 0, a missing value stays missing. Needs no target column."""

    type = "count_encode"
    _dtype = "Int64"
    params = (Param("columns", "columns", description="Columns to encode."),)


class FrequencyEncode(_Counted):
    """Replace each value by its share of the training rows (float64, 0 to 1): a value not
    seen at fit gives 0, a missing value stays missing. Needs no target column."""

    type = "frequency_encode"
    _dtype = "float64"
    params = (Param("columns", "columns", description="Columns to encode."),)
