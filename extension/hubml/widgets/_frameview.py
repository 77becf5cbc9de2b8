"""A sorted, filtered, paged view of a DataFrame, all in the kernel (no widgets here).

Only the page that is shown ever leaves the kernel. The sort order of a column is computed
once (numpy argsort, or sorted factor codes for text) and kept until the frame changes; the
column statistics are cached the same way, so flipping pages costs a slice and an HTML render.
"""

from __future__ import annotations

from ..errors import InvalidInput
from ._messages import msg
from ._stats import as_i8, column_kind, column_summary

__all__ = ["OPS", "FrameView"]

OPS = ("==", "!=", "<", "<=", ">", ">=", "contains", "isnull", "notnull")
MAX_COLUMNS = 40     # columns shown at a time (a 10,000-column frame pages its columns too)
_LEADING_ROWS = 10_000  # pages within this many rows of a new sort need no full sort


def _sort_keys(series):
    """An int64 or float64 array that sorts like the column, missing values last."""
    import numpy as np
    import pandas as pd

    kind = column_kind(series.dtype)
    if kind in ("datetime", "timedelta"):
        values = as_i8(series).astype("float64")
        values[series.isna().to_numpy()] = np.nan
        return values
    if kind == "number":
        return series.to_numpy(dtype="float64", na_value=np.nan)
    codes, _ = pd.factorize(series, sort=True)
    try:
        keys = codes.astype("float64")
    except TypeError:  # pragma: no cover - factorize always gives integers
        keys = np.asarray(codes, dtype="float64")
    keys[codes < 0] = np.nan
    return keys


def _address(obj):
    """Where an array's data lives (a view of the same buffer has the same address)."""
    if obj is None:
        return None
    interface = getattr(obj, "__array_interface__", None)
    if interface is not None:
        return interface["data"][0], interface.get("strides"), interface["shape"]
    chunks = getattr(obj, "chunks", None)
    if chunks is not None:  # pyarrow ChunkedArray
        return tuple(buf.address if buf is not None else None
                     for chunk in chunks[:8] for buf in chunk.buffers()) + (len(chunks),)
    return id(obj)


def _data_key(series):
    """What identifies a column's data: dtype, length and where its buffers live; the
    arrays ride along (not compared) so their memory cannot be reused while the key lives."""
    values = series.array
    for attr in ("_ndarray", "_data", "_codes", "_pa_array"):
        inner = getattr(values, attr, None)
        if inner is not None:
            mask = getattr(values, "_mask", None)
            identity = (str(series.dtype), len(series), _address(inner), _address(mask))
            return identity, (inner, mask)
    return None


def _same_data(a, b) -> bool:
    return a is not None and b is not None and a[0] == b[0]


class FrameView:
    """Page through df with an optional sort (one column) and filters (column, op, value)."""

    def __init__(self, df=None, page_size: int = 25):
        self.page_size = page_size
        self.set_frame(df)

    # -- the frame ------------------------------------------------------------------
    def set_frame(self, df, keep_view: bool = True) -> None:
        """Show another frame (a new version): caches go, the sort and filters stay if their
        columns are still there."""
        import pandas as pd

        old_stats = getattr(self, "_stats", {})
        self.df = df if df is not None else pd.DataFrame()
        self._orders: dict[str, object] = {}
        # a step changes a few columns: the others still share their data (copy-on-write),
        # so their statistics are kept (keyed by the data they were computed from)
        self._stats: dict[str, tuple] = {}
        if old_stats:
            for name in self.df.columns:
                found = old_stats.get(str(name))
                if found is not None and _same_data(found[0], _data_key(self.df[name])):
                    self._stats[str(name)] = found
        self._positions = None
        names = set(self.df.columns)
        if not keep_view:
            self.sort_by, self.ascending, self.filters = None, True, []
        else:
            self.sort_by = getattr(self, "sort_by", None)
            self.ascending = getattr(self, "ascending", True)
            self.filters = [f for f in getattr(self, "filters", []) if f[0] in names]
            if self.sort_by not in names:
                self.sort_by = None
        self.page_number = 1
        self.column_offset = 0

    def _column(self, name):
        if name not in self.df.columns:
            listed = ", ".join(repr(str(c)) for c in list(self.df.columns)[:20])
            raise InvalidInput(msg("table.no_column", name=name, columns=listed),
                               details={"field": "column"})
        return self.df[name]

    # -- sort and filter ------------------------------------------------------------
    def sort(self, column=None, ascending: bool = True) -> None:
        """Sort by one column (None: data order); missing values go last either way."""
        if column is not None:
            self._column(column)
        self.sort_by, self.ascending = column, bool(ascending)
        self._positions = None
        self.page_number = 1

    def _order(self, column, ascending):
        import numpy as np

        key = (column, ascending)
        if key not in self._orders:
            self._orders[key] = np.argsort(self._keys(column, ascending), kind="stable")
        return self._orders[key]

    def _keys(self, column, ascending):
        """The column as sort keys (descending: negated), cached; NaN sorts last."""
        key = ("keys", column, ascending)
        if key not in self._orders:
            keys = _sort_keys(self.df[column])
            self._orders[key] = keys if ascending else -keys
        return self._orders[key]

    def _leading(self, stop: int):
        """The first ``stop`` positions of the sorted view without sorting every row: a
        partition (linear) and a sort of those rows, ties in data order as a stable sort
        gives them."""
        import numpy as np

        keys = self._keys(self.sort_by, self.ascending)
        if stop >= len(keys):
            return self._order(self.sort_by, self.ascending)
        cut = np.partition(keys, stop - 1)[stop - 1]   # the value at row ``stop``
        if np.isnan(cut):  # fewer values than rows asked for: all of them, then the gaps
            head = np.flatnonzero(~np.isnan(keys))
            gaps = np.flatnonzero(np.isnan(keys))[:stop - head.size]
            return np.concatenate([head[np.lexsort((head, keys[head]))], gaps])
        below = np.flatnonzero(keys < cut)
        ties = np.flatnonzero(keys == cut)[:stop - below.size]   # in data order: stable
        head = np.concatenate([below, ties])
        return head[np.lexsort((head, keys[head]))]

    def _mask(self, column, op, value):
        import numpy as np
        import pandas as pd

        series = self._column(column)
        if op == "isnull":
            return series.isna().to_numpy()
        if op == "notnull":
            return series.notna().to_numpy()
        if op == "contains":
            text = series.astype("string")
            return text.str.contains(str(value), regex=False).fillna(False).to_numpy(bool)
        kind = column_kind(series.dtype)
        try:
            if kind == "number":
                value = float(value)
            elif kind == "datetime":
                value = pd.Timestamp(value)
                tz = getattr(series.dtype, "tz", None)
                if tz is not None and value.tz is None:
                    value = value.tz_localize(tz)
            elif kind == "timedelta":
                value = pd.Timedelta(value)
            elif kind == "bool":
                value = {"true": True, "false": False}[str(value).strip().lower()]
        except (TypeError, ValueError, KeyError):
            raise InvalidInput(msg("table.bad_value", value=value, kind=kind, name=column),
                               details={"field": "value"}) from None
        compare = {"==": series.__eq__, "!=": series.__ne__, "<": series.__lt__,
                   "<=": series.__le__, ">": series.__gt__, ">=": series.__ge__}[op]
        try:
            result = compare(value)
        except TypeError:
            raise InvalidInput(msg("table.bad_value", value=value, kind=kind, name=column),
                               details={"field": "value"}) from None
        return np.asarray(result.fillna(False) if hasattr(result, "fillna") else result,
                          dtype=bool)

    def add_filter(self, column, op: str, value=None) -> None:
        if op not in OPS:
            raise InvalidInput(msg("table.bad_op", ops=", ".join(OPS), op=op),
                               details={"field": "op"})
        self._mask(column, op, value)  # refuse a bad value now, not on the next page
        self.filters = [*self.filters, (column, op, value)]
        self._positions = None
        self.page_number = 1

    def clear_filters(self) -> None:
        self.filters = []
        self._positions = None
        self.page_number = 1

    def positions(self):
        """Row positions in view order, or None for all rows in data order."""
        import numpy as np

        if self._positions is None and (self.sort_by is not None or self.filters):
            if self.sort_by is not None:
                order = self._order(self.sort_by, self.ascending)
            else:
                order = np.arange(len(self.df))
            if self.filters:
                mask = np.ones(len(self.df), dtype=bool)
                for column, op, value in self.filters:
                    mask &= self._mask(column, op, value)
                order = order[mask[order]]
            self._positions = order
        return self._positions

    # -- pages ----------------------------------------------------------------------
    @property
    def rows(self) -> int:
        if not self.filters:
            return len(self.df)
        positions = self.positions()
        return len(self.df) if positions is None else len(positions)

    @property
    def pages(self) -> int:
        return max(1, -(-self.rows // self.page_size))

    def page(self, number: int) -> None:
        if isinstance(number, bool) or not isinstance(number, int) \
                or not 1 <= number <= self.pages:
            raise InvalidInput(msg("table.bad_page", pages=self.pages, page=number),
                               details={"field": "page"})
        self.page_number = number

    def go_to_row(self, row: int) -> None:
        """Show the page holding view row ``row`` (1-based)."""
        row = min(max(int(row), 1), max(self.rows, 1))
        self.page_number = (row - 1) // self.page_size + 1

    def set_page_size(self, size: int) -> None:
        first = (self.page_number - 1) * self.page_size
        self.page_size = max(1, int(size))
        self.page_number = first // self.page_size + 1

    def visible_columns(self) -> list:
        return list(self.df.columns[self.column_offset:self.column_offset + MAX_COLUMNS])

    def shift_columns(self, step: int) -> None:
        last = max(0, len(self.df.columns) - MAX_COLUMNS)
        self.column_offset = min(max(0, self.column_offset + step * MAX_COLUMNS), last)

    def page_frame(self, columns=None):
        """The rows of the current page (original index kept) and the visible columns."""
        start = (self.page_number - 1) * self.page_size
        stop = start + self.page_size
        if (self.sort_by is not None and not self.filters and self._positions is None
                and (self.sort_by, self.ascending) not in self._orders
                and stop <= _LEADING_ROWS):
            positions = self._leading(stop)  # the first pages of a new sort: no full sort
        else:
            positions = self.positions()
        cols = self.visible_columns() if columns is None else columns
        frame = self.df[cols] if list(cols) != list(self.df.columns) else self.df
        if positions is None:
            return frame.iloc[start:stop]
        return frame.iloc[positions[start:stop]]

    def first_row(self) -> int:
        return (self.page_number - 1) * self.page_size + 1

    # -- statistics -----------------------------------------------------------------
    def cached_summary(self, column) -> dict | None:
        found = self._stats.get(str(column))
        return None if found is None else found[1]

    def summary(self, column) -> dict:
        """Exact statistics of a column of the whole frame (not the filter), cached."""
        key = str(column)
        if key not in self._stats:
            series = self._column(column)
            self._stats[key] = (_data_key(series), column_summary(series))
        return self._stats[key][1]
