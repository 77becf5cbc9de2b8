"""Arrow tables from the text readers, typed the way pandas users expect.

Deliberate choices (pyarrow's inference differs from pandas' read_csv in a few places):
- integers with missing values stay int64 with nulls in the Parquet file (exact, and what other
  tools expect); pandas reads them as float64, as read_csv gives them, and the schema says so;
- a column with no values at all is float64 (all NaN), as in pandas, not Arrow's null type;
- ISO dates and timestamps become datetime64[us] (pandas' own unit for parsed strings; Parquet
  has no seconds, and dates as datetime64 are what pandas code works with), where read_csv
  would leave strings; other date spellings (01/02/2026) stay strings, nothing is guessed;
- empty and repeated header names are renamed as pandas does ("Unnamed: 3", "price.1").
"""

from __future__ import annotations

__all__ = ["pandas_like", "pandas_names"]


def pandas_names(names: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        name = name if name != "" else f"Unnamed: {i}"
        candidate, k = name, 0
        while candidate in seen:
            k += 1
            candidate = f"{name}.{k}"
        seen.add(candidate)
        out.append(candidate)
    return out


def pandas_like(table, rename: bool = True):
    """``table`` with the column types above; a cast copies only the columns it changes."""
    import pyarrow as pa

    columns = []
    for column in table.columns:
        kind = column.type
        if pa.types.is_null(kind) and len(column):
            column = column.cast(pa.float64())
        elif pa.types.is_date32(kind) or pa.types.is_date64(kind):
            column = column.cast(pa.timestamp("us"))
        elif pa.types.is_timestamp(kind) and kind.unit in ("s", "ms"):
            column = column.cast(pa.timestamp("us", tz=kind.tz))
        columns.append(column)
    names = pandas_names(table.column_names) if rename else table.column_names
    return pa.table(columns, names=names)
