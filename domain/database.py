"""Opening the database named by DATABASE_URL, and applying migrations."""
from pathlib import Path

from peewee import PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import parse
from playhouse.migrations import Runner

from extensions import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "synchronous": "normal",
    "foreign_keys": 1,
    "cache_size": -32000,
}


def open_database(url: str):
    """Bind the shared database proxy to the database at `url` and return it."""
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[1]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Every write transaction takes the write lock at BEGIN (see STACK.md).
        database = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    elif url.startswith(("postgres://", "postgresql://")):
        database = PostgresqlDatabase(**parse(url))
    else:
        raise ValueError(f"Unsupported DATABASE_URL: {url}")
    db.initialize(database)
    return database


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def migrate(database=None) -> list[str]:
    """Apply pending migrations; return the names applied."""
    runner = Runner(database or db.obj, directory=str(MIGRATIONS_DIR))
    before = set(runner.applied())
    runner.up()
    return sorted(set(runner.applied()) - before)


def pending_migrations(database=None) -> list[str]:
    runner = Runner(database or db.obj, directory=str(MIGRATIONS_DIR))
    applied = runner.applied()
    return [m.name for m in runner.migrations() if m.name not in applied]
