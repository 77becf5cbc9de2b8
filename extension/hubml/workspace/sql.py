"""SQL side of a project: versions stored as tables, and datasets made from queries.

The project's database is ``<project>/project.db`` (SQLite) unless ``hubml-project.yaml``
names ``database_url``. Named connections come from the project file (``connections:``) or,
for URLs with passwords, from ``HUBML_CONNECTION_<NAME>`` environment variables, so no
secret has to sit in the project folder.
"""

from __future__ import annotations

import os

from ..errors import InvalidInput, NotFound
from .names import check_name

__all__ = ["connection_url", "engine", "query", "read_version", "table_name", "write_version"]

_ENGINES: dict[str, object] = {}


def table_name(dataset: str, version: int) -> str:
    return f"{dataset.replace('-', '_')}__v{version}"


def connection_url(project, connection: str = "default") -> str:
    if connection == "default":
        return project.info.get("database_url") or f"sqlite:///{project.path / 'project.db'}"
    check_name("connection", connection)
    env = os.environ.get(f"HUBML_CONNECTION_{connection.upper().replace('-', '_')}")
    url = env or (project.info.get("connections") or {}).get(connection)
    if not url:
        raise NotFound(f"no connection named {connection!r}; add it under 'connections:' in "
                       f"{project.path / 'hubml-project.yaml'} or set "
                       f"HUBML_CONNECTION_{connection.upper().replace('-', '_')}")
    return url


def engine(project, connection: str = "default"):
    import sqlalchemy

    url = connection_url(project, connection)
    if url not in _ENGINES:
        try:
            _ENGINES[url] = sqlalchemy.create_engine(url)
        except (sqlalchemy.exc.ArgumentError, ImportError) as exc:
            raise InvalidInput(f"connection {connection!r} has an unusable URL ({exc})",
                               details={"field": "connection"}) from None
    return _ENGINES[url]


def _sql_ready(df):
    """Types SQL has no column type for, stored so ``restore_dtypes`` brings them back:
    time-zone-aware datetimes as UTC, timedeltas as whole numbers of their unit."""
    import pandas as pd

    out = df.copy(deep=False)
    for name, dtype in df.dtypes.items():
        if isinstance(dtype, pd.DatetimeTZDtype):
            out[name] = df[name].dt.tz_convert("UTC").dt.tz_localize(None)
        elif pd.api.types.is_timedelta64_dtype(dtype):
            ints = pd.array(df[name].to_numpy().view("int64"), dtype="Int64")
            ints[df[name].isna().to_numpy()] = pd.NA
            out[name] = ints
    return out


def write_version(project, dataset: str, version: int, df) -> str:
    name = table_name(dataset, version)
    # replace: a writer killed after the table but before the version folder leaves an orphan
    _sql_ready(df).to_sql(name, engine(project), if_exists="replace", index=False,
                          chunksize=10_000)
    return name


def read_version(project, table: str, columns=None):
    import pandas as pd

    return pd.read_sql_table(table, engine(project), columns=columns)


def query(project, sql: str, connection: str = "default", params=None):
    import pandas as pd
    import sqlalchemy

    if not isinstance(sql, str) or not sql.strip():
        raise InvalidInput("query must be a non-empty SQL string", details={"field": "query"})
    try:
        with engine(project, connection).connect() as conn:
            return pd.read_sql_query(sqlalchemy.text(sql), conn, params=params)
    except (sqlalchemy.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
        cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) else exc
        problem = str(getattr(cause, "orig", cause)).strip().splitlines()[0]
        raise InvalidInput(f"the query failed on connection {connection!r}: {problem}",
                           details={"field": "query"}) from None
