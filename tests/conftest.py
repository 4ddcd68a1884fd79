"""Fixtures: an app on a fresh, migrated SQLite database per test; clients signed in by role.

With TEST_DATABASE_URL=postgresql://… (script/test --postgres) every test gets a fresh
PostgreSQL database instead: see tests/pg_support.py.
"""
import pytest

from app import create_app
from config import TestConfig
from domain.database import migrate
from extensions import db
from tests import pg_support
from tests.factories import PASSWORD, make_user

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app(tmp_path):
    # No app context stays pushed: each request gets its own, as in production
    # (a shared one would carry `g`, and the signed-in user, from request to request).
    if pg_support.ACTIVE:  # a clone of the migrated template database
        with pg_support.migrated():
            application = create_app(TestConfig(tmp_path))
        db.connect(reuse_if_open=True)  # left open, as migrate() leaves it on SQLite
        yield application
        if not db.is_closed():
            db.close()
        return
    application = create_app(TestConfig(tmp_path))
    migrate()
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(app):
    """login_as(role_or_user, department=None) → a test client signed in as that person."""
    def _login(who="intake", department=None):
        user = who if not isinstance(who, str) else make_user(who, department=department)
        c = app.test_client()
        response = c.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)
        c.user = user
        return c
    return _login


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.statements = []


@pytest.fixture
def count_queries(app, monkeypatch):
    """Counts the SQL statements run (use as: with count_queries() as q: ...)."""
    import contextlib

    @contextlib.contextmanager
    def _count():
        counter = QueryCounter()
        database = db.obj
        original = database.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            counter.count += 1
            counter.statements.append(sql)
            return original(sql, params, *args, **kwargs)

        monkeypatch.setattr(database, "execute_sql", counting)
        try:
            yield counter
        finally:
            monkeypatch.setattr(database, "execute_sql", original)
    return _count


# --- PostgreSQL (only with TEST_DATABASE_URL=postgresql://…) ------------------------------------

def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): SQLite-only mechanics (WAL, the backup API); "
                   "skipped when the suite runs on PostgreSQL")
    if pg_support.ACTIVE:
        pg_support.start_session()


def pytest_unconfigure(config):
    if pg_support.ACTIVE:
        pg_support.end_session()


def pytest_collection_modifyitems(config, items):
    if not pg_support.ACTIVE:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(autouse=True)
def _pg_databases():
    """On PostgreSQL: drop the databases a test created, once it is over."""
    yield
    if pg_support.ACTIVE:
        if not db.is_closed():
            db.close()
        pg_support.drop_test_databases()
