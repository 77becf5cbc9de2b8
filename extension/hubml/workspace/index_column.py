"""The unnamed row-number column that R's write.csv and pandas' to_csv put first.

Its header is empty (``"",x,y``; named ``Unnamed: 0`` on import, as pandas does) or already
``Unnamed: 0`` (a file read with pandas and written again). When it holds just the row numbers
(1..n as R writes them, 0..n-1 as pandas does) it is no feature, and a model trained on it
would learn the file's order: it is dropped, and a note says so. Any other values (R row names
after a filter, ids) are kept, with a note.
"""

from __future__ import annotations

from ..messages import msg

__all__ = ["UNNAMED_FIRST", "drop_row_index"]

UNNAMED_FIRST = "Unnamed: 0"


def _integers(data):
    """The first column as a NumPy array of integers without missing values, or None."""
    import numpy as np

    if hasattr(data, "iloc"):  # pandas (Excel, Parquet)
        column = data.iloc[:, 0]
        if column.dtype.kind not in "iu" or column.isna().any():
            return None
        return column.to_numpy()
    import pyarrow as pa

    column = data.column(0)
    if not pa.types.is_integer(column.type) or column.null_count:
        return None
    return np.concatenate([c.to_numpy() for c in column.chunks]) if column.num_chunks \
        else np.empty(0, dtype="int64")


def drop_row_index(data) -> tuple[object, list[str]]:
    """(data without a leading row-number column, notes saying what was done)."""
    import numpy as np

    names = [str(c) for c in data.columns] if hasattr(data, "iloc") else data.column_names
    if len(names) < 2 or names[0] != UNNAMED_FIRST:
        return data, []
    values = _integers(data)
    rows = len(data)
    if values is not None and rows:
        start = int(values[0])
        if start in (0, 1) and np.array_equal(values, np.arange(start, start + rows)):
            note = msg("import.dropped_index", first=start, last=start + rows - 1)
            if hasattr(data, "iloc"):
                return data.iloc[:, 1:], [note]
            return data.remove_column(0), [note]
    return data, [msg("import.kept_unnamed", column=UNNAMED_FIRST)]
