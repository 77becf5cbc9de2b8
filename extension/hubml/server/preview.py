"""A page of rows of a dataset version, read without loading the whole version.

Parquet: only the row groups that overlap the page are read, each as a buffered stream of
record batches (``iter_batches``), stopping at the page's last row; so the first pages of a
million-row version cost a few milliseconds and no page reads the whole file. SQL versions:
``LIMIT``/``OFFSET`` on the version's table. Values come out as strict JSON (jsonsafe.py).

Sorted or filtered (preview_query.py): the matching rows' positions come from the query's
cached row order; a page then reads only the row groups its rows are in, and says where each
row is in the stored order (``positions``). SQL versions sort and filter in SQL.
"""

from __future__ import annotations

import threading

from ..errors import InvalidInput
from .jsonsafe import json_value
from .preview_query import Query, row_order

__all__ = ["MAX_LIMIT", "preview", "table_rows"]

MAX_LIMIT = 1000
_BATCH = 8192
_STREAM_BUFFER = 1 << 16


def preview(version, offset: int, limit: int, query: Query | None = None) -> dict:
    """Rows [offset, offset + limit) of the version, or of its rows that ``query`` selects
    in its order; ``total`` counts the matching rows."""
    meta = version.meta
    columns = [c["name"] for c in meta["columns"]]
    total = int(meta.get("rows", 0))
    extra = {}
    if query is not None and not query.empty:
        if meta.get("store") == "sql":
            rows, total = _sql_query_rows(version, columns, offset, limit, query)
        else:
            order = row_order(version, query)
            total = len(order)
            page = order[offset:offset + limit]
            rows = table_rows(_parquet_take(version, columns, page)) if len(page) else []
            extra["positions"] = [int(i) for i in page]
    elif offset >= total or limit == 0:
        rows = []
    elif meta.get("store") == "sql":
        rows = _sql_rows(version, columns, offset, limit)
    else:
        rows = table_rows(_parquet_slice(version, columns, offset, limit))
    return {"columns": columns, "dtypes": [c["dtype"] for c in meta["columns"]], "rows": rows,
            "offset": offset, "limit": limit, "total": total, **extra}


def _open(version):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = version.path / "data.parquet"
    try:
        return pq.ParquetFile(path, memory_map=True, buffer_size=_STREAM_BUFFER,
                              pre_buffer=False)
    except (OSError, pa.ArrowException) as exc:
        raise InvalidInput(f"version {version.version} of dataset {version.name!r} cannot be "
                           f"read ({exc}); save a new version", details={"field": "version"}) \
            from None


_TABLE_CACHE_BYTES = 512 << 20   # a decoded version kept for paging a sort, at most this big
_table_cache: dict = {}
_table_lock = threading.Lock()


def _cached_table(version, pf, wanted: list[str]):
    """The whole version decoded, kept (one version at a time, if it fits in
    _TABLE_CACHE_BYTES): a sorted page's rows are anywhere in the file, and Parquet cannot
    decode single rows, so without it every page would decode every row group again."""
    key = (str(version.path), version.meta.get("sha256"), tuple(wanted))
    with _table_lock:
        if key in _table_cache:
            return _table_cache[key]
    table = pf.read(columns=wanted, use_threads=True)
    if table.nbytes <= _TABLE_CACHE_BYTES:
        with _table_lock:
            _table_cache.clear()
            _table_cache[key] = table
    return table


def _parquet_take(version, columns: list[str], positions):
    """The rows at ``positions`` (stored order), in that order: from the decoded version
    when it is kept, else reading only the row groups they are in, each as batches up to
    its last wanted row."""
    import numpy as np
    import pyarrow as pa

    pf = _open(version)
    wanted = [c for c in columns if c in pf.schema_arrow.names]
    ascending = bool(np.all(np.diff(positions) > 0))
    close = int(positions.max()) - int(positions.min()) < _BATCH * 8
    if pf.metadata.num_rows > _BATCH and not (ascending and close):  # a sort: rows anywhere
        return _cached_table(version, pf, wanted).take(pa.array(positions))
    sizes = [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    groups = np.searchsorted(starts, positions, side="right") - 1
    pieces, order = [], []
    for group in np.unique(groups):
        chosen = np.nonzero(groups == group)[0]
        local = positions[chosen] - starts[group]
        pieces.append(_take_in_group(pf, int(group), wanted, local))
        order.append(chosen)
    table = pa.concat_tables(pieces)
    back = np.empty(len(positions), dtype=np.int64)
    back[np.concatenate(order)] = np.arange(len(positions))
    return table.take(pa.array(back))


def _take_in_group(pf, group: int, columns: list[str], local):
    import numpy as np
    import pyarrow as pa

    last = int(local.max())
    out, seen = [], 0
    for batch in pf.iter_batches(batch_size=_BATCH * 8, row_groups=[group], columns=columns):
        n = batch.num_rows
        inside = (local >= seen) & (local < seen + n)
        if inside.any():
            out.append((np.nonzero(inside)[0], batch.take(pa.array(local[inside] - seen))))
        seen += n
        if seen > last:
            break
    where = np.concatenate([w for w, _ in out])
    table = pa.Table.from_batches([b for _, b in out])
    back = np.empty(len(local), dtype=np.int64)
    back[where] = np.arange(len(local))
    return table.take(pa.array(back))


def _parquet_slice(version, columns: list[str], offset: int, limit: int):
    import pyarrow as pa

    pf = _open(version)
    wanted = [c for c in columns if c in pf.schema_arrow.names]
    end = offset + limit
    pieces, start = [], 0
    for index in range(pf.metadata.num_row_groups):
        size = pf.metadata.row_group(index).num_rows
        if start + size > offset and start < end:
            pieces += _read_group(pf, index, wanted, max(offset - start, 0),
                                  min(end, start + size) - max(offset, start))
        start += size
        if start >= end:
            break
    if not pieces:
        return pa.table({c: pa.array([], pa.null()) for c in wanted})
    return pa.Table.from_batches(pieces).combine_chunks()


def _read_group(pf, index: int, columns: list[str], skip: int, count: int) -> list:
    """Rows [skip, skip + count) of one row group, as record batches."""
    out, seen = [], 0
    batch_size = max(_BATCH, count)
    for batch in pf.iter_batches(batch_size=batch_size, row_groups=[index], columns=columns):
        n = batch.num_rows
        if seen + n > skip:
            lo = max(skip - seen, 0)
            part = batch.slice(lo, count - sum(b.num_rows for b in out))
            out.append(part)
            if sum(b.num_rows for b in out) >= count:
                break
        seen += n
    return out


def table_rows(table) -> list[list]:
    """Arrow table -> list of rows of JSON-safe values."""
    columns = [json_value(col.to_pylist()) for col in table.columns]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def _sql_rows(version, columns: list[str], offset: int, limit: int) -> list[list]:
    import pandas as pd
    import sqlalchemy

    from ..workspace import sql
    from ..workspace.schema import restore_dtypes

    table = version.meta["table"]
    quoted = '"' + table.replace('"', '""') + '"'
    statement = sqlalchemy.text(f"SELECT * FROM {quoted} LIMIT :limit OFFSET :offset")
    with sql.engine(version.project).connect() as conn:
        df = pd.read_sql_query(statement, conn, params={"limit": limit, "offset": offset})
    df = restore_dtypes(df, version.schema())
    df = df[[c for c in columns if c in df.columns]]
    return [json_value(list(row)) for row in df.astype(object).itertuples(index=False)]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_SQL_OPS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _sql_query_rows(version, columns: list[str], offset: int, limit: int,
                    query: Query) -> tuple[list[list], int]:
    """A sorted or filtered page of a SQL version, and how many rows match, both in SQL."""
    import pandas as pd
    import sqlalchemy

    from ..workspace import sql
    from ..workspace.schema import restore_dtypes

    where, params = [], {"limit": limit, "offset": offset}
    for i, cond in enumerate(query.conditions):
        col = _quote(cond.column)
        if cond.op == "isnull":
            where.append(f"{col} IS NULL")
        elif cond.op == "notnull":
            where.append(f"{col} IS NOT NULL")
        elif cond.op == "contains":
            escaped = cond.value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params[f"p{i}"] = f"%{escaped.lower()}%"
            where.append(f"LOWER({col}) LIKE :p{i} ESCAPE '\\'")
        else:
            value = cond.value
            params[f"p{i}"] = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
            where.append(f"{col} {_SQL_OPS[cond.op]} :p{i}")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    order = ""
    if query.sort:
        col = _quote(query.sort)
        order = f" ORDER BY {col} IS NULL, {col} {'DESC' if query.descending else 'ASC'}"
    table = _quote(version.meta["table"])
    with sql.engine(version.project).connect() as conn:
        total = conn.execute(sqlalchemy.text(f"SELECT COUNT(*) FROM {table}{clause}"),
                             params).scalar_one()
        df = pd.read_sql_query(
            sqlalchemy.text(f"SELECT * FROM {table}{clause}{order} LIMIT :limit OFFSET :offset"),
            conn, params=params)
    df = restore_dtypes(df, version.schema())
    df = df[[c for c in columns if c in df.columns]]
    return [json_value(list(row)) for row in df.astype(object).itertuples(index=False)], \
        int(total)
