"""Opening the database named by DATABASE_URL, and applying migrations."""
from pathlib import Path

import peewee
from peewee import SqliteDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase
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


# Key of the advisory lock every write transaction takes on PostgreSQL (any constant).
WRITE_LOCK_KEY = 0x52656472  # "Redr"
WRITE_LOCK_TIMEOUT = "5s"  # as SQLite's busy_timeout
# The connection pool of each process (a gunicorn worker serves one request at a time; the
# command-line tasks and tests may use a few threads).
POOL_MAX_CONNECTIONS = 20
POOL_STALE_SECONDS = 300
POOL_WAIT_SECONDS = 10  # a thread waits this long for a free connection, then fails


class RedressPostgresqlDatabase(PooledPostgresqlDatabase):
    """PostgreSQL with the same write discipline as SQLite's BEGIN IMMEDIATE.

    Every transaction (`db.atomic()`) takes one transaction-scoped advisory lock at BEGIN,
    so write transactions run one after another exactly as on SQLite (readers are never
    blocked): the read-check-write steps (`version` checks, the history hash chains, "is
    there already one …" checks) cannot interleave, with no FOR UPDATE in the domain code.
    Waiting longer than WRITE_LOCK_TIMEOUT fails with OperationalError, like SQLite's
    "database is locked".

    Connections are kept in a pool (per process) rather than opened for every request:
    opening one costs a few milliseconds of a page's ~20. A connection handed back with a
    transaction open is rolled back first; one idle for POOL_STALE_SECONDS is closed.

    Also accepts the hand-written statements that use SQLite's `?` placeholders (stats,
    ledger, report): they are rewritten to `%s` (domain/sqlfn.params). Statements peewee
    builds already use `%s` and pass through untouched."""

    def begin(self, isolation_level=None):
        super().begin(isolation_level)
        with peewee.__exception_wrapper__:
            cursor = self.cursor()
            cursor.execute(f"SET LOCAL lock_timeout = '{WRITE_LOCK_TIMEOUT}'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            cursor.execute("SET LOCAL lock_timeout = 0")

    def execute_sql(self, sql, params=None, *args, **kwargs):
        if params and "?" in sql:
            from domain.sqlfn import params as placeholders
            sql = placeholders(sql)
        return super().execute_sql(sql, params, *args, **kwargs)


def open_database(url: str):
    """Bind the shared database proxy to the database at `url` and return it."""
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[1]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Every write transaction takes the write lock at BEGIN (see STACK.md).
        database = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    elif url.startswith(("postgres://", "postgresql://")):
        # Transactions serialise on an advisory lock, as BEGIN IMMEDIATE does on SQLite.
        database = RedressPostgresqlDatabase(max_connections=POOL_MAX_CONNECTIONS,
                                             stale_timeout=POOL_STALE_SECONDS,
                                             timeout=POOL_WAIT_SECONDS, **parse(url))
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
