"""Running the test suite on PostgreSQL (TEST_DATABASE_URL=postgresql://user:pw@host:port/name).

At the start of the session a template database `<name>_tpl` is created and migrated once.
Every TestConfig made during a test then gets a database of its own:
- the `app` fixture's: a clone of the migrated template (CREATE DATABASE … TEMPLATE, ~80 ms;
  running the migrations per test takes ~300 ms). A background thread keeps READY clones
  made in advance, so a test takes one without waiting (the clone of the next test is made
  while this one runs: on 2 cores ~2 minutes less for the whole suite);
- any other (tests that build their own app and migrate it, or check an unmigrated one):
  an empty database.
The databases a test made are dropped when it ends (conftest's autouse fixture), in a
background thread so that the next test need not wait.
"""
import contextlib
import os
import queue
import threading
import uuid
from urllib.parse import urlsplit, urlunsplit

URL = os.environ.get("TEST_DATABASE_URL", "")
ACTIVE = URL.startswith(("postgres://", "postgresql://"))

_state = {"clone": False, "created": [], "admin": None, "template": None}
_drops: "queue.Queue[str | None]" = queue.Queue()
_dropper: threading.Thread | None = None

READY = 2  # clones of the template made in advance
_pool = {"ready": [], "creating": False, "stop": False, "error": None}
_pool_changed = threading.Condition()
_cloner: threading.Thread | None = None


def _url_for(name: str) -> str:
    parts = urlsplit(URL)
    return urlunsplit(parts._replace(path="/" + name))


def _base_name() -> str:
    return urlsplit(URL).path.lstrip("/") or "redress_test"


def _admin_connection():
    import psycopg2
    connection = psycopg2.connect(URL)
    connection.autocommit = True
    return connection


def _drop_worker():
    connection = _admin_connection()
    while True:
        name = _drops.get()
        if name is None:
            break
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _drops.task_done()
    connection.close()


def _clone_worker():
    """Keeps READY clones of the template ready for the next tests."""
    connection = _admin_connection()
    try:
        while True:
            with _pool_changed:
                while len(_pool["ready"]) >= READY and not _pool["stop"]:
                    _pool_changed.wait()
                if _pool["stop"]:
                    return
                _pool["creating"] = True
            try:
                name = _create(connection, clone=True)
            except Exception as e:  # the test waiting for a clone raises it
                with _pool_changed:
                    _pool["error"], _pool["creating"] = e, False
                    _pool_changed.notify_all()
                return
            with _pool_changed:
                _pool["ready"].append(name)
                _pool["creating"] = False
                _pool_changed.notify_all()
    finally:
        connection.close()


def _take_clone() -> str:
    with _pool_changed:
        while not _pool["ready"]:
            if _pool["error"] is not None:
                raise _pool["error"]
            _pool_changed.wait()
        name = _pool["ready"].pop(0)
        _pool_changed.notify_all()
        return name


def start_session():
    """Create and migrate the template database; patch TestConfig to hand out databases."""
    global _dropper, _cloner
    import config
    from domain.database import migrate, open_database

    admin = _admin_connection()
    _state["admin"] = admin
    template = f"{_base_name()}_tpl_{uuid.uuid4().hex[:8]}"
    _state["template"] = template
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{template}"')
    database = open_database(_url_for(template))
    database.connect()
    migrate(database)
    database.close()
    database.close_all()  # the pool's connections too: a template must have no sessions

    original_init = config.TestConfig.__init__

    def init(self, instance):
        original_init(self, instance)
        self.DATABASE_URL = _url_for(_new_database(clone=_state["clone"]))

    config.TestConfig.__init__ = init
    _dropper = threading.Thread(target=_drop_worker, daemon=True, name="pg-test-drop")
    _dropper.start()
    _cloner = threading.Thread(target=_clone_worker, daemon=True, name="pg-test-clone")
    _cloner.start()


def _create(connection, clone: bool) -> str:
    name = f"{_base_name()}_t{uuid.uuid4().hex[:12]}"
    sql = f'CREATE DATABASE "{name}"'
    if clone:
        sql += f' TEMPLATE "{_state["template"]}" STRATEGY WAL_LOG'
    with connection.cursor() as cursor:
        cursor.execute(sql)
    return name


def _new_database(clone: bool) -> str:
    name = _take_clone() if clone else _create(_state["admin"], clone=False)
    _state["created"].append(name)
    return name


@contextlib.contextmanager
def migrated():
    """TestConfigs made inside get a clone of the migrated template."""
    _state["clone"] = True
    try:
        yield
    finally:
        _state["clone"] = False


def drop_test_databases():
    while _state["created"]:
        _drops.put(_state["created"].pop())


def quiet():
    """Until no database is being dropped or cloned in the background: for a test that needs
    the server quiet (VACUUM keeps old row versions while a transaction anywhere in the
    cluster might still see them, and CREATE/DROP DATABASE run as such transactions)."""
    if _dropper is not None:
        _drops.join()
    if _cloner is not None:
        with _pool_changed:
            while (_pool["creating"] or len(_pool["ready"]) < READY) and _pool["error"] is None:
                _pool_changed.wait()


def end_session():
    if _cloner is not None:
        with _pool_changed:
            _pool["stop"] = True
            _pool_changed.notify_all()
        _cloner.join()
        _state["created"].extend(_pool["ready"])  # made in advance, never used
        _pool["ready"].clear()
    drop_test_databases()
    _drops.put(None)
    if _dropper is not None:
        _dropper.join()  # every test database is gone before pytest exits
    admin = _state["admin"]
    if admin is not None:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{_state["template"]}" WITH (FORCE)')
        admin.close()
