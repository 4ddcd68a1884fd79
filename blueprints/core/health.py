"""GET /healthz: may this instance serve requests?

Polled by the reverse proxy, systemd, a monitor or the upgrade steps in docs/deploy.md, so
it stays cheap (three small queries and two statvfs calls) and tells nothing secret: no
paths, no error messages, only the names of the checks, pending migration names and free
megabytes. 200 with {"status": "ok", ...} when everything is fine, else 503 with
{"status": "error", "problems": [...]} saying what is wrong.
"""
import shutil

from flask import current_app, jsonify, request
from peewee import DatabaseError, OperationalError

from blueprints.core import bp
from domain.database import pending_migrations
from extensions import db

MB = 1024 * 1024
# (name shown in the answer, config key of the folder)
FOLDERS = (("uploads", "UPLOAD_DIR"), ("documents", "DOCUMENT_DIR"))


def check_health(config) -> dict:
    """The health report: {"status", "database", "migrations", "disk", "problems"}."""
    problems = []
    report = {"status": "ok", "database": "ok", "migrations": "ok"}
    try:
        db.execute_sql("SELECT 1")
    except DatabaseError:
        current_app.logger.warning("healthz: database unreachable", exc_info=True)
        report["database"] = "unreachable"
        problems.append("database unreachable")
    if report["database"] == "ok":
        try:
            pending = pending_migrations()
        except DatabaseError:
            current_app.logger.warning("healthz: migration state unreadable", exc_info=True)
            report["migrations"] = "unknown"
            problems.append("migration state unreadable")
        else:
            if pending:
                report["migrations"] = "pending"
                report["pending_migrations"] = pending
                problems.append(f"{len(pending)} migrations pending: run flask --app app migrate")
    else:
        report["migrations"] = "unknown"
    report["disk"] = _disk(config, problems)
    if problems:
        report["status"] = "error"
    report["problems"] = problems
    return report


def _disk(config, problems: list) -> dict:
    minimum = int(config.get("HEALTH_MIN_FREE_MB", 200))
    disk = {"min_free_mb": minimum}
    for name, key in FOLDERS:
        try:
            free_mb = shutil.disk_usage(config[key]).free // MB
        except OSError:
            disk[name] = {"status": "missing"}
            problems.append(f"{name} folder missing or unreadable")
            continue
        low = free_mb < minimum
        disk[name] = {"status": "low" if low else "ok", "free_mb": free_mb}
        if low:
            problems.append(f"{name}: {free_mb} MB free, below {minimum} MB")
    return disk


def _answer(report: dict):
    response = jsonify(report)
    response.status_code = 200 if report["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return _answer(check_health(current_app.config))


@bp.app_errorhandler(OperationalError)
def database_down(error):
    """The connection opened before every request failed (PostgreSQL down, SQLite file
    unreadable): /healthz still answers its JSON 503; every other page fails as before."""
    if request.endpoint != "core.healthz":
        raise error
    current_app.logger.warning("healthz: cannot connect to the database", exc_info=error)
    report = {"status": "error", "database": "unreachable", "migrations": "unknown"}
    problems = ["database unreachable"]
    report["disk"] = _disk(current_app.config, problems)
    report["problems"] = problems
    return _answer(report)
