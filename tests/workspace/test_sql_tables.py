"""SQL dataset tables never meet: one table per project, dataset and version, never a table
that hubml did not create, and a failed write leaves neither a table nor a version behind.

Each test runs on the project's SQLite file and on a real PostgreSQL server."""

import decimal
import json

import pandas as pd
import pytest
import sqlalchemy

import hubml
from hubml.errors import Conflict, InvalidInput
from hubml.workspace import sql
from hubml.workspace.store import project_id
from tests.support.postgres import PostgresServer
from tests.workspace.test_sql import use_database


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    """A database URL that several projects can share (a fresh database per test)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    server = request.getfixturevalue("postgres")
    name = f"t{abs(hash(request.node.nodeid)) % 10**12}"
    admin = sqlalchemy.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f"drop database if exists {name}"))
        conn.execute(sqlalchemy.text(f"create database {name}"))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"


def tables(url) -> set[str]:
    db = sqlalchemy.create_engine(url)
    try:
        return set(sqlalchemy.inspect(db).get_table_names())
    finally:
        db.dispose()


def rows_of(url, table) -> list[tuple]:
    db = sqlalchemy.create_engine(url)
    try:
        with db.connect() as conn:
            quoted = db.dialect.identifier_preparer.quote(table)
            return [tuple(r) for r in conn.execute(sqlalchemy.text(f"select * from {quoted}"))]
    finally:
        db.dispose()


def frame(tag: str, n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"id": range(n), "who": [f"{tag}-{i}" for i in range(n)]})


def test_names_that_read_alike_keep_their_own_data(project, database):
    use_database(project, database)
    dash = project.save_dataset("a-b", frame("dash"), store="sql")
    under = project.save_dataset("a_b", frame("underscore", 4), store="sql")
    assert dash.meta["table"] != under.meta["table"]
    pd.testing.assert_frame_equal(project.dataset("a-b").load(), frame("dash"))
    pd.testing.assert_frame_equal(project.dataset("a_b").load(), frame("underscore", 4))
    assert tables(database) == {dash.meta["table"], under.meta["table"]}


def test_two_projects_on_one_database_keep_their_own_data(root, database):
    first, second = hubml.create_project("first"), hubml.create_project("second")
    for p in (first, second):
        use_database(p, database)
    one = first.save_dataset("customers", frame("first"), store="sql")
    two = second.save_dataset("customers", frame("second", 5), store="sql")
    assert one.meta["table"] != two.meta["table"]
    pd.testing.assert_frame_equal(first.dataset("customers").load(), frame("first"))
    pd.testing.assert_frame_equal(second.dataset("customers").load(), frame("second", 5))
    # a renamed project keeps its identity, so its next version gets a new table too
    first.rename("renamed")
    again = hubml.project("renamed").save_dataset("customers", frame("again"), store="sql")
    assert len(tables(database)) == 3 and again.meta["table"] not in (one.meta["table"],
                                                                       two.meta["table"])
    pd.testing.assert_frame_equal(hubml.project("renamed").dataset("customers").load(version=1),
                                  frame("first"))


def test_a_foreign_table_with_the_would_be_name_is_left_untouched(project, database):
    use_database(project, database)
    would_be = sql.table_name(project_id(project), "customers", 1)
    db = sqlalchemy.create_engine(database)
    with db.begin() as conn:
        conn.execute(sqlalchemy.text(f'create table "{would_be}" (payroll int)'))
        conn.execute(sqlalchemy.text(f'insert into "{would_be}" values (4200), (5100)'))
    db.dispose()
    version = project.save_dataset("customers", frame("mine"), store="sql")
    assert version.meta["table"] != would_be
    assert rows_of(database, would_be) == [(4200,), (5100,)]
    pd.testing.assert_frame_equal(version.load(), frame("mine"))


def test_when_every_name_is_taken_the_save_is_refused_and_nothing_changes(project, database):
    use_database(project, database)
    identity = project_id(project)
    taken = [sql.table_name(identity, "customers", 1, attempt) for attempt in range(3)]
    db = sqlalchemy.create_engine(database)
    with db.begin() as conn:
        for name in taken:
            conn.execute(sqlalchemy.text(f'create table "{name}" (x int)'))
            conn.execute(sqlalchemy.text(f'insert into "{name}" values (7)'))
    db.dispose()
    with pytest.raises(Conflict, match="hubml never replaces a table"):
        project.save_dataset("customers", frame("mine"), store="sql")
    assert not project.dataset("customers").exists()
    assert tables(database) == set(taken)
    assert all(rows_of(database, name) == [(7,)] for name in taken)


def test_a_failed_write_leaves_no_table_and_no_version(project, database):
    use_database(project, database)
    project.save_dataset("customers", frame("ok"), store="sql")
    before = tables(database)
    # fails after CREATE TABLE, while inserting: PostgreSQL refuses NUL in text, Python's
    # sqlite3 cannot bind a Decimal (without transactional DDL, the empty table would stay)
    if database.startswith("sqlite"):
        bad = pd.DataFrame({"amount": [decimal.Decimal("1.5"), decimal.Decimal("2.5")]})
    else:
        bad = pd.DataFrame({"text": ["fine", "nul\x00inside"]})
    with pytest.raises(InvalidInput, match="could not be written to the database") as info:
        project.save_dataset("customers", bad, store="sql", allow_schema_change=True)
    assert "Nothing was saved" in info.value.message
    assert tables(database) == before
    assert [v.version for v in project.dataset("customers").versions()] == [1]
    assert not [p for p in (project.path / "datasets" / "customers").iterdir()
                if p.name.startswith(".tmp-")]
    assert project.save_dataset("customers", frame("next"), store="sql").version == 2


def test_an_old_version_reads_the_table_its_meta_records(project, database):
    """Versions saved before table names had a hash (``customers__v1``) still load."""
    use_database(project, database)
    version = project.save_dataset("customers", frame("old"), store="sql")
    db = sqlalchemy.create_engine(database)
    with db.begin() as conn:
        conn.execute(sqlalchemy.text(f'alter table "{version.meta["table"]}" '
                                     'rename to customers__v1'))
    db.dispose()
    meta_file = version.path / "meta.json"
    meta_file.write_text(json.dumps({**version.meta, "table": "customers__v1"}))
    pd.testing.assert_frame_equal(project.dataset("customers").load(version=1), frame("old"))
    project.save_dataset("customers", frame("new"), store="sql")
    pd.testing.assert_frame_equal(project.dataset("customers").load(version=1), frame("old"))
    pd.testing.assert_frame_equal(project.dataset("customers").load(), frame("new"))


def test_long_names_fit_the_identifier_limit(project, database):
    use_database(project, database)
    long_a, long_b = "d" * 62 + "a", "d" * 62 + "b"   # alike in their first 62 characters
    for name in (long_a, long_b):
        assert len(sql.table_name("x" * 32, name, 123456789).encode()) <= 63
    a = project.save_dataset(long_a, frame("a"), store="sql")
    b = project.save_dataset(long_b, frame("b"), store="sql")
    assert a.meta["table"] != b.meta["table"]
    assert tables(database) == {a.meta["table"], b.meta["table"]}   # not truncated
    pd.testing.assert_frame_equal(project.dataset(long_a).load(), frame("a"))
    pd.testing.assert_frame_equal(project.dataset(long_b).load(), frame("b"))
