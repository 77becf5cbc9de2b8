"""SQL datasets on SQLite and on a real PostgreSQL server; datasets from queries."""

import pandas as pd
import pytest
import yaml

from hubml.errors import InvalidInput, NotFound
from tests.support.postgres import PostgresServer
from tests.workspace.test_datasets import every_dtype


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer().start()
    yield server
    server.stop()


def use_database(project, url):
    info = dict(project.info, database_url=url)
    (project.path / "hubml-project.yaml").write_text(yaml.safe_dump(info))
    project._info = None


def test_sql_version_on_sqlite_is_a_table_in_project_db(project):
    version = project.save_dataset("customers", every_dtype(), store="sql")
    assert version.meta["table"].startswith("customers__v1__")
    tables = project.query("select name from sqlite_master where type='table'")["name"].tolist()
    assert tables == [version.meta["table"]]
    assert (project.path / "project.db").exists()


def test_sql_dataset_on_postgres_round_trips(project, postgres):
    use_database(project, postgres.url)
    df = every_dtype()
    project.save_dataset("customers", df, store="sql")
    project.save_dataset("customers", df.head(3), store="sql")
    pd.testing.assert_frame_equal(project.dataset("customers").load(version=1), df)
    assert len(project.dataset("customers").load()) == 3
    table = project.dataset("customers").latest.meta["table"]
    rows = project.query(f'select count(*) as n from "{table}"')["n"].iloc[0]
    assert rows == 3


def test_dataset_from_query_on_named_connection(project, postgres, monkeypatch):
    monkeypatch.setenv("HUBML_CONNECTION_WAREHOUSE", postgres.url)
    project.query("select 1")  # project db (SQLite) works alongside
    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres.url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text("create table if not exists orders (id int, total float)"))
        conn.execute(sqlalchemy.text("delete from orders"))
        conn.execute(sqlalchemy.text("insert into orders values (1, 9.5), (2, 20.0), (3, 1.0)"))
    version = project.dataset_from_query("big-orders", "select * from orders where total > 5 "
                                         "order by id", connection="warehouse")
    assert version.load()["id"].tolist() == [1, 2]
    assert version.meta["source"] == {"type": "sql", "connection": "warehouse",
                                      "query": "select * from orders where total > 5 order by id"}


def test_query_errors_are_clear(project, tree_hash):
    project.query("select 1")  # the project database exists from the first query on
    before = tree_hash(project.path)
    with pytest.raises(NotFound, match="no connection named 'nowhere'.*HUBML_CONNECTION_NOWHERE"):
        project.query("select 1", connection="nowhere")
    with pytest.raises(InvalidInput, match="the query failed on connection 'default'"):
        project.dataset_from_query("x", "select * from no_such_table")
    with pytest.raises(InvalidInput, match="non-empty SQL string"):
        project.query("  ")
    assert not (project.path / "datasets" / "x").exists()
    assert tree_hash(project.path) == before
