"""Migrations build exactly the schema the models describe, once."""
import pytest
from peewee import SqliteDatabase
from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

from domain.database import MIGRATIONS_DIR, SQLITE_PRAGMAS, migrate, pending_migrations
from domain.schema import ALL_MODELS
from extensions import db

MIGRATIONS = sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


@pytest.fixture
def fresh(tmp_path):
    """An empty SQLite database, migrated the way set-up does it."""
    database = SqliteDatabase(str(tmp_path / "fresh.db"), pragmas=SQLITE_PRAGMAS)
    database.connect()
    applied = migrate(database)
    yield database, applied
    database.close()


@pytest.fixture
def from_models(tmp_path):
    """The schema peewee would create straight from the models, for comparison."""
    database = SqliteDatabase(str(tmp_path / "models.db"), pragmas=SQLITE_PRAGMAS)
    database.connect()
    with database.bind_ctx(ALL_MODELS):
        database.create_tables(ALL_MODELS)
    yield database
    database.close()


def _columns(database, table):
    return {c.name: (c.data_type.upper(), c.null, c.primary_key)
            for c in database.get_columns(table)}


def test_migrations_a_fresh_database_gets_every_model_table_with_the_model_columns(fresh):
    database, applied = fresh
    assert MIGRATIONS[0] == "0001_initial"
    assert applied == MIGRATIONS
    tables = set(database.get_tables())
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert table in tables, table
        columns = {c.name for c in database.get_columns(table)}
        assert columns == {f.column_name for f in model._meta.sorted_fields}, table


def test_migrations_create_the_keyword_search_table(fresh):
    database, _ = fresh
    assert "complaint_fts" in database.get_tables()
    sql = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'complaint_fts'").fetchone()[0]
    assert "fts5" in sql.lower()
    database.execute_sql("INSERT INTO complaint_fts(rowid, body) VALUES (1, '申请 请退 退款')")
    assert database.execute_sql(
        "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH '\"退款\"'").fetchall() == [(1,)]


def test_migrations_running_migrate_again_applies_nothing(fresh):
    database, _ = fresh
    assert migrate(database) == []
    assert pending_migrations(database) == []
    assert sorted(Runner(database, directory=str(MIGRATIONS_DIR)).applied()) == MIGRATIONS


def test_migrations_the_app_database_is_migrated_and_up_to_date(app):
    assert pending_migrations() == []
    assert migrate() == []
    assert {m._meta.table_name for m in ALL_MODELS} <= set(db.get_tables())


def test_migrations_schema_diff_finds_no_drift_between_models_and_database(fresh):
    database, _ = fresh
    diff = diff_models(database, ALL_MODELS)
    assert not diff, str(diff)


def test_migrations_columns_types_and_nullability_match_what_the_models_would_create(
        fresh, from_models):
    database, _ = fresh
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert _columns(database, table) == _columns(from_models, table), table


def test_migrations_indexes_and_foreign_keys_match_what_the_models_would_create(
        fresh, from_models):
    database, _ = fresh
    for model in ALL_MODELS:
        table = model._meta.table_name
        migrated = {(tuple(i.columns), i.unique) for i in database.get_indexes(table)}
        modelled = {(tuple(i.columns), i.unique) for i in from_models.get_indexes(table)}
        assert migrated == modelled, table
        fks = lambda d: {(f.column, f.dest_table, f.dest_column)  # noqa: E731
                         for f in d.get_foreign_keys(table)}
        assert fks(database) == fks(from_models), table


def test_migrations_can_be_rolled_back_and_applied_again(fresh):
    database, _ = fresh
    runner = Runner(database, directory=str(MIGRATIONS_DIR))
    assert runner.down(target=MIGRATIONS[0]) == MIGRATIONS[::-1]
    left = set(database.get_tables()) - {"schema_migration"}
    assert not left & {m._meta.table_name for m in ALL_MODELS}
    assert "complaint_fts" not in left
    assert migrate(database) == MIGRATIONS
    assert not diff_models(database, ALL_MODELS)


@pytest.mark.sqlite_only(reason="WAL, foreign_keys and busy_timeout are SQLite pragmas")
def test_migrations_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
