"""`flask --app app backup` / `restore`: a consistent online backup while complaints are
being registered, restored into a new instance with every complaint, event and file."""
import hashlib
import json
import threading
import time

import pytest

import cli_ops
from app import create_app
import config
from domain import backup
from domain.models import Complaint, Event, Evidence
from extensions import db
from tests.conftest import PDF, PNG
from tests.factories import make_complaint, make_user


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root):
    return {p.relative_to(root).as_posix(): _sha(p) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def runner(app):
    cli_ops.register(app)
    cli_ops.register(app)  # twice: harmless
    return app.test_cli_runner()


def _seed(app, n=3):
    user = make_user("intake")
    for i in range(n):
        make_complaint(app, registered_by=user,
                       files=[(f"photo{i}.png", PNG), (f"receipt{i}.pdf", PDF)],
                       complainant_name=f"客户{i}")
    (app.config["DOCUMENT_DIR"] / "letters").mkdir(exist_ok=True)
    (app.config["DOCUMENT_DIR"] / "letters" / "HL-1.pdf").write_bytes(PDF)
    return user


@pytest.mark.sqlite_only(reason="backs up and restores the SQLite file through its backup API; on PostgreSQL the command refuses and points to pg_dump")
def test_backup_taken_during_concurrent_registrations_restores_every_complaint_event_and_file(
        app, runner, tmp_path):
    user = _seed(app)
    db.close()
    stop, errors, registered = threading.Event(), [], []

    def keep_registering():
        try:
            while not stop.is_set() or len(registered) < 5:
                c = make_complaint(app, registered_by=user, files=[("more.png", PNG)],
                                   complainant_name="并发客户")
                registered.append(c.id)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            db.close()

    writer = threading.Thread(target=keep_registering)
    writer.start()
    time.sleep(0.2)
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    stop.set()
    writer.join(timeout=60)
    assert not errors, errors
    assert result.exit_code == 0, result.output
    assert "backup written to" in result.output

    [folder] = backup.complete_backups(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["app_version"].startswith("0012") or manifest["app_version"]
    # The copy is one consistent snapshot: counts match the copy itself.
    assert manifest["counts"]["complaints"] >= 3
    for rel, entry in manifest["files"].items():
        assert _sha(folder / rel) == entry["sha256"]

    # What the snapshot holds, read from the copy itself.
    import sqlite3
    con = sqlite3.connect(folder / "redress.db")
    snap_hashes = sorted(r[0] for r in con.execute("SELECT hash FROM event"))
    snap_complaints = con.execute("SELECT count(*) FROM complaint").fetchone()[0]
    snap_evidence = [r[0] for r in con.execute("SELECT stored_name FROM evidence")]
    con.close()
    assert snap_complaints == manifest["counts"]["complaints"]
    # Every evidence file the copied database names was copied too.
    for name in snap_evidence:
        assert any(rel.startswith("uploads/") and rel.endswith(name)
                   for rel in manifest["files"]), name
    source_files = {**{f"uploads/{k}": v for k, v in _files(app.config["UPLOAD_DIR"]).items()},
                    **{f"documents/{k}": v for k, v in _files(app.config["DOCUMENT_DIR"]).items()}}

    # Restore into a new, empty instance.
    target = tmp_path / "restored"
    app2 = create_app(config.TestConfig(target))
    cli_ops.register(app2)
    result = app2.test_cli_runner().invoke(args=["restore", str(folder)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
    db.connect(reuse_if_open=True)
    assert Complaint.select().count() == snap_complaints
    assert sorted(e.hash for e in Event.select()) == snap_hashes
    assert Evidence.select().count() == len(snap_evidence)
    restored = {**{f"uploads/{k}": v for k, v in _files(target / "uploads").items()},
                **{f"documents/{k}": v for k, v in _files(target / "documents").items()}}
    assert restored == {rel: e["sha256"] for rel, e in manifest["files"].items()}
    for rel, digest in restored.items():  # identical to the live instance's files
        assert source_files[rel] == digest
    assert "documents/letters/HL-1.pdf" in restored
    db.close()


@pytest.mark.sqlite_only(reason="backs up and restores the SQLite file through its backup API; on PostgreSQL the command refuses and points to pg_dump")
def test_restore_refuses_an_instance_that_has_data(app, runner, tmp_path):
    _seed(app, 1)
    folder = backup.backup(app.config["DATABASE_URL"], app.config["UPLOAD_DIR"],
                           app.config["DOCUMENT_DIR"], tmp_path / "b")
    result = runner.invoke(args=["restore", str(folder)])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert Complaint.select().count() == 1


@pytest.mark.sqlite_only(reason="backs up and restores the SQLite file through its backup API; on PostgreSQL the command refuses and points to pg_dump")
def test_restore_of_a_tampered_backup_copies_nothing_and_fails(app, runner, tmp_path):
    _seed(app, 1)
    folder = backup.backup(app.config["DATABASE_URL"], app.config["UPLOAD_DIR"],
                           app.config["DOCUMENT_DIR"], tmp_path / "b")
    victim = next(p for p in (folder / "uploads").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    target = tmp_path / "restored"
    app2 = create_app(config.TestConfig(target))
    cli_ops.register(app2)
    result = app2.test_cli_runner().invoke(args=["restore", str(folder)])
    assert result.exit_code == 1
    assert "damaged" in result.output and victim.name in result.output
    assert not (target / "test.db").exists()
    assert not any((target / "uploads").iterdir())


@pytest.mark.sqlite_only(reason="backs up and restores the SQLite file through its backup API; on PostgreSQL the command refuses and points to pg_dump")
def test_restore_reports_a_broken_history_chain(app, runner, tmp_path):
    _seed(app, 2)
    folder = backup.backup(app.config["DATABASE_URL"], app.config["UPLOAD_DIR"],
                           app.config["DOCUMENT_DIR"], tmp_path / "b")
    # Someone edits the history inside the backup and fixes up the manifest's hash.
    import sqlite3
    con = sqlite3.connect(folder / "redress.db")
    con.execute("UPDATE event SET note = 'rewritten' WHERE seq = 1")
    con.commit()
    con.close()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["database"].update(sha256=_sha(folder / "redress.db"),
                                size=(folder / "redress.db").stat().st_size)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    app2 = create_app(config.TestConfig(tmp_path / "restored"))
    cli_ops.register(app2)
    result = app2.test_cli_runner().invoke(args=["restore", str(folder)])
    assert result.exit_code == 1
    assert "content does not match its hash" in result.output


@pytest.mark.sqlite_only(reason="backs up and restores the SQLite file through its backup API; on PostgreSQL the command refuses and points to pg_dump")
def test_keep_n_deletes_the_oldest_complete_backups_and_ignores_incomplete_ones(app, tmp_path):
    import datetime as dt
    _seed(app, 1)
    dest = tmp_path / "b"
    incomplete = dest / "redress-20000101-000000"
    incomplete.mkdir(parents=True)
    args = (app.config["DATABASE_URL"], app.config["UPLOAD_DIR"], app.config["DOCUMENT_DIR"], dest)
    made = [backup.backup(*args, now=dt.datetime(2024, 1, d, 3, 0), keep=2) for d in (1, 2, 3)]
    assert backup.complete_backups(dest) == made[1:]
    assert not made[0].exists()
    assert incomplete.exists()  # not complete: left alone, never restored
    with pytest.raises(backup.BackupError, match="incomplete"):
        backup.read_manifest(incomplete)


def test_backup_of_a_postgresql_database_says_to_use_pg_dump(app, runner, tmp_path):
    app.config["DATABASE_URL"] = "postgresql://redress@localhost/redress"
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 1 and "pg_dump" in result.output
