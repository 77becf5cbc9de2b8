"""SQL side of a project: versions stored as tables, and datasets made from queries.

The project's database is ``<project>/project.db`` (SQLite) unless ``hubml-project.yaml``
names ``database_url``. Named connections come from the project file (``connections:``) or,
for URLs with passwords, from ``HUBML_CONNECTION_<NAME>`` environment variables, so no
secret has to sit in the project folder.

A version's table is named by :func:`table_name` (readable prefix, hash of the exact dataset
name, version and project identity) and recorded in its ``meta.json``, which is what readers
use. hubml only ever creates tables, never replaces one.
"""

from __future__ import annotations

import hashlib
import os

from ..errors import Conflict, InvalidInput, NotFound
from .names import check_name

__all__ = ["connection_url", "drop_table", "engine", "query", "read_version", "table_name",
           "write_version"]

_ENGINES: dict[str, object] = {}
# PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and silently drops
# the rest, so two long names could meet; MySQL allows 64, SQLite has no limit
MAX_IDENTIFIER_BYTES = 63
_HASH_CHARS = 16            # 64 bits of sha256
_NAME_ATTEMPTS = 3          # a taken name (a foreign table, a killed writer's orphan) is skipped


def table_name(project_identity: str, dataset: str, version: int, attempt: int = 0) -> str:
    """The table of one dataset version: readable, and unique per project and version.

    ``a-b`` and ``a_b`` read alike, so the name ends with a hash of the exact dataset name, the
    version and the project's stable identity (``.hubml/store.json``); ``attempt`` > 0 gives
    another name when that one is taken. Lower-case ASCII, at most 63 bytes."""
    key = f"{project_identity}\0{dataset}\0{version}" + (f"\0{attempt}" if attempt else "")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    suffix = f"__v{version}__{digest}"
    readable = dataset.replace("-", "_")[:MAX_IDENTIFIER_BYTES - len(suffix)]
    return readable + suffix


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


def _transactional_ddl(engine) -> None:
    """Make CREATE TABLE part of the transaction on SQLite, as it is on PostgreSQL.

    Python's sqlite3 commits DDL at once, so a write that fails after creating its table would
    leave the table behind; SQLAlchemy's recipe: let the driver autocommit, emit BEGIN itself.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


def engine(project, connection: str = "default"):
    import sqlalchemy

    url = connection_url(project, connection)
    if url not in _ENGINES:
        try:
            created = sqlalchemy.create_engine(url)
        except (sqlalchemy.exc.ArgumentError, ImportError) as exc:
            raise InvalidInput(f"connection {connection!r} has an unusable URL ({exc})",
                               details={"field": "connection"}) from None
        if created.dialect.name == "sqlite":
            _transactional_ddl(created)
        _ENGINES[url] = created
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


def _problem(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:300]


def write_version(project, dataset: str, version: int, df) -> str:
    """Create a new table holding ``df``; returns its name.

    Never replaces a table: a name already taken (by hubml or anything else) is skipped for
    another. Table and rows are written in one transaction, so a failed write leaves no table.
    """
    import sqlalchemy

    from .store import project_id

    db = engine(project)
    identity = project_id(project)
    taken = []
    for attempt in range(_NAME_ATTEMPTS):
        name = table_name(identity, dataset, version, attempt)
        try:
            # if_exists="fail" refuses an existing table before writing; CREATE TABLE without
            # IF NOT EXISTS refuses one made meanwhile; either way nothing of ours remains
            with db.begin() as conn:
                _sql_ready(df).to_sql(name, conn, if_exists="fail", index=False,
                                      chunksize=10_000)
            return name
        except Exception as exc:
            if sqlalchemy.inspect(db).has_table(name):   # ours was rolled back: not ours
                taken.append(name)
                continue
            raise InvalidInput(f"dataset {dataset!r} could not be written to the database as "
                               f"table {name!r}: {_problem(exc)}. Nothing was saved; fix the "
                               "data or the database and save again",
                               details={"field": "df"}) from None
    raise Conflict(f"the tables {', '.join(taken)} already exist in the project's database, so "
                   f"version {version} of dataset {dataset!r} was not saved; hubml never "
                   "replaces a table: drop or rename those tables if nothing needs them")


def drop_table(project, table: str) -> None:
    """Drop a table this process has just created (its version could not be recorded)."""
    import sqlalchemy

    with engine(project).begin() as conn:
        sqlalchemy.Table(table, sqlalchemy.MetaData()).drop(conn)


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
