"""Sort and filter of a dataset preview, computed on the server.

``parse_query(columns, sort, order, filter_text)`` checks what the caller asked for against the
version's schema (an unknown column, a bad operator or a value of the wrong type is a 400
naming it) and returns a :class:`Query`. For a Parquet version, :func:`row_order` reads only
the columns the query needs, filters with ``pyarrow.compute`` and sorts with
``array_sort_indices`` (stable: ties keep the stored order, missing values last); the
resulting row positions are kept per version and query in a small in-memory LRU, so paging
through a sorted million-row version reads the sort column once. Versions never change, so
the cache needs no invalidation beyond the version's path and checksum.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ..errors import InvalidInput

__all__ = ["MAX_CONDITIONS", "OPS", "Condition", "Query", "clear_cache", "parse_query",
           "row_order"]

OPS = ("eq", "ne", "lt", "le", "gt", "ge", "contains", "isnull", "notnull")
MAX_CONDITIONS = 20
_CACHE_SIZE = 8
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Condition:
    column: str
    op: str
    value: object = None


@dataclass(frozen=True)
class Query:
    sort: str | None = None
    descending: bool = False
    conditions: tuple[Condition, ...] = ()

    @property
    def empty(self) -> bool:
        return self.sort is None and not self.conditions

    @property
    def columns(self) -> list[str]:
        names = [c.column for c in self.conditions] + ([self.sort] if self.sort else [])
        return list(dict.fromkeys(names))

    def key(self) -> str:
        return json.dumps([self.sort, self.descending,
                           [[c.column, c.op, _plain(c.value)] for c in self.conditions]],
                          default=str)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _bad(message: str, field: str, **details) -> InvalidInput:
    return InvalidInput(message, details={"field": field, **details})


def kind_of(dtype: str) -> str:
    """number | bool | datetime | string (text and categories) | other, from a pandas dtype."""
    d = dtype.lower()
    if d.startswith("bool"):
        return "bool"
    if d.startswith(("int", "uint", "float")):
        return "number"
    if d.startswith("datetime64"):
        return "datetime"
    if d in ("object", "string", "str", "category") or d.startswith("string"):
        return "string"
    return "other"


def _value(column: str, kind: str, op: str, value, where: str):
    """The condition's value, checked against the column's kind (a 400 naming it if not)."""
    if op in ("isnull", "notnull"):
        if value is not None:
            raise _bad(f"{where}: op {op!r} takes no value; leave 'value' out", "filter")
        return None
    if value is None:
        raise _bad(f"{where}: op {op!r} needs a value (use 'isnull' to find missing values)",
                   "filter")
    if op == "contains":
        if kind != "string" or not isinstance(value, str):
            raise _bad(f"{where}: 'contains' needs a text column and a text value; column "
                       f"{column!r} holds {kind} values", "filter")
        return value
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if kind == "bool" and isinstance(value, bool) and op in ("eq", "ne"):
        return value
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "datetime" and isinstance(value, str):
        import pandas as pd

        try:
            return pd.Timestamp(value)
        except (ValueError, TypeError):
            raise _bad(f"{where}: {value[:40]!r} is not a date and time; give it as ISO 8601, "
                       "e.g. 2026-01-31T12:00:00", "filter") from None
    want = {"number": "a number", "bool": "true or false (with eq or ne)",
            "string": "a text", "datetime": "an ISO 8601 date and time text"}.get(kind)
    if want is None:
        raise _bad(f"{where}: column {column!r} cannot be compared; only isnull and notnull "
                   "work on it", "filter")
    raise _bad(f"{where}: column {column!r} needs {want} as its value, not "
               f"{type(value).__name__} {str(value)[:40]!r}", "filter")


def parse_query(columns: list[dict], sort: str | None, order: str | None,
                filter_text: str | None) -> Query:
    """Check ``sort``, ``order`` and ``filter`` (JSON text) against the version's columns."""
    kinds = {c["name"]: kind_of(str(c["dtype"])) for c in columns}
    known = list(kinds)
    if sort is not None and sort not in kinds:
        raise _bad(f"sort: no column {sort[:60]!r} in this version; columns: "
                   f"{', '.join(known[:40])}", "sort", known=known)
    if order not in (None, "asc", "desc"):
        raise _bad(f"order must be 'asc' or 'desc', not {order[:20]!r}", "order")
    if sort is not None and kinds[sort] == "other":
        raise _bad(f"sort: column {sort!r} cannot be sorted (its values are not numbers, "
                   "text, dates or booleans)", "sort")
    conditions = []
    if filter_text:
        try:
            raw = json.loads(filter_text)
        except ValueError:
            raise _bad("filter must be a JSON list of {column, op, value} objects", "filter") \
                from None
        if not isinstance(raw, list):
            raise _bad("filter must be a JSON list of {column, op, value} objects", "filter")
        if len(raw) > MAX_CONDITIONS:
            raise _bad(f"filter has {len(raw)} conditions; at most {MAX_CONDITIONS}", "filter")
        for i, item in enumerate(raw):
            where = f"filter[{i}]"
            if not isinstance(item, dict) or set(item) - {"column", "op", "value"}:
                raise _bad(f"{where} must be an object with 'column', 'op' and 'value'",
                           "filter")
            column, op = item.get("column"), item.get("op")
            if not isinstance(column, str) or column not in kinds:
                raise _bad(f"{where}: no column {str(column)[:60]!r} in this version; "
                           f"columns: {', '.join(known[:40])}", "filter", known=known)
            if op not in OPS:
                raise _bad(f"{where}: unknown op {str(op)[:20]!r}; ops: {', '.join(OPS)}",
                           "filter")
            conditions.append(Condition(column, op,
                                        _value(column, kinds[column], op, item.get("value"),
                                               where)))
    return Query(sort, order == "desc", tuple(conditions))


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def row_order(version, query: Query):
    """Positions (a numpy int64 array) of the rows that match, in the order asked for."""
    key = (str(version.path), version.meta.get("sha256"), query.key())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    positions = _compute(version, query)
    with _lock:
        _cache[key] = positions
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return positions


def _plain_column(column):
    """A dictionary (category) column as its values, one chunk, for compute kernels."""
    import pyarrow as pa

    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    return column


def _mask(column, cond: Condition):
    import pyarrow as pa
    import pyarrow.compute as pc

    if cond.op == "isnull":
        return pc.is_null(column, nan_is_null=True)
    if cond.op == "notnull":
        return pc.invert(pc.is_null(column, nan_is_null=True))
    if pa.types.is_dictionary(column.type):  # categories: test each category once
        return pc.fill_null(_mask(column.dictionary, cond).take(column.indices), False)
    if cond.op == "contains":
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            column = column.cast(pa.string())
        return pc.fill_null(pc.match_substring(column, cond.value, ignore_case=True), False)
    value = cond.value
    if pa.types.is_timestamp(column.type):
        if column.type.tz and value.tzinfo is None:
            value = value.tz_localize(column.type.tz)
        elif not column.type.tz and value.tzinfo is not None:
            value = value.tz_convert(None)
        value = pa.scalar(value, type=column.type)
    function = {"eq": pc.equal, "ne": pc.not_equal, "lt": pc.less, "le": pc.less_equal,
                "gt": pc.greater, "ge": pc.greater_equal}[cond.op]
    try:
        return pc.fill_null(function(column, value), False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        raise _bad(f"filter: column {cond.column!r} cannot be compared with "
                   f"{str(cond.value)[:40]!r}", "filter") from None


def _compute(version, query: Query):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(version.path / "data.parquet", columns=query.columns,
                          memory_map=True)
    mask = None
    for cond in query.conditions:
        column = table.column(cond.column)
        part = _mask(column.combine_chunks() if isinstance(column, pa.ChunkedArray)
                     else column, cond)
        mask = part if mask is None else pc.and_(mask, part)
    positions = None if mask is None else pc.indices_nonzero(mask)
    if query.sort is not None:
        column = _plain_column(table.column(query.sort))
        if positions is not None:
            column = column.take(positions)
        ordered = pc.array_sort_indices(column, order="descending" if query.descending
                                        else "ascending", null_placement="at_end")
        positions = ordered if positions is None else positions.take(ordered)
    if positions is None:
        return np.arange(table.num_rows, dtype=np.int64)
    return positions.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
