"""/healthz: what the proxy, systemd and a monitor poll to know the instance can serve."""
import shutil
from collections import namedtuple

from peewee import OperationalError

from app import create_app
import config
from extensions import db

Usage = namedtuple("Usage", "total used free")
MB = 1024 * 1024


def test_healthy_instance_answers_200_with_every_check_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["migrations"] == "ok"
    assert body["problems"] == []
    assert body["disk"]["uploads"]["status"] == "ok"
    assert body["disk"]["documents"]["status"] == "ok"
    assert body["disk"]["uploads"]["free_mb"] > 0
    assert body["disk"]["min_free_mb"] == 200


def test_health_needs_no_sign_in_and_shows_no_paths_or_secrets(app, client):
    text = client.get("/healthz").get_data(as_text=True)
    assert str(app.config["INSTANCE_DIR"]) not in text
    assert "/" not in text.replace("\\/", "")  # no paths at all
    assert app.config["SECRET_KEY"] not in text
    assert "sqlite" not in text.lower()


def test_pending_migrations_give_503_naming_them(tmp_path):
    app = create_app(config.TestConfig(tmp_path))  # a fresh database, never migrated
    try:
        response = app.test_client().get("/healthz")
    finally:
        if not db.is_closed():
            db.close()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["migrations"] == "pending"
    assert "0001_initial" in body["pending_migrations"]
    assert any("migrations pending" in p for p in body["problems"])


def test_low_disk_space_under_uploads_gives_503(app, client, monkeypatch):
    real = shutil.disk_usage
    uploads = str(app.config["UPLOAD_DIR"])

    def fake(path):
        if str(path) == uploads:
            return Usage(10_000 * MB, 9_950 * MB, 50 * MB)
        return real(path)

    monkeypatch.setattr("blueprints.core.health.shutil.disk_usage", fake)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["disk"]["uploads"] == {"status": "low", "free_mb": 50}
    assert body["disk"]["documents"]["status"] == "ok"
    assert body["problems"] == ["uploads: 50 MB free, below 200 MB"]


def test_free_space_threshold_comes_from_config(app, client):
    free_mb = shutil.disk_usage(app.config["DOCUMENT_DIR"]).free // MB
    app.config["HEALTH_MIN_FREE_MB"] = free_mb + 1_000_000
    body = client.get("/healthz").get_json()
    assert body["disk"]["min_free_mb"] == free_mb + 1_000_000
    assert body["disk"]["documents"]["status"] == "low"
    app.config["HEALTH_MIN_FREE_MB"] = 1
    assert client.get("/healthz").status_code == 200


def test_missing_documents_folder_gives_503(app, client):
    shutil.rmtree(app.config["DOCUMENT_DIR"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["disk"]["documents"] == {"status": "missing"}


def test_database_that_cannot_be_reached_gives_json_503_not_an_error_page(app, client,
                                                                          monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(db.obj, "connect", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "unreachable"
    assert body["migrations"] == "unknown"
    assert body["problems"][0] == "database unreachable"
    assert "Connection refused" not in response.get_data(as_text=True)


def test_database_failure_elsewhere_still_fails_as_a_server_error(app, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OperationalError("could not connect")

    monkeypatch.setattr(db.obj, "connect", refuse)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/login")
    assert response.status_code == 500
    assert response.mimetype == "text/html"


def test_query_error_during_the_check_reports_database_unreachable(app, client, monkeypatch):
    original = db.obj.execute_sql

    def failing(sql, *args, **kwargs):
        if sql == "SELECT 1":
            raise OperationalError("disk I/O error")
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", failing)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_health_check_stays_cheap(client, count_queries):
    client.get("/healthz")  # warm up
    with count_queries() as q:
        assert client.get("/healthz").status_code == 200
    assert q.count <= 4, q.statements
