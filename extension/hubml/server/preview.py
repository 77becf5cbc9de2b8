"""A page of rows of a dataset version, read without loading the whole version.

Parquet: only the row groups that overlap the page are read, each as a buffered stream of
record batches (``iter_batches``), stopping at the page's last row; so the first pages of a
million-row version cost a few milliseconds and no page reads the whole file. SQL versions:
``LIMIT``/``OFFSET`` on the version's table. Values come out as strict JSON (jsonsafe.py).
"""

from __future__ import annotations

from ..errors import InvalidInput
from .jsonsafe import json_value

__all__ = ["MAX_LIMIT", "preview", "table_rows"]

MAX_LIMIT = 1000
_BATCH = 8192
_STREAM_BUFFER = 1 << 16


def preview(version, offset: int, limit: int) -> dict:
    meta = version.meta
    columns = [c["name"] for c in meta["columns"]]
    total = int(meta.get("rows", 0))
    if offset >= total or limit == 0:
        rows = []
    elif meta.get("store") == "sql":
        rows = _sql_rows(version, columns, offset, limit)
    else:
        rows = table_rows(_parquet_slice(version, columns, offset, limit))
    return {"columns": columns, "dtypes": [c["dtype"] for c in meta["columns"]], "rows": rows,
            "offset": offset, "limit": limit, "total": total}


def _parquet_slice(version, columns: list[str], offset: int, limit: int):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = version.path / "data.parquet"
    try:
        pf = pq.ParquetFile(path, memory_map=True, buffer_size=_STREAM_BUFFER, pre_buffer=False)
    except (OSError, pa.ArrowException) as exc:
        raise InvalidInput(f"version {version.version} of dataset {version.name!r} cannot be "
                           f"read ({exc}); save a new version", details={"field": "version"}) \
            from None
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
