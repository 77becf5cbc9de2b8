"""Schemas and column statistics of a DataFrame, computed once at save.

The schema keeps pandas dtypes as strings (``Int64``, ``category``, ``datetime64[ns, UTC]``,
...) so a load can restore them exactly; statistics are computed with pyarrow on the table
that is written anyway, which keeps saving close to plain ``to_parquet``.
"""

from __future__ import annotations

__all__ = ["capture_schema", "column_statistics", "pandas_dtypes", "restore_dtypes"]


def pandas_dtypes(table) -> list[tuple[str, object]]:
    """(name, dtype) that ``table.to_pandas()`` (and so ``pd.read_parquet`` of it) gives, without
    converting the data: each column's type from an empty slice, except where nulls change it
    (integers with nulls become float64, booleans with nulls object, as pandas does)."""
    import numpy as np
    import pyarrow as pa

    out = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if column.null_count and pa.types.is_integer(kind):
            dtype = np.dtype("float64")
        elif column.null_count and pa.types.is_boolean(kind):
            dtype = np.dtype("object")
        else:
            dtype = pa.table({name: column.slice(0, 0)}).to_pandas()[name].dtype
        out.append((str(name), dtype))
    return out


def capture_schema(df) -> list[dict]:
    """Column names and pandas dtypes of a DataFrame or of a pyarrow Table as pandas reads it."""
    cols = []
    dtypes = df.dtypes.items() if hasattr(df, "dtypes") else pandas_dtypes(df)
    for name, dtype in dtypes:
        entry = {"name": str(name), "dtype": str(dtype)}
        if str(dtype) == "category":
            entry["categories"] = [_plain(c) for c in dtype.categories]
            entry["ordered"] = bool(dtype.ordered)
        cols.append(entry)
    return cols


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)


def restore_dtypes(df, schema: list[dict]):
    """Cast columns back to the saved dtypes where the storage format lost them."""
    import pandas as pd

    for col in schema:
        name, want = col["name"], col["dtype"]
        if name not in df.columns or str(df[name].dtype) == want:
            continue
        if want == "category":
            dtype = pd.CategoricalDtype(col.get("categories"), ordered=col.get("ordered", False))
            df[name] = df[name].astype(dtype)
        elif want.startswith("datetime64") and "," in want:
            series = pd.to_datetime(df[name], utc=True)  # naive values are UTC (see sql.py)
            df[name] = series.dt.tz_convert(want.split(",", 1)[1].strip(" ]")).astype(want)
        elif want.startswith("timedelta64") and pd.api.types.is_integer_dtype(df[name].dtype):
            unit = want[len("timedelta64["):-1]
            df[name] = pd.to_timedelta(df[name].astype("Int64"), unit=unit).astype(want)
        else:
            df[name] = df[name].astype(want)
    return df


def column_statistics(table) -> dict:
    """Per column: missing, distinct, and min/max/mean/std where they make sense."""
    import pyarrow as pa
    import pyarrow.compute as pc

    stats = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        entry = {"missing": column.null_count}
        if pa.types.is_dictionary(kind):
            column = column.cast(kind.value_type) if len(column) else column
            kind = column.type
        # distinct counts tell about categories; for continuous numbers and timestamps they
        # cost a hash table of every value and say little, so they are left out
        minmax = pc.min_max(column) if pa.types.is_integer(kind) else None
        if not (pa.types.is_floating(kind) or pa.types.is_temporal(kind)):
            dense = _dense_distinct(column, minmax) if minmax is not None else None
            try:
                entry["distinct"] = dense if dense is not None else \
                    pc.count_distinct(column).as_py()
            except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
                pass
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            minmax = minmax if minmax is not None else pc.min_max(column)
            entry.update(min=minmax["min"].as_py(), max=minmax["max"].as_py(),
                         mean=pc.mean(column).as_py(), std=pc.stddev(column, ddof=1).as_py())
        elif pa.types.is_temporal(kind) or pa.types.is_string(kind) or \
                pa.types.is_large_string(kind) or pa.types.is_boolean(kind):
            try:
                minmax = pc.min_max(column)
                entry.update(min=_json(minmax["min"].as_py()), max=_json(minmax["max"].as_py()))
            except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
                pass
        stats[name] = entry
    return stats


def _dense_distinct(column, minmax) -> int | None:
    """Distinct integers counted in a table of seen flags over min..max, when that range is at
    most twice the rows: ids 1..n cost n bytes and one pass, not a hash table of n entries
    (~55 bytes each) that count_distinct builds. None when the range is wider."""
    import numpy as np

    low, high = minmax["min"].as_py(), minmax["max"].as_py()
    if low is None:
        return 0
    if high - low + 1 > max(2 * len(column), 1 << 16):
        return None
    seen = np.zeros(high - low + 1, dtype=bool)
    for chunk in column.chunks:
        values = chunk.drop_null().to_numpy(zero_copy_only=False)
        seen[values - low] = True  # values - low: one chunk's temporary, not the column's
    return int(np.count_nonzero(seen))


def _json(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
